#include "store/run_json.h"

namespace ptxwb::store {

namespace {
nlohmann::json countsJson(const CategoryCounts& counts) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < kElementCategoryCount; ++i) {
        j[categoryName(static_cast<ElementCategory>(i))] = counts.byCategory[i];
    }
    return j;
}
} // namespace

nlohmann::json toJson(const Environment& e) {
    return {{"host", e.host},
            {"gpuName", e.gpuName},
            {"gpuUuid", e.gpuUuid},
            {"smArch", e.smArch},
            {"driverVersion", e.driverVersion},
            {"toolkitVersion", e.toolkitVersion},
            {"ptxwbVersion", e.ptxwbVersion},
            {"gitRevision", e.gitRevision},
            {"kernelSetName", e.kernelSetName},
            {"kernelSetHash", e.kernelSetHash},
            {"modelName", e.modelName},
            {"modelHash", e.modelHash},
            {"seed", e.seed ? nlohmann::json(*e.seed) : nlohmann::json(nullptr)}};
}

nlohmann::json toJson(const RunSummary& s) {
    return {{"uuid", s.uuid},
            {"command", s.command},
            {"commandLine", s.commandLine},
            {"reproduce", shellCommandLine(s.commandLine)},
            {"startedAt", formatUtc(s.startedUnixMs)},
            {"endedAt", formatUtc(s.endedUnixMs)},
            {"status", runStatusName(s.status)},
            {"statusReason", s.statusReason},
            {"environment", toJson(s.environment)},
            {"labels", s.labels},
            {"checkCount", s.checkCount},
            {"failedCheckCount", s.failedCheckCount},
            {"findingCount", s.findingCount}};
}

nlohmann::json toJson(const Check& c) {
    nlohmann::json first = nlohmann::json::array();
    for (const auto& m : c.firstMismatches) {
        first.push_back({{"row", m.row},
                         {"col", m.col},
                         {"category", categoryName(m.category)},
                         {"expected", m.expected},
                         {"actual", m.actual},
                         {"ulp", m.ulp}});
    }
    nlohmann::json j{{"kind", checkKindName(c.kind)},  {"name", c.name},
                     {"kernels", c.kernels},           {"status", checkStatusName(c.status)},
                     {"counts", countsJson(c.counts)}, {"maxUlp", c.maxUlp},
                     {"maxRelError", c.maxRelError},   {"firstMismatches", first},
                     {"evidence", c.evidence},         {"mismatchMap", nullptr}};
    if (c.mismatchMap) {
        const auto& m = *c.mismatchMap;
        nlohmann::json map{{"rows", m.rows()},
                           {"cols", m.cols()},
                           {"worst", categoryName(m.worst())},
                           {"counts", countsJson(m.counts())},
                           {"probeLayout", nullptr}};
        if (m.probeLayout) {
            map["probeLayout"] = {{"quantFormat", m.probeLayout->quantFormat},
                                  {"superBlockElements", m.probeLayout->superBlockElements},
                                  {"subBlockElements", m.probeLayout->subBlockElements}};
        }
        j["mismatchMap"] = std::move(map);
    }
    return j;
}

nlohmann::json toJson(const Finding& f) {
    nlohmann::json related = nlohmann::json::array();
    for (const auto& r : f.related) {
        related.push_back({{"file", r.file},
                           {"line", r.line},
                           {"column", r.column},
                           {"endLine", r.endLine},
                           {"endColumn", r.endColumn},
                           {"message", r.message}});
    }
    return {{"ruleId", f.ruleId},   {"severity", severityName(f.severity)},
            {"kernel", f.kernel},   {"file", f.file},
            {"line", f.line},       {"column", f.column},
            {"endLine", f.endLine}, {"endColumn", f.endColumn},
            {"message", f.message}, {"related", related},
            {"fixHint", f.fixHint}};
}

nlohmann::json toJson(const Run& run) {
    nlohmann::json j = toJson(summarize(run));
    nlohmann::json kernels = nlohmann::json::array();
    for (const auto& k : run.kernels) {
        kernels.push_back({{"name", k.name},
                           {"entry", k.entry},
                           {"sourcePath", k.sourcePath},
                           {"ptxHash", k.ptxHash}});
    }
    j["kernels"] = kernels;
    j["checks"] = nlohmann::json::array();
    for (const auto& c : run.checks)
        j["checks"].push_back(toJson(c));
    j["findings"] = nlohmann::json::array();
    for (const auto& f : run.findings)
        j["findings"].push_back(toJson(f));
    j["traceLaunches"] = nlohmann::json::array();
    for (const auto& t : run.traceLaunches) {
        j["traceLaunches"].push_back(
            {{"seq", t.seq},
             {"layer", t.layer},
             {"op", t.op},
             {"kernel", t.kernel},
             {"entry", t.entry},
             {"grid", t.grid},
             {"block", t.block},
             {"sharedBytes", t.sharedBytes},
             {"registers", t.registers},
             {"scalarParams", t.scalarParams},
             {"positionPath", t.positionPath},
             {"positionValue",
              t.positionValue ? nlohmann::json(*t.positionValue) : nlohmann::json(nullptr)},
             {"durationUs", t.durationUs},
             {"phase", t.phase},
             {"fromGraph", t.fromGraph}});
    }
    j["kvValidations"] = nlohmann::json::array();
    for (const auto& kv : run.kvValidations) {
        j["kvValidations"].push_back({{"layer", kv.layer},
                                      {"tensor", kv.tensor},
                                      {"status", checkStatusName(kv.status)},
                                      {"mismatchedElements", kv.mismatchedElements},
                                      {"maxAbsDiff", kv.maxAbsDiff},
                                      {"expectedLength", kv.expectedLength},
                                      {"actualLength", kv.actualLength},
                                      {"message", kv.message}});
    }
    return j;
}

nlohmann::json toJson(const RunComparison& c) {
    auto optStatus = [](const std::optional<CheckStatus>& s) {
        return s ? nlohmann::json(checkStatusName(*s)) : nlohmann::json(nullptr);
    };
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& cc : c.checks) {
        nlohmann::json evidence = nlohmann::json::array();
        for (const auto& d : cc.evidence)
            evidence.push_back({{"field", d.field}, {"a", d.a}, {"b", d.b}});
        checks.push_back({{"kind", checkKindName(cc.kind)},
                          {"name", cc.name},
                          {"change", checkChangeName(cc.change)},
                          {"statusA", optStatus(cc.statusA)},
                          {"statusB", optStatus(cc.statusB)},
                          {"maxUlpA", cc.maxUlpA},
                          {"maxUlpB", cc.maxUlpB},
                          {"failingElementsA", cc.failingElementsA},
                          {"failingElementsB", cc.failingElementsB},
                          {"changedKernels", cc.changedKernels},
                          {"evidence", evidence}});
    }
    nlohmann::json env = nlohmann::json::array();
    for (const auto& d : c.environment)
        env.push_back({{"field", d.field}, {"a", d.a}, {"b", d.b}});
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& k : c.kernelSources) {
        sources.push_back(
            {{"kernel", k.kernel}, {"ptxHashA", k.ptxHashA}, {"ptxHashB", k.ptxHashB}});
    }
    nlohmann::json counts = nlohmann::json::object();
    for (auto change : {CheckChange::Same, CheckChange::NewlyFailing, CheckChange::NewlyPassing,
                        CheckChange::EvidenceChanged, CheckChange::StatusChanged,
                        CheckChange::OnlyInA, CheckChange::OnlyInB}) {
        counts[checkChangeName(change)] = c.count(change);
    }
    return {{"a", toJson(c.a)},
            {"b", toJson(c.b)},
            {"changeCounts", counts},
            {"environmentDifferences", env},
            {"kernelSourceDifferences", sources},
            {"checks", checks}};
}

nlohmann::json toJson(const CheckTrend& t) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : t.points) {
        points.push_back({{"runUuid", p.runUuid},
                          {"startedAt", formatUtc(p.startedUnixMs)},
                          {"gpuName", p.gpuName},
                          {"smArch", p.smArch},
                          {"driverVersion", p.driverVersion},
                          {"toolkitVersion", p.toolkitVersion},
                          {"kernelSetHash", p.kernelSetHash},
                          {"status", checkStatusName(p.status)},
                          {"maxUlp", p.maxUlp},
                          {"failingElements", p.failingElements}});
    }
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : t.groups) {
        groups.push_back({{"driverVersion", g.driverVersion},
                          {"smArch", g.smArch},
                          {"runs", g.runs},
                          {"passed", g.passed},
                          {"failed", g.failed},
                          {"worstMaxUlp", g.worstMaxUlp},
                          {"firstAt", formatUtc(g.firstUnixMs)},
                          {"lastAt", formatUtc(g.lastUnixMs)},
                          {"lastStatus", checkStatusName(g.lastStatus)}});
    }
    return {{"checkName", t.checkName}, {"groups", groups}, {"points", points}};
}

nlohmann::json toJson(const ImportSummary& s) {
    return {{"runsImported", s.runsImported},
            {"runsAlreadyPresent", s.runsAlreadyPresent},
            {"importedUuids", s.importedUuids}};
}

} // namespace ptxwb::store
