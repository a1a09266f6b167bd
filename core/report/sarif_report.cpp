// SARIF 2.1.0 for static-analysis findings: code-scanning UIs show each finding on its PTX line
// with the related ranges (e.g. the 32-bit use a 64-bit shared address conflicts with).
#include "report/report.h"

#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace ptxwb::reports {

using namespace store;

namespace {

/// A relative path as a URI reference: unreserved characters and '/' as is, the rest %XX.
std::string uriOf(std::string_view path) {
    std::string out;
    for (char c : path) {
        auto u = static_cast<unsigned char>(c);
        bool keep =
            std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        out += keep ? std::string(1, c) : fmt::format("%{:02X}", u);
    }
    return out;
}

nlohmann::json region(std::uint32_t line, std::uint32_t col, std::uint32_t endLine,
                      std::uint32_t endCol) {
    nlohmann::json r{{"startLine", line}};
    if (col > 0) r["startColumn"] = col;
    if (endLine >= line && endLine > 0) r["endLine"] = endLine;
    if (endCol > 0 && endLine > 0) r["endColumn"] = endCol;
    return r;
}

nlohmann::json physicalLocation(const std::string& file, std::uint32_t line, std::uint32_t col,
                                std::uint32_t endLine, std::uint32_t endCol) {
    nlohmann::json p{{"artifactLocation", {{"uri", uriOf(file)}}}};
    // SARIF regions are 1-based; a finding without a line points at the whole file.
    if (line > 0) p["region"] = region(line, col, endLine, endCol);
    return p;
}

const char* level(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Note:
        return "note";
    }
    return "warning";
}

} // namespace

std::string renderSarif(const ReportInput& input) {
    const Run& run = input.run;
    nlohmann::json rules = nlohmann::json::array();
    std::map<std::string, std::size_t> ruleIndex;
    for (const auto& f : run.findings) {
        if (ruleIndex.contains(f.ruleId)) continue;
        ruleIndex[f.ruleId] = rules.size();
        nlohmann::json rule{{"id", f.ruleId},
                            {"defaultConfiguration", {{"level", level(f.severity)}}}};
        auto info = input.rules.find(f.ruleId);
        if (info != input.rules.end()) {
            if (!info->second.name.empty()) rule["name"] = info->second.name;
            rule["shortDescription"] = {{"text", info->second.shortDescription.empty()
                                                     ? f.ruleId
                                                     : info->second.shortDescription}};
            if (!info->second.helpUri.empty()) rule["helpUri"] = info->second.helpUri;
        } else {
            rule["shortDescription"] = {{"text", f.ruleId}};
        }
        if (!f.fixHint.empty()) rule["help"] = {{"text", f.fixHint}};
        rules.push_back(std::move(rule));
    }

    nlohmann::json results = nlohmann::json::array();
    for (const auto& f : run.findings) {
        nlohmann::json location{{"physicalLocation", physicalLocation(f.file, f.line, f.column,
                                                                      f.endLine, f.endColumn)}};
        if (!f.kernel.empty()) {
            location["logicalLocations"] =
                nlohmann::json::array({{{"name", f.kernel}, {"kind", "function"}}});
        }
        nlohmann::json result{{"ruleId", f.ruleId},
                              {"ruleIndex", ruleIndex[f.ruleId]},
                              {"level", level(f.severity)},
                              {"message", {{"text", f.message}}},
                              {"locations", nlohmann::json::array({location})}};
        if (!f.related.empty()) {
            nlohmann::json related = nlohmann::json::array();
            int id = 0;
            for (const auto& r : f.related) {
                related.push_back({{"id", ++id},
                                   {"physicalLocation", physicalLocation(r.file, r.line, r.column,
                                                                         r.endLine, r.endColumn)},
                                   {"message", {{"text", r.message}}}});
            }
            result["relatedLocations"] = related;
        }
        if (!f.fixHint.empty()) result["properties"] = {{"fixHint", f.fixHint}};
        results.push_back(std::move(result));
    }

    nlohmann::json invocation{{"executionSuccessful", run.status != RunStatus::Error},
                              {"commandLine", shellCommandLine(run.commandLine)},
                              {"arguments", run.commandLine},
                              {"startTimeUtc", formatUtc(run.startedUnixMs)},
                              {"endTimeUtc", formatUtc(run.endedUnixMs)}};
    if (!run.environment.host.empty()) invocation["machine"] = run.environment.host;
    if (run.status == RunStatus::Error && !run.statusReason.empty()) {
        invocation["exitCodeDescription"] = run.statusReason;
    }
    nlohmann::json driver{
        {"name", "ptxwb"},
        {"version", input.ptxwbVersion.empty() ? run.environment.ptxwbVersion : input.ptxwbVersion},
        {"rules", rules}};
    nlohmann::json sarifRun{
        {"tool", {{"driver", driver}}},
        {"automationDetails", {{"id", fmt::format("ptxwb/{}/{}", run.command, run.uuid)}}},
        {"invocations", nlohmann::json::array({invocation})},
        {"results", results},
        {"properties",
         {{"gpuName", run.environment.gpuName},
          {"smArch", run.environment.smArch},
          {"driverVersion", run.environment.driverVersion},
          {"toolkitVersion", run.environment.toolkitVersion},
          {"kernelSetHash", run.environment.kernelSetHash}}}};
    nlohmann::json sarif{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                         {"version", "2.1.0"},
                         {"runs", nlohmann::json::array({sarifRun})}};
    return sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace ptxwb::reports
