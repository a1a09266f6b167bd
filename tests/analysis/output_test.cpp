// Renderings of findings: clang-style text with caret lines, the documented JSON schema, and
// SARIF 2.1.0 checked against the structure the specification requires.
#include "analysis/format.h"
#include "analysis/rule.h"
#include "analysis/sarif.h"
#include "analysis_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>

namespace ptxwb::analysis {
namespace {

Finding sampleFinding() {
    Finding f;
    f.ruleId = "shared-address-64bit";
    f.severity = Severity::Error;
    f.kernel = "k";
    f.location = {"b.ptx", 100, 7, 12, 16, 12, 22, "\tst.shared.f32 [%rd16], %f1;"};
    f.message = "st.shared addresses shared memory through the 64-bit register %rd16";
    f.related.push_back({{"b.ptx", 50, 17, 4, 2, 4, 18, "\tmov.u64 %rd13, 0;"},
                         "64-bit base %rd13 formed here from the constant 0"});
    f.fixHint = "form shared addresses in 32-bit registers";
    return f;
}

TEST(TextFormat, ClangStyleWithCaretsNotesAndFix) {
    const std::string text = formatText({sampleFinding()});
    EXPECT_EQ(text, "b.ptx: In kernel 'k':\n"
                    "b.ptx:12:16: error: st.shared addresses shared memory through the 64-bit "
                    "register %rd16 [shared-address-64bit]\n"
                    "\tst.shared.f32 [%rd16], %f1;\n"
                    "\t              ^~~~~~~\n"
                    "b.ptx:4:2: note: 64-bit base %rd13 formed here from the constant 0\n"
                    "\tmov.u64 %rd13, 0;\n"
                    "\t^~~~~~~~~~~~~~~~~\n"
                    "  fix: form shared addresses in 32-bit registers\n");
}

TEST(JsonFormat, DocumentedSchema) {
    AnalysisReport report;
    report.findings.push_back(sampleFinding());
    report.kernels.push_back({"b.ptx", "k", "batched", "grid.y", "none", "", false, 42});
    const auto j = toJson(report);
    EXPECT_EQ(j["schema"], "ptxwb-findings");
    EXPECT_EQ(j["version"], 1);
    const auto& f = j["findings"][0];
    EXPECT_EQ(f["rule"], "shared-address-64bit");
    EXPECT_EQ(f["severity"], "error");
    EXPECT_EQ(f["kernel"], "k");
    EXPECT_EQ(f["location"]["file"], "b.ptx");
    EXPECT_EQ(f["location"]["line"], 12);
    EXPECT_EQ(f["location"]["column"], 16);
    EXPECT_EQ(f["location"]["endColumn"], 22);
    EXPECT_EQ(f["location"]["offset"], 100);
    EXPECT_EQ(f["related"][0]["message"], "64-bit base %rd13 formed here from the constant 0");
    EXPECT_EQ(f["related"][0]["location"]["line"], 4);
    EXPECT_EQ(f["fix"], "form shared addresses in 32-bit registers");
    EXPECT_EQ(j["kernels"][0]["variant"], "batched");
    EXPECT_EQ(j["kernels"][0]["contract"], "inferred");
    EXPECT_EQ(j["kernels"][0]["instructions"], 42);
    EXPECT_EQ(j["counts"]["error"], 1);
    EXPECT_EQ(j["counts"]["note"], 0);
}

/// The parts of the SARIF 2.1.0 schema a consumer relies on; returns the first violation.
std::string sarifViolation(const nlohmann::json& log) {
    if (log.value("version", "") != "2.1.0") return "version must be 2.1.0";
    if (!log.contains("$schema")) return "$schema missing";
    if (!log["runs"].is_array() || log["runs"].empty()) return "runs must be a non-empty array";
    for (const auto& run : log["runs"]) {
        const auto& driver = run["tool"]["driver"];
        if (!driver["name"].is_string()) return "tool.driver.name missing";
        const auto& rules = driver["rules"];
        for (const auto& r : rules) {
            if (!r["id"].is_string()) return "rule without id";
            if (!r["shortDescription"]["text"].is_string()) return "rule without shortDescription";
            const std::string level = r["defaultConfiguration"]["level"];
            if (level != "error" && level != "warning" && level != "note") return "bad rule level";
        }
        for (const auto& res : run["results"]) {
            if (!res["message"]["text"].is_string()) return "result.message.text missing";
            const std::string level = res["level"];
            if (level != "error" && level != "warning" && level != "note" && level != "none")
                return "bad result level";
            if (res.contains("ruleIndex") &&
                rules[res["ruleIndex"].get<std::size_t>()]["id"] != res["ruleId"])
                return "ruleIndex does not match ruleId";
            auto checkLocation = [](const nlohmann::json& loc) -> std::string {
                const auto& phys = loc["physicalLocation"];
                if (!phys["artifactLocation"]["uri"].is_string()) return "uri missing";
                if (phys.contains("region")) {
                    const auto& reg = phys["region"];
                    if (reg["startLine"].get<int>() < 1) return "startLine < 1";
                    if (reg["startColumn"].get<int>() < 1) return "startColumn < 1";
                    if (reg["endColumn"].get<int>() <= reg["startColumn"].get<int>() &&
                        reg["endLine"] == reg["startLine"])
                        return "endColumn must be exclusive and after startColumn";
                }
                return {};
            };
            if (!res["locations"].is_array() || res["locations"].empty()) return "no locations";
            for (const auto& loc : res["locations"])
                if (auto v = checkLocation(loc); !v.empty()) return v;
            std::set<int> ids;
            for (const auto& rel : res.value("relatedLocations", nlohmann::json::array())) {
                if (auto v = checkLocation(rel); !v.empty()) return "related: " + v;
                if (!ids.insert(rel["id"].get<int>()).second) return "duplicate related id";
                if (!rel["message"]["text"].is_string()) return "related message missing";
            }
        }
    }
    return {};
}

TEST(Sarif, StructureRulesLocationsAndRelatedLocations) {
    const auto log = toSarif({sampleFinding()}, "1.2.3");
    EXPECT_EQ(sarifViolation(log), "");
    const auto& run = log["runs"][0];
    EXPECT_EQ(run["tool"]["driver"]["name"], "ptxwb");
    EXPECT_EQ(run["tool"]["driver"]["version"], "1.2.3");
    EXPECT_EQ(run["tool"]["driver"]["rules"].size(), allRules().size());
    EXPECT_THAT(run["tool"]["driver"]["rules"][0]["help"]["markdown"].get<std::string>(),
                testing::HasSubstr("whose address\noperand is a 64-bit register"));
    const auto& res = run["results"][0];
    EXPECT_EQ(res["ruleId"], "shared-address-64bit");
    EXPECT_EQ(res["ruleIndex"], 0);
    EXPECT_EQ(res["level"], "error");
    const auto& region = res["locations"][0]["physicalLocation"]["region"];
    EXPECT_EQ(region["startLine"], 12);
    EXPECT_EQ(region["startColumn"], 16);
    EXPECT_EQ(region["endColumn"], 23); // exclusive
    EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
              "%SRCROOT%");
    EXPECT_EQ(res["locations"][0]["logicalLocations"][0]["name"], "k");
    EXPECT_EQ(res["relatedLocations"][0]["id"], 1);
    EXPECT_EQ(res["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 4);
    EXPECT_EQ(res["properties"]["fixHint"], "form shared addresses in 32-bit registers");
}

TEST(Sarif, RealAnalysisOfTheRmsNormPairIsValid) {
    test::ParsedFiles files;
    files.addFile("analysis/rmsnorm_u64_shared/single.ptx");
    files.addFile("analysis/rmsnorm_u64_shared/batched.ptx");
    const auto report = files.run();
    ASSERT_FALSE(report.findings.empty());
    const auto log = toSarif(report.findings, "0.1.0");
    EXPECT_EQ(sarifViolation(log), "");
    EXPECT_EQ(log["runs"][0]["results"].size(), report.findings.size());
}

TEST(Summary, OneLinePerKernel) {
    const std::string s = formatSummary(
        {{"a.ptx", "rope", "single", "", "indirect", "", true, 10},
         {"a.ptx", "batched_rope", "batched", "grid.y", "batched-positions", "rope", false, 12}});
    EXPECT_EQ(s,
              "file   kernel        variant   batch    positions           contract   paired with\n"
              "a.ptx  rope          single    -        indirect            manifest   -\n"
              "a.ptx  batched_rope  batched   grid.y   batched-positions   inferred   rope\n");
}

} // namespace
} // namespace ptxwb::analysis
