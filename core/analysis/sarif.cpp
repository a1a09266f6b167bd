#include "analysis/sarif.h"

#include "analysis/rule.h"

#include <algorithm>
#include <cctype>

namespace ptxwb::analysis {
namespace {

/// "shared-address-64bit" → "SharedAddress64bit" (SARIF rule names are identifiers).
std::string ruleName(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        if (c == '-') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

nlohmann::json physicalLocation(const SourceLocation& l) {
    nlohmann::json artifact{{"uri", l.file}};
    if (!l.file.empty() && l.file.front() != '/') artifact["uriBaseId"] = "%SRCROOT%";
    nlohmann::json loc{{"artifactLocation", std::move(artifact)}};
    if (l.hasPosition()) {
        nlohmann::json region{
            {"startLine", l.line},          {"startColumn", l.column}, {"endLine", l.endLine},
            {"endColumn", l.endColumn + 1}, // SARIF end columns are exclusive
            {"charOffset", l.offset},       {"charLength", l.length}};
        if (!l.lineText.empty()) region["snippet"] = {{"text", l.lineText}};
        loc["region"] = std::move(region);
    }
    return loc;
}

} // namespace

std::string_view sarifLevel(Severity s) {
    return severityName(s);
}

nlohmann::json toSarif(const std::vector<Finding>& findings, std::string_view toolVersion) {
    nlohmann::json rules = nlohmann::json::array();
    const auto table = allRules();
    for (const auto& r : table) {
        nlohmann::json rule{
            {"id", r.id},
            {"name", ruleName(r.id)},
            {"shortDescription", {{"text", r.title}}},
            {"fullDescription",
             {{"text", std::string(r.title) + " (applies to " + std::string(r.appliesTo) + ")"}}},
            {"defaultConfiguration", {{"level", sarifLevel(r.severity)}}},
            {"properties", {{"fixHint", r.fixHint}}}};
        if (auto page = ruleDocumentation(r.id))
            rule["help"] = {{"text", std::string(*page)}, {"markdown", std::string(*page)}};
        rules.push_back(std::move(rule));
    }
    nlohmann::json results = nlohmann::json::array();
    for (const auto& f : findings) {
        const auto it = std::find_if(table.begin(), table.end(),
                                     [&](const RuleInfo& r) { return r.id == f.ruleId; });
        nlohmann::json location{{"physicalLocation", physicalLocation(f.location)}};
        if (!f.kernel.empty())
            location["logicalLocations"] = {{{"name", f.kernel}, {"kind", "function"}}};
        nlohmann::json related = nlohmann::json::array();
        int id = 1;
        for (const auto& r : f.related)
            related.push_back({{"id", id++},
                               {"physicalLocation", physicalLocation(r.location)},
                               {"message", {{"text", r.message}}}});
        nlohmann::json result{{"ruleId", f.ruleId},
                              {"level", sarifLevel(f.severity)},
                              {"message", {{"text", f.message}}},
                              {"locations", {std::move(location)}}};
        if (it != table.end()) result["ruleIndex"] = it - table.begin();
        if (!related.empty()) result["relatedLocations"] = std::move(related);
        if (!f.fixHint.empty()) result["properties"] = {{"fixHint", f.fixHint}};
        results.push_back(std::move(result));
    }
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs",
             {{{"tool",
                {{"driver",
                  {{"name", "ptxwb"},
                   {"version", std::string(toolVersion)},
                   {"rules", std::move(rules)}}}}},
               {"columnKind", "utf16CodeUnits"},
               {"results", std::move(results)}}}}};
}

} // namespace ptxwb::analysis
