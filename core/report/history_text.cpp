#include "report/history_text.h"

#include "report/report_model.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::reports {

using namespace store;

namespace {

/// Left-aligned columns sized to their widest cell (no wrapping; terminals scroll).
class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    [[nodiscard]] std::string str() const {
        std::vector<std::size_t> widths;
        for (const auto& row : rows_) {
            widths.resize(std::max(widths.size(), row.size()));
            for (std::size_t i = 0; i < row.size(); ++i)
                widths[i] = std::max(widths[i], row[i].size());
        }
        std::string out;
        for (const auto& row : rows_) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                line += row[i];
                if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
            }
            out += line + "\n";
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> rows_;
};

std::string shortUuid(const std::string& uuid) {
    return uuid.substr(0, 8);
}

std::string dateTime(std::int64_t ms) {
    std::string s = formatUtc(ms); // 2025-11-24T16:00:00.000Z
    return s.substr(0, 10) + " " + s.substr(11, 5);
}

} // namespace

std::string formatRunList(const std::vector<RunSummary>& runs) {
    if (runs.empty()) return "no runs\n";
    TextTable table({"RUN", "STARTED (UTC)", "COMMAND", "STATUS", "CHECKS", "GPU", "ARCH", "DRIVER",
                     "KERNEL SET"});
    for (const auto& r : runs) {
        table.add({shortUuid(r.uuid), dateTime(r.startedUnixMs), r.command, runStatusName(r.status),
                   fmt::format("{}/{} failed", r.failedCheckCount, r.checkCount),
                   r.environment.gpuName, r.environment.smArch, r.environment.driverVersion,
                   r.environment.kernelSetName});
    }
    return table.str();
}

std::string formatRunDetails(const Run& run) {
    std::string out;
    out += fmt::format("run      {}\n", run.uuid);
    out += fmt::format("status   {}{}\n", runStatusName(run.status),
                       run.statusReason.empty() ? "" : " (" + run.statusReason + ")");
    out += fmt::format("started  {} (took {})\n", formatUtc(run.startedUnixMs),
                       formatDuration(run.startedUnixMs, run.endedUnixMs));
    out += fmt::format("command  {}\n", shellCommandLine(run.commandLine));
    for (const auto& [label, value] : environmentRows(run.environment)) {
        out += fmt::format("  {:<22}{}\n", label, value);
    }
    for (const auto& [key, value] : run.labels)
        out += fmt::format("  {:<22}{}\n", key, value);

    std::size_t tally[4] = {};
    for (const auto& c : run.checks)
        ++tally[static_cast<int>(c.status)];
    out += fmt::format("\nchecks   {} passed, {} failed, {} error, {} skipped\n", tally[0],
                       tally[1], tally[2], tally[3]);
    for (const Check* c : failingChecks(run)) {
        out += fmt::format("\n  {} [{}] {}\n", checkStatusName(c->status), checkKindName(c->kind),
                           c->name);
        for (const auto& line : worstEvidence(*c))
            out += fmt::format("      {}\n", line);
    }
    if (!run.findings.empty()) {
        out += fmt::format("\nfindings {}\n", run.findings.size());
        for (const auto& f : run.findings) {
            out += fmt::format("  {}:{}:{}: {}: {} [{}]\n", f.file, f.line, f.column,
                               severityName(f.severity), f.message, f.ruleId);
        }
    }
    if (!run.traceLaunches.empty())
        out += fmt::format("\ntrace    {} launches\n", run.traceLaunches.size());
    if (!run.kvValidations.empty()) {
        std::size_t bad = 0;
        for (const auto& kv : run.kvValidations)
            bad += isFailing(kv.status) ? 1 : 0;
        out +=
            fmt::format("kv cache {} of {} layer tensors differ\n", bad, run.kvValidations.size());
    }
    return out;
}

std::string formatComparison(const RunComparison& c) {
    std::string out;
    out +=
        fmt::format("A  {}  {}  {}  {} {}  driver {}\n", shortUuid(c.a.uuid),
                    dateTime(c.a.startedUnixMs), runStatusName(c.a.status), c.a.environment.gpuName,
                    c.a.environment.smArch, c.a.environment.driverVersion);
    out +=
        fmt::format("B  {}  {}  {}  {} {}  driver {}\n\n", shortUuid(c.b.uuid),
                    dateTime(c.b.startedUnixMs), runStatusName(c.b.status), c.b.environment.gpuName,
                    c.b.environment.smArch, c.b.environment.driverVersion);
    out += fmt::format("{} newly failing, {} newly passing, {} evidence changed, {} other status "
                       "changes, {} only in A, {} only in B, {} same\n",
                       c.count(CheckChange::NewlyFailing), c.count(CheckChange::NewlyPassing),
                       c.count(CheckChange::EvidenceChanged), c.count(CheckChange::StatusChanged),
                       c.count(CheckChange::OnlyInA), c.count(CheckChange::OnlyInB),
                       c.count(CheckChange::Same));
    for (auto change :
         {CheckChange::NewlyFailing, CheckChange::NewlyPassing, CheckChange::EvidenceChanged,
          CheckChange::StatusChanged, CheckChange::OnlyInA, CheckChange::OnlyInB}) {
        bool header = false;
        for (const auto& cc : c.checks) {
            if (cc.change != change) continue;
            if (!header) {
                out += fmt::format("\n{}:\n", checkChangeName(change));
                header = true;
            }
            out += fmt::format("  [{}] {}\n", checkKindName(cc.kind), cc.name);
            out +=
                fmt::format("      {} -> {}, max ULP {} -> {}, failing elements {} -> {}\n",
                            cc.statusA ? checkStatusName(*cc.statusA) : "-",
                            cc.statusB ? checkStatusName(*cc.statusB) : "-", formatUlp(cc.maxUlpA),
                            formatUlp(cc.maxUlpB), cc.failingElementsA, cc.failingElementsB);
            if (!cc.changedKernels.empty()) {
                std::string kernels;
                for (const auto& k : cc.changedKernels)
                    kernels += (kernels.empty() ? "" : ", ") + k;
                out += fmt::format("      PTX changed: {}\n", kernels);
            }
        }
    }
    if (!c.environment.empty()) {
        out += "\nenvironment differences:\n";
        TextTable table({"  FIELD", "A", "B"});
        for (const auto& d : c.environment) {
            table.add({"  " + d.field, environmentValueForDisplay(d.field, d.a),
                       environmentValueForDisplay(d.field, d.b)});
        }
        out += table.str();
    }
    if (!c.kernelSources.empty()) {
        out += "\nkernel source (PTX) differences:\n";
        TextTable table({"  KERNEL", "A", "B"});
        for (const auto& k : c.kernelSources) {
            table.add({"  " + k.kernel, k.ptxHashA.empty() ? "(absent)" : shortHash(k.ptxHashA),
                       k.ptxHashB.empty() ? "(absent)" : shortHash(k.ptxHashB)});
        }
        out += table.str();
    }
    if (c.environment.empty() && c.kernelSources.empty()) {
        out += "\nsame environment and same PTX in both runs\n";
    }
    return out;
}

std::string formatTrend(const CheckTrend& t) {
    std::string out = fmt::format("check {}\n{} runs\n\n", t.checkName, t.points.size());
    TextTable groups(
        {"DRIVER", "ARCH", "RUNS", "PASSED", "FAILED", "WORST ULP", "LAST", "LAST SEEN"});
    for (const auto& g : t.groups) {
        groups.add({g.driverVersion, g.smArch, std::to_string(g.runs), std::to_string(g.passed),
                    std::to_string(g.failed), formatUlp(g.worstMaxUlp),
                    checkStatusName(g.lastStatus), dateTime(g.lastUnixMs)});
    }
    out += groups.str();
    out += "\n";
    TextTable points(
        {"RUN", "STARTED (UTC)", "STATUS", "MAX ULP", "FAILING", "GPU", "ARCH", "DRIVER"});
    for (const auto& p : t.points) {
        points.add({shortUuid(p.runUuid), dateTime(p.startedUnixMs), checkStatusName(p.status),
                    formatUlp(p.maxUlp), std::to_string(p.failingElements), p.gpuName, p.smArch,
                    p.driverVersion});
    }
    out += points.str();
    return out;
}

std::string formatImportSummary(const ImportSummary& s, const std::string& source) {
    std::string out =
        fmt::format("imported {} run{} from {} ({} already present)\n", s.runsImported,
                    s.runsImported == 1 ? "" : "s", source, s.runsAlreadyPresent);
    for (const auto& uuid : s.importedUuids)
        out += "  " + uuid + "\n";
    return out;
}

} // namespace ptxwb::reports
