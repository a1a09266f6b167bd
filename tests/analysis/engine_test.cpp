// The rule table, findings, contracts and the manifest reader.
#include "analysis/contract.h"
#include "analysis/finding.h"
#include "analysis/manifest_contracts.h"
#include "analysis/rule.h"
#include "analysis_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>

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
    ASSERT_EQ(contracts->size(), 9u);
    const auto& loop = (*contracts)[2];
    EXPECT_EQ(loop.kernel, "batched_gemv_loop");
    EXPECT_EQ(loop.batchAxis, BatchAxis::Loop);
    EXPECT_TRUE(loop.batchAxisDeclared);
    EXPECT_EQ(loop.roleOf("m"), "dim:M");
    EXPECT_EQ((*contracts)[7].pairsWith, "dequant_single"); // pairs_with names → entry names
    EXPECT_FALSE((*contracts)[1].batchAxisDeclared);
}

TEST(Manifest, MalformedManifestsAreLocatedErrors) {
    auto noKernels = contractsFromManifest(nlohmann::json::object(), "ks.json");
    ASSERT_FALSE(noKernels);
    EXPECT_EQ(noKernels.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(noKernels.error().format(), "ks.json: manifest has no \"kernels\" array");
    auto badVariant = contractsFromManifest(
        nlohmann::json::parse(R"({"kernels": [{"name": "K", "variant": "double"}]})"), "ks.json");
    ASSERT_FALSE(badVariant);
    EXPECT_EQ(badVariant.error().message,
              "kernel 'K': variant must be \"single\" or \"batched\", not \"double\"");
    auto badBatch = contractsFromManifest(
        nlohmann::json::parse(R"({"kernels": [{"name": "K", "batch": "grid.w"}]})"), "ks.json");
    ASSERT_FALSE(badBatch);
    EXPECT_THAT(badBatch.error().message,
                HasSubstr("batch must be grid.x, grid.y, grid.z or loop"));
    auto noName = contractsFromManifest(nlohmann::json::parse(R"({"kernels": [{}]})"), "ks.json");
    ASSERT_FALSE(noName);
    EXPECT_EQ(noName.error().message, "kernels[0] has no \"name\"");
}

} // namespace
} // namespace ptxwb::analysis
