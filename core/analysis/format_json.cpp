#include "analysis/format.h"

namespace ptxwb::analysis {

nlohmann::json toJson(const SourceLocation& l) {
    nlohmann::json j{{"file", l.file}, {"offset", l.offset}, {"length", l.length}};
    if (l.hasPosition()) {
        j["line"] = l.line;
        j["column"] = l.column;
        j["endLine"] = l.endLine;
        j["endColumn"] = l.endColumn;
    }
    return j;
}

nlohmann::json toJson(const AnalysisReport& report) {
    nlohmann::json findings = nlohmann::json::array();
    nlohmann::json counts{{"error", 0}, {"warning", 0}, {"note", 0}};
    for (const auto& f : report.findings) {
        nlohmann::json related = nlohmann::json::array();
        for (const auto& r : f.related)
            related.push_back({{"location", toJson(r.location)}, {"message", r.message}});
        findings.push_back({{"rule", f.ruleId},
                            {"severity", std::string(severityName(f.severity))},
                            {"kernel", f.kernel},
                            {"location", toJson(f.location)},
                            {"message", f.message},
                            {"related", std::move(related)},
                            {"fix", f.fixHint}});
        counts[std::string(severityName(f.severity))] =
            counts[std::string(severityName(f.severity))].get<int>() + 1;
    }
    nlohmann::json kernels = nlohmann::json::array();
    for (const auto& k : report.kernels)
        kernels.push_back({{"file", k.file},
                           {"kernel", k.kernel},
                           {"variant", k.variant},
                           {"batchAxis", k.batchAxis},
                           {"positions", k.positionMode},
                           {"pairedWith", k.pairedWith},
                           {"contract", k.fromManifest ? "manifest" : "inferred"},
                           {"instructions", k.instructions}});
    return {{"schema", "ptxwb-findings"},
            {"version", 1},
            {"findings", std::move(findings)},
            {"kernels", std::move(kernels)},
            {"counts", std::move(counts)}};
}

} // namespace ptxwb::analysis
