// Markdown made for an issue tracker: everything a triage meeting needs on one screen, and
// nothing from the run can inject formatting or HTML into the tracker.
#include "report/report.h"
#include "report/report_model.h"
#include "report/text_escape.h"

#include <fmt/format.h>

namespace ptxwb::reports {

using namespace store;

namespace {

std::string md(std::string_view text) {
    return escapeMarkdown(text);
}

std::string statusWord(RunStatus s) {
    switch (s) {
    case RunStatus::Passed:
        return "passed";
    case RunStatus::Failed:
        return "FAILED";
    case RunStatus::Error:
        return "ERROR";
    }
    return "";
}

void comparisonSection(std::string& out, const RunComparison& cmp) {
    out += fmt::format("## Against baseline {}\n\n", md(cmp.a.uuid));
    out += fmt::format("Newly failing: **{}** · newly passing: {} · evidence changed: {} · other "
                       "status changes: {} · only in baseline: {} · new: {} · unchanged: {}\n\n",
                       cmp.count(CheckChange::NewlyFailing), cmp.count(CheckChange::NewlyPassing),
                       cmp.count(CheckChange::EvidenceChanged),
                       cmp.count(CheckChange::StatusChanged), cmp.count(CheckChange::OnlyInA),
                       cmp.count(CheckChange::OnlyInB), cmp.count(CheckChange::Same));
    if (!cmp.environment.empty()) {
        out += "What differs between the runs:\n\n| Field | Baseline | This run |\n|---|---|---|\n";
        for (const auto& d : cmp.environment) {
            out += fmt::format("| {} | {} | {} |\n", md(d.field),
                               md(environmentValueForDisplay(d.field, d.a)),
                               md(environmentValueForDisplay(d.field, d.b)));
        }
        out += "\n";
    }
    if (!cmp.kernelSources.empty()) {
        out += "Kernels whose PTX differs:\n\n| Kernel | Baseline PTX | This run's PTX "
               "|\n|---|---|---|\n";
        for (const auto& k : cmp.kernelSources) {
            out += fmt::format("| {} | {} | {} |\n", md(k.kernel),
                               k.ptxHashA.empty() ? "(absent)" : md(k.ptxHashA.substr(0, 16)),
                               k.ptxHashB.empty() ? "(absent)" : md(k.ptxHashB.substr(0, 16)));
        }
        out += "\n";
    }
    bool header = false;
    for (const auto& c : cmp.checks) {
        if (c.change == CheckChange::Same) continue;
        if (!header) {
            out += "| Change | Check | Baseline | This run | Max ULP | Changed kernels |\n"
                   "|---|---|---|---|---|---|\n";
            header = true;
        }
        std::string kernels;
        for (const auto& k : c.changedKernels)
            kernels += (kernels.empty() ? "" : ", ") + md(k);
        out += fmt::format("| {} | {} | {} | {} | {} → {} | {} |\n", checkChangeName(c.change),
                           md(c.name), c.statusA ? checkStatusName(*c.statusA) : "—",
                           c.statusB ? checkStatusName(*c.statusB) : "—", formatUlp(c.maxUlpA),
                           formatUlp(c.maxUlpB), kernels);
    }
    out += "\n";
}

} // namespace

std::string renderMarkdown(const ReportInput& input, const std::vector<HeatmapImage>& heatmaps) {
    const Run& run = input.run;
    const RunSummary s = summarize(run);
    std::string out;
    out += fmt::format("# ptxwb {} run {}: {}\n\n", md(run.command), md(run.uuid),
                       statusWord(run.status));
    if (!run.statusReason.empty()) out += fmt::format("> {}\n\n", md(run.statusReason));
    out += fmt::format("Started {} · took {} · {} checks, {} failing · {} findings\n\n",
                       md(formatUtc(run.startedUnixMs)),
                       formatDuration(run.startedUnixMs, run.endedUnixMs), s.checkCount,
                       s.failedCheckCount, s.findingCount);

    const std::string reproduce = shellCommandLine(run.commandLine);
    const std::string fence = markdownFence(reproduce);
    out += fmt::format("## Reproduce\n\n{}sh\n{}\n{}\n\n", fence, reproduce, fence);

    out += "## Environment\n\n| | |\n|---|---|\n";
    for (const auto& [label, value] : environmentRows(run.environment)) {
        out += fmt::format("| {} | {} |\n", md(label), md(value));
    }
    for (const auto& [key, value] : run.labels)
        out += fmt::format("| {} | {} |\n", md(key), md(value));
    out += "\n";

    if (input.comparison) comparisonSection(out, *input.comparison);

    const auto failing = failingChecks(run);
    if (!failing.empty()) {
        out += "## Failing checks\n\n";
        int n = 0;
        for (const Check* c : failing) {
            out += fmt::format("### {}. {} ({}, {})\n\n", ++n, md(c->name), checkKindName(c->kind),
                               checkStatusName(c->status));
            if (!c->kernels.empty()) {
                std::string kernels;
                for (const auto& k : c->kernels)
                    kernels += (kernels.empty() ? "" : ", ") + md(k);
                out += fmt::format("Kernels: {}\n\n", kernels);
            }
            for (const auto& line : worstEvidence(*c))
                out += fmt::format("- {}\n", md(line));
            out += "\n";
            for (const auto& h : heatmaps) {
                if (h.checkName == c->name) {
                    out += fmt::format("![heatmap of {}]({})\n\n", md(c->name), h.fileName);
                }
            }
        }
    }

    if (!run.findings.empty()) {
        out += "## Findings\n\n| Severity | Rule | Location | Kernel | Message "
               "|\n|---|---|---|---|---|\n";
        for (const auto& f : run.findings) {
            std::string message = md(f.message);
            if (!f.fixHint.empty()) message += " — fix: " + md(f.fixHint);
            out += fmt::format("| {} | {} | {}:{}:{} | {} | {} |\n", severityName(f.severity),
                               md(f.ruleId), md(f.file), f.line, f.column, md(f.kernel), message);
        }
        out += "\n";
    }

    if (!run.kvValidations.empty()) {
        std::size_t bad = 0;
        for (const auto& kv : run.kvValidations)
            bad += isFailing(kv.status) ? 1 : 0;
        out += fmt::format("## KV cache validation\n\n{} of {} layer tensors differ.\n\n", bad,
                           run.kvValidations.size());
        if (bad > 0) {
            out += "| Layer | Tensor | Status | Mismatched | Length expected / actual | Message |\n"
                   "|---|---|---|---|---|---|\n";
            for (const auto& kv : run.kvValidations) {
                if (!isFailing(kv.status)) continue;
                out += fmt::format("| {} | {} | {} | {} | {} / {} | {} |\n", kv.layer,
                                   md(kv.tensor), checkStatusName(kv.status), kv.mismatchedElements,
                                   kv.expectedLength, kv.actualLength, md(kv.message));
            }
            out += "\n";
        }
    }

    if (!run.checks.empty()) {
        out += "<details><summary>All checks</summary>\n\n"
               "| Status | Kind | Check | Max ULP | Failing elements |\n|---|---|---|---|---|\n";
        for (const auto& c : run.checks) {
            out += fmt::format("| {} | {} | {} | {} | {} |\n", checkStatusName(c.status),
                               checkKindName(c.kind), md(c.name), formatUlp(c.maxUlp),
                               c.counts.failing());
        }
        out += "\n</details>\n";
    }
    out += fmt::format("\n<sub>ptxwb {} report; run recorded by ptxwb {}</sub>\n",
                       md(input.ptxwbVersion), md(run.environment.ptxwbVersion));
    return out;
}

} // namespace ptxwb::reports
