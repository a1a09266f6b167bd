#include "fixture_runs.h"
#include "store/run_compare.h"
#include "store/run_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::store;
using testing::ElementsAre;

namespace {

store::Run baseline() {
    return fixtures::makeParityRun({});
}

store::Run regressed() {
    fixtures::ParityRunOptions o;
    o.seed = 2;
    o.withDequantBug = true;
    o.driverVersion = "555.42.02";
    return fixtures::makeParityRun(o);
}

const CheckComparison& find(const RunComparison& c, const std::string& name) {
    for (const auto& cc : c.checks) {
        if (cc.name == name) return cc;
    }
    throw std::runtime_error("no check " + name);
}

} // namespace

TEST(CompareRuns, DequantBugShowsAsNewlyFailingAndPointsAtTheChangedKernel) {
    auto cmp = compareRuns(baseline(), regressed());
    const auto& q6k = find(cmp, "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096");
    EXPECT_EQ(q6k.change, CheckChange::NewlyFailing);
    EXPECT_EQ(q6k.statusA, CheckStatus::Passed);
    EXPECT_EQ(q6k.statusB, CheckStatus::Failed);
    EXPECT_EQ(q6k.failingElementsA, 0u);
    EXPECT_EQ(q6k.failingElementsB, 3 * 256u + 1 + 6 - 0) << "3 rows x 256, NaN, 6 unwritten";
    EXPECT_THAT(q6k.changedKernels, ElementsAre("BatchedQ6KGemvKernel"));

    const auto& m1 = find(cmp, "BatchedQ6KGemvKernel vs Q6KGemvKernel M=1 4096x4096");
    EXPECT_EQ(m1.change, CheckChange::Same);
    EXPECT_THAT(m1.changedKernels, ElementsAre("BatchedQ6KGemvKernel"))
        << "the source changed even where the result did not";
    const auto& rms =
        find(cmp, "BatchedVectorizedRmsNormKernel vs VectorizedRmsNormKernel M=4 4096");
    EXPECT_EQ(rms.change, CheckChange::Same);
    EXPECT_TRUE(rms.changedKernels.empty());
    const auto& probe = find(cmp, "BatchedQ6KGemvKernel dequant probe 256x4096");
    EXPECT_EQ(probe.change, CheckChange::OnlyInB);
    EXPECT_FALSE(probe.statusA.has_value());

    EXPECT_EQ(cmp.count(CheckChange::NewlyFailing), 1u);
    EXPECT_EQ(cmp.count(CheckChange::OnlyInB), 1u);
    EXPECT_TRUE(cmp.hasRegressions());

    std::vector<std::string> fields;
    for (const auto& d : cmp.environment)
        fields.push_back(d.field);
    EXPECT_THAT(fields, ElementsAre("driver_version", "kernel_set_hash", "seed"));
    EXPECT_EQ(cmp.environment[0].a, "550.54.15");
    EXPECT_EQ(cmp.environment[0].b, "555.42.02");
    ASSERT_EQ(cmp.kernelSources.size(), 1u);
    EXPECT_EQ(cmp.kernelSources[0].kernel, "BatchedQ6KGemvKernel");
    EXPECT_NE(cmp.kernelSources[0].ptxHashA, cmp.kernelSources[0].ptxHashB);
}

TEST(CompareRuns, ReverseDirectionIsNewlyPassing) {
    auto cmp = compareRuns(regressed(), baseline());
    EXPECT_EQ(find(cmp, "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096").change,
              CheckChange::NewlyPassing);
    EXPECT_EQ(find(cmp, "BatchedQ6KGemvKernel dequant probe 256x4096").change,
              CheckChange::OnlyInA);
    EXPECT_FALSE(cmp.hasRegressions());
    EXPECT_EQ(cmp.checks.size(), 13u) << "B's 12 checks, then the one only in A";
}

TEST(CompareRuns, SameStatusWithDifferentUlpIsEvidenceChanged) {
    store::Run a = regressed();
    store::Run b = regressed();
    b.uuid = "other";
    b.checks[5].maxUlp += 1;
    auto cmp = compareRuns(a, b);
    EXPECT_EQ(cmp.checks[5].change, CheckChange::EvidenceChanged);
    EXPECT_EQ(cmp.count(CheckChange::Same), 12u);
    EXPECT_TRUE(cmp.environment.empty());
}

TEST(CompareRuns, FailedToErrorIsAStatusChangeNotANewFailure) {
    store::Run a = regressed();
    store::Run b = regressed();
    b.checks[5].status = CheckStatus::Error;
    auto cmp = compareRuns(a, b);
    EXPECT_EQ(cmp.checks[5].change, CheckChange::StatusChanged);
    EXPECT_FALSE(cmp.hasRegressions());
}

TEST(CompareRuns, JsonCarriesChangeCountsAndDifferences) {
    auto j = toJson(compareRuns(baseline(), regressed()));
    EXPECT_EQ(j["changeCounts"]["newly_failing"], 1);
    EXPECT_EQ(j["environmentDifferences"][0]["field"], "driver_version");
    EXPECT_EQ(j["kernelSourceDifferences"][0]["kernel"], "BatchedQ6KGemvKernel");
    EXPECT_EQ(j["a"]["environment"]["seed"], 1);
}
