// The rule table, findings, contracts and the manifest reader.
#include "analysis/contract.h"
#include "analysis/finding.h"
#include "analysis/kernel_set_analysis.h"
#include "analysis/rule.h"
#include "analysis_fixture.h"
#include "kernels/kernel_set.h"

#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>
#include <unistd.h>

namespace ptxwb::analysis {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

TEST(RuleTable, TenRulesWithUniqueIdsPagesAndHints) {
    const auto rules = allRules();
    ASSERT_EQ(rules.size(), 10u);
    std::set<std::string_view> ids;
    for (const auto& r : rules) {
        EXPECT_TRUE(ids.insert(r.id).second) << r.id;
        EXPECT_FALSE(r.title.empty());
        EXPECT_FALSE(r.fixHint.empty());
        const int checks =
            (r.kernelCheck != nullptr) + (r.pairCheck != nullptr) + (r.moduleCheck != nullptr);
        EXPECT_EQ(checks, 1) << r.id;
        auto page = ruleDocumentation(r.id);
        ASSERT_TRUE(page) << "resources/rules/" << r.id << ".md is missing";
        EXPECT_TRUE(page->starts_with("# " + std::string(r.id) + " — ")) << r.id;
    }
    EXPECT_EQ(findRule("shared-address-64bit")->severity, Severity::Error);
    EXPECT_EQ(findRule("resource-usage")->severity, Severity::Note);
    EXPECT_EQ(findRule("no-such-rule"), nullptr);
    EXPECT_FALSE(ruleDocumentation("no-such-rule"));
}

TEST(RuleTable, UnknownRuleSelectionIsAUsageError) {
    Analyzer a;
    auto st = a.selectRules({"shared-race", "bogus"});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, ErrorKind::Usage);
    EXPECT_EQ(st.error().message, "unknown rule 'bogus' (see `ptxwb rules`)");
}

TEST(Findings, SortedByFileLineColumnRule) {
    auto make = [](std::string file, std::uint32_t line, std::uint32_t col, std::string rule) {
        Finding f;
        f.ruleId = std::move(rule);
        f.location.file = std::move(file);
        f.location.line = line;
        f.location.column = col;
        return f;
    };
    std::vector<Finding> v{make("b.ptx", 1, 1, "x"), make("a.ptx", 9, 2, "y"),
                           make("a.ptx", 9, 2, "a"), make("a.ptx", 3, 7, "z")};
    sortFindings(v);
    std::vector<std::string> order;
    for (const auto& f : v)
        order.push_back(f.location.file + ":" + std::to_string(f.location.line) + ":" + f.ruleId);
    EXPECT_THAT(order, ElementsAre("a.ptx:3:z", "a.ptx:9:a", "a.ptx:9:y", "b.ptx:1:x"));
    v[0].severity = Severity::Warning;
    EXPECT_TRUE(anyAtLeast(v, Severity::Warning));
    EXPECT_FALSE(anyAtLeast(v, Severity::Error));
    EXPECT_EQ(parseSeverity("warning"), Severity::Warning);
    EXPECT_FALSE(parseSeverity("fatal"));
}

TEST(Contracts, NamingHeuristics) {
    EXPECT_EQ(inferRoleFromName("position_buf", true), "position_buf");
    EXPECT_EQ(inferRoleFromName("seq_len_buf", true), "seq_len_buf");
    EXPECT_EQ(inferRoleFromName("positions", true), "positions");
    EXPECT_EQ(inferRoleFromName("pos", false), "position");
    EXPECT_EQ(inferRoleFromName("M", false), "dim:M");
    EXPECT_EQ(inferRoleFromName("k", false), "dim:K");
    EXPECT_EQ(inferRoleFromName("qh", true), "weights");
    EXPECT_EQ(inferRoleFromName("gamma", true), "gamma");
    EXPECT_EQ(inferRoleFromName("out", true), "output");
    EXPECT_EQ(inferRoleFromName("x", true), "input");
    EXPECT_EQ(inferRoleFromName("param_3", true), "unknown"); // nvcc lost the name
    EXPECT_EQ(stripMangledParamName("rope", "rope_pos"), "pos");
    EXPECT_EQ(stripMangledParamName("rope", "rope"), "rope");
    const auto c =
        inferContract("BatchedRope", {"BatchedRope_x", "BatchedRope_positions"}, {true, true});
    EXPECT_EQ(c.variant, KernelVariant::Batched);
    EXPECT_TRUE(c.inferred);
    EXPECT_EQ(c.roleOf("BatchedRope_positions"), "positions");
    EXPECT_EQ(c.displayName("BatchedRope_x"), "x (BatchedRope_x)");
    EXPECT_TRUE(isBatchIndexedRole("output"));
    EXPECT_FALSE(isBatchIndexedRole("weights"));
}

TEST(Manifest, ReadsVariantsBatchAxisRolesAndPairs) {
    auto contracts = readManifestContracts(test::dataPath("analysis/cu/kernelset.json"));
    ASSERT_TRUE(contracts) << contracts.error().format();
    ASSERT_EQ(contracts->size(), 11u);
    const auto& loop = (*contracts)[2];
    EXPECT_EQ(loop.kernel, "batched_gemv_loop");
    EXPECT_EQ(loop.batchAxis, BatchAxis::Loop);
    EXPECT_TRUE(loop.batchAxisDeclared);
    EXPECT_EQ(loop.roleOf("m"), "dim:M");
    EXPECT_EQ((*contracts)[7].pairsWith, "dequant_single"); // pairs_with names → entry names
    // A manifest that does not say "batch" declares the default, grid.y.
    EXPECT_EQ((*contracts)[1].batchAxis, BatchAxis::GridY);
    EXPECT_TRUE((*contracts)[1].batchAxisDeclared);
    EXPECT_FALSE((*contracts)[4].batchAxisDeclared); // single kernels have no batch axis
    EXPECT_EQ((*contracts)[4].roleOf("position_buf"), "position_buf");
}

TEST(Manifest, BuiltinSetGivesRolesForIndirectPositions) {
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set) << set.error().format();
    const auto contracts = contractsFromManifest(set->manifest());
    ASSERT_EQ(contracts.size(), set->manifest().kernels.size());
    std::size_t indirect = 0;
    for (const auto& c : contracts)
        for (const auto& p : c.params)
            indirect += isIndirectPositionRole(p.role);
    EXPECT_GT(indirect, 0u); // the graph-mode kernels read position_buf / seq_len_buf
}

/// Writes `text` as a kernelset.json in a fresh temporary directory and reads it back.
Expected<std::vector<KernelContract>> readManifestText(const std::string& text) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("ptxwb-manifest-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "kernelset.json").string();
    std::ofstream(path) << text;
    return readManifestContracts(path);
}

TEST(Manifest, MalformedManifestsAreLocatedErrors) {
    auto notJson = readManifestText("{\"kernels\": [}");
    ASSERT_FALSE(notJson);
    EXPECT_EQ(notJson.error().kind, ErrorKind::BadInput);
    EXPECT_THAT(notJson.error().format(), HasSubstr("kernelset.json:1:"));
    auto badVariant = readManifestText(R"({"name": "s", "version": 1, "kernels": [
  {"name": "K", "entry": "k", "source": "k.cu", "op": "rmsnorm",
   "variant": "double", "params": [], "grid": [1], "block": [32]}]})");
    ASSERT_FALSE(badVariant);
    EXPECT_EQ(badVariant.error().kind, ErrorKind::BadInput);
    EXPECT_THAT(badVariant.error().format(),
                HasSubstr("kernelset.json:3:15: variant must be \"single\" or \"batched\", "
                          "not 'double'"));
    auto badBatch = readManifestText(R"({"name": "s", "version": 1, "kernels": [
  {"name": "K", "entry": "k", "source": "k.cu", "op": "rmsnorm", "variant": "batched",
   "batch": "grid.w", "params": [], "grid": [1], "block": [32]}]})");
    ASSERT_FALSE(badBatch);
    EXPECT_THAT(badBatch.error().format(),
                HasSubstr("kernelset.json:3:13: batch must be \"grid.y\" or \"loop\""));
}

} // namespace
} // namespace ptxwb::analysis
