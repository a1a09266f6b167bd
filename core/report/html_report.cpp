// One self-contained HTML file: inline CSS, heatmaps as data: URIs, no script at all, and a
// Content-Security-Policy that would stop one anyway. Every piece of run text goes through
// escapeHtml.
#include "report/report.h"
#include "report/report_model.h"
#include "report/text_escape.h"

#include <fmt/format.h>

namespace ptxwb::reports {

using namespace store;

namespace {

std::string h(std::string_view text) {
    return escapeHtml(text);
}

constexpr const char* kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #212121; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
code, pre { font: 12.5px ui-monospace, monospace; background: #f6f8fa; }
pre { padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.status { display: inline-block; padding: 1px 8px; border-radius: 4px; color: #fff; font-weight: 600; }
.passed { background: #2e7d32; } .failed { background: #c62828; } .error { background: #6a1b9a; }
.skipped { background: #757575; }
.newly_failing { color: #c62828; font-weight: 600; } .newly_passing { color: #2e7d32; font-weight: 600; }
img.heatmap { max-width: 100%; border: 1px solid #ddd; image-rendering: pixelated; }
.muted { color: #666; }
)css";

std::string badge(const char* status) {
    return fmt::format("<span class=\"status {0}\">{0}</span>", status);
}

void comparisonSection(std::string& out, const RunComparison& cmp) {
    out += fmt::format("<h2>Against baseline <code>{}</code></h2>\n", h(cmp.a.uuid));
    out += fmt::format("<p>Newly failing: <b>{}</b> · newly passing: {} · evidence changed: {} · "
                       "other status changes: {} · only in baseline: {} · new: {} · unchanged: "
                       "{}</p>\n",
                       cmp.count(CheckChange::NewlyFailing), cmp.count(CheckChange::NewlyPassing),
                       cmp.count(CheckChange::EvidenceChanged),
                       cmp.count(CheckChange::StatusChanged), cmp.count(CheckChange::OnlyInA),
                       cmp.count(CheckChange::OnlyInB), cmp.count(CheckChange::Same));
    if (!cmp.environment.empty()) {
        out += "<table><tr><th>What differs</th><th>Baseline</th><th>This run</th></tr>\n";
        for (const auto& d : cmp.environment) {
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", h(d.field),
                               h(environmentValueForDisplay(d.field, d.a)),
                               h(environmentValueForDisplay(d.field, d.b)));
        }
        out += "</table>\n";
    }
    if (!cmp.kernelSources.empty()) {
        out += "<table><tr><th>Kernel with different PTX</th><th>Baseline</th><th>This "
               "run</th></tr>\n";
        for (const auto& k : cmp.kernelSources) {
            out += fmt::format(
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>\n",
                h(k.kernel), k.ptxHashA.empty() ? "(absent)" : h(k.ptxHashA.substr(0, 16)),
                k.ptxHashB.empty() ? "(absent)" : h(k.ptxHashB.substr(0, 16)));
        }
        out += "</table>\n";
    }
    if (cmp.count(CheckChange::Same) == cmp.checks.size()) return;
    out += "<table><tr><th>Change</th><th>Check</th><th>Baseline</th><th>This run</th><th>Max "
           "ULP</th><th>Changed kernels</th></tr>\n";
    for (const auto& c : cmp.checks) {
        if (c.change == CheckChange::Same) continue;
        std::string kernels;
        for (const auto& k : c.changedKernels)
            kernels += (kernels.empty() ? "" : ", ") + h(k);
        out += fmt::format("<tr><td class=\"{0}\">{0}</td><td>{1}</td><td>{2}</td><td>{3}</td>"
                           "<td>{4} → {5}</td><td>{6}</td></tr>\n",
                           checkChangeName(c.change), h(c.name),
                           c.statusA ? checkStatusName(*c.statusA) : "—",
                           c.statusB ? checkStatusName(*c.statusB) : "—", h(formatUlp(c.maxUlpA)),
                           h(formatUlp(c.maxUlpB)), kernels);
    }
    out += "</table>\n";
}

} // namespace

std::string renderHtml(const ReportInput& input, const std::vector<HeatmapImage>& heatmaps) {
    const Run& run = input.run;
    const RunSummary s = summarize(run);
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src "
           "data:; style-src 'unsafe-inline'\">\n";
    out += fmt::format("<title>ptxwb {} run {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                       h(run.command), h(run.uuid), kStyle);
    out += fmt::format("<h1>ptxwb {} run <code>{}</code> {}</h1>\n", h(run.command), h(run.uuid),
                       badge(runStatusName(run.status)));
    if (!run.statusReason.empty()) out += fmt::format("<p><b>{}</b></p>\n", h(run.statusReason));
    out += fmt::format("<p class=\"muted\">Started {} · took {} · {} checks, {} failing · {} "
                       "findings</p>\n",
                       h(formatUtc(run.startedUnixMs)),
                       h(formatDuration(run.startedUnixMs, run.endedUnixMs)), s.checkCount,
                       s.failedCheckCount, s.findingCount);
    out += fmt::format("<h2>Reproduce</h2>\n<pre>{}</pre>\n", h(shellCommandLine(run.commandLine)));

    out += "<h2>Environment</h2>\n<table>\n";
    for (const auto& [label, value] : environmentRows(run.environment)) {
        out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", h(label), h(value));
    }
    for (const auto& [key, value] : run.labels) {
        out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", h(key), h(value));
    }
    out += "</table>\n";

    if (input.comparison) comparisonSection(out, *input.comparison);

    const auto failing = failingChecks(run);
    if (!failing.empty()) {
        out += "<h2>Failing checks</h2>\n";
        int n = 0;
        for (const Check* c : failing) {
            out +=
                fmt::format("<h3>{}. {} <span class=\"muted\">({})</span> {}</h3>\n", ++n,
                            h(c->name), checkKindName(c->kind), badge(checkStatusName(c->status)));
            if (!c->kernels.empty()) {
                std::string kernels;
                for (const auto& k : c->kernels)
                    kernels += (kernels.empty() ? "" : ", ") + ("<code>" + h(k) + "</code>");
                out += fmt::format("<p>Kernels: {}</p>\n", kernels);
            }
            out += "<ul>\n";
            for (const auto& line : worstEvidence(*c))
                out += fmt::format("<li>{}</li>\n", h(line));
            out += "</ul>\n";
            for (const auto& img : heatmaps) {
                if (img.checkName != c->name) continue;
                out += fmt::format("<img class=\"heatmap\" alt=\"heatmap of {}\" "
                                   "src=\"data:image/png;base64,{}\">\n",
                                   h(c->name), base64Encode(img.png));
            }
        }
    }

    if (!run.findings.empty()) {
        out += "<h2>Findings</h2>\n<table><tr><th>Severity</th><th>Rule</th><th>Location</th>"
               "<th>Kernel</th><th>Message</th><th>Fix</th></tr>\n";
        for (const auto& f : run.findings) {
            out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}:{}:{}</td><td>{}</td>"
                               "<td>{}</td><td>{}</td></tr>\n",
                               severityName(f.severity), h(f.ruleId), h(f.file), f.line, f.column,
                               h(f.kernel), h(f.message), h(f.fixHint));
        }
        out += "</table>\n";
    }

    if (!run.kvValidations.empty()) {
        out += "<h2>KV cache validation</h2>\n<table><tr><th>Layer</th><th>Tensor</th><th>Status"
               "</th><th>Mismatched</th><th>Length expected / actual</th><th>Message</th></tr>\n";
        for (const auto& kv : run.kvValidations) {
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td>"
                               "<td>{}</td></tr>\n",
                               kv.layer, h(kv.tensor), badge(checkStatusName(kv.status)),
                               kv.mismatchedElements, kv.expectedLength, kv.actualLength,
                               h(kv.message));
        }
        out += "</table>\n";
    }

    if (!run.checks.empty()) {
        out += "<h2>All checks</h2>\n<table><tr><th>Status</th><th>Kind</th><th>Check</th><th>Max "
               "ULP</th><th>Failing elements</th></tr>\n";
        for (const auto& c : run.checks) {
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                               badge(checkStatusName(c.status)), checkKindName(c.kind), h(c.name),
                               h(formatUlp(c.maxUlp)), c.counts.failing());
        }
        out += "</table>\n";
    }
    out += fmt::format("<p class=\"muted\">ptxwb {} report</p>\n</body>\n</html>\n",
                       h(input.ptxwbVersion));
    return out;
}

} // namespace ptxwb::reports
