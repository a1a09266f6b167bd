// On a machine with a GPU: real pair checks, the probe and the zoo.
#include "cuda/context.h"
#include "kernels/kernel_loader.h"
#include "parity/op_data.h"
#include "parity/pair_runner.h"
#include "parity/probe.h"

#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

class ParityGpu : public ::testing::Test {
protected:
    void SetUp() override {
        auto ctx = cuda::Context::create(0);
        if (!ctx) GTEST_SKIP() << "no GPU: " << ctx.error().message;
        context_ = std::move(ctx).value();
        auto set = kernels::KernelSet::builtin();
        ASSERT_TRUE(set);
        set_ = std::make_unique<kernels::KernelSet>(std::move(set).value());
        const auto& d = context_->device();
        loaded_ = std::make_unique<kernels::LoadedKernelSet>(*set_, d.smMajor * 10 + d.smMinor);
    }
    CheckResult check(const std::string& name, kernels::DimValues shape, int m) {
        CheckOptions o;
        o.shape = std::move(shape);
        o.m = m;
        o.timingRepetitions = 2;
        auto r = runPairCheck(*loaded_, *set_->manifest().find(name), o);
        EXPECT_TRUE(r) << r.error().format();
        return r ? *r : CheckResult{};
    }
    std::unique_ptr<cuda::Context> context_;
    std::unique_ptr<kernels::KernelSet> set_;
    std::unique_ptr<kernels::LoadedKernelSet> loaded_;
};

TEST_F(ParityGpu, GoodGemvPairsAreBitwiseForEveryM) {
    for (const char* k : {"BatchedQ4KGemvKernel", "BatchedQ6KGemvKernel", "BatchedQ8_0GemvKernel",
                          "BatchedF16GemvKernel"})
        for (int m : {1, 3, 16}) {
            auto r = check(k, {{"N", 257}, {"K", 1024}}, m);
            EXPECT_EQ(r.status, CheckStatus::Pass) << k << " M=" << m << ": " << r.summary;
            EXPECT_EQ(r.counts[static_cast<int>(Category::Identical)], 257u * m);
            EXPECT_GT(r.candidateTiming.microseconds, 0);
        }
}

TEST_F(ParityGpu, ElementwiseNormRopeScatterAttentionEmbeddingPass) {
    for (const char* k :
         {"BatchedRmsNormKernel", "BatchedResidualAddKernel", "BatchedSwigluKernel",
          "BatchedRopeKernel", "RopeIndirectKernel", "BatchedKvScatterKernel",
          "KvScatterIndirectKernel", "AttentionPrefillKernel", "BatchedEmbeddingQ8_0Kernel"}) {
        const auto* spec = set_->manifest().find(k);
        auto r = check(k, defaultShapes(spec->op).front(), 4);
        EXPECT_EQ(r.status, CheckStatus::Pass) << k << ": " << r.summary;
    }
}

TEST_F(ParityGpu, RowZeroMutantIsCaughtOnlyForRowsAfterTheFirst) {
    auto r = check("ZooBatchedResidualAddRow0", {{"D", 1000}}, 3);
    EXPECT_EQ(r.status, CheckStatus::Fail);
    EXPECT_EQ(r.counts[static_cast<int>(Category::Identical)], 1000u) << "row 0 is right";
    EXPECT_EQ(r.map.category(0, 5), Category::Identical);
    EXPECT_EQ(r.map.category(1, 5), Category::Mismatch);
    auto single = check("ZooBatchedResidualAddRow0", {{"D", 1000}}, 1);
    EXPECT_EQ(single.status, CheckStatus::Pass) << "M=1 cannot see this bug";
}

TEST_F(ParityGpu, SwigluTailMutantOverrunsTheGuard) {
    auto r = check("ZooBatchedSwigluTail", {{"F", 1000}}, 2);
    EXPECT_EQ(r.status, CheckStatus::Fail);
    EXPECT_EQ(r.guardWordsHit, 1u);
    auto aligned = check("ZooBatchedSwigluTail", {{"F", 1024}}, 2);
    EXPECT_EQ(aligned.guardWordsHit, 0u) << "no tail, no overrun";
}

TEST_F(ParityGpu, ReorderedGemvViolatesBitwiseButStaysWithinTheBound) {
    auto r = check("ZooBatchedQ4KGemvReordered", {{"N", 256}, {"K", 4096}}, 2);
    EXPECT_EQ(r.status, CheckStatus::Fail);
    EXPECT_GT(r.counts[static_cast<int>(Category::Mismatch)], 0u);
    EXPECT_EQ(r.candidateVsOracle.violations, 0u);
    EXPECT_NE(r.summary.find("rounds in a different order"), std::string::npos) << r.summary;
}

TEST_F(ParityGpu, ProbeRecoversExactWeightsAndLocalisesTheQ6KBugs) {
    auto good =
        runDequantProbe(*loaded_, *set_->manifest().find("BatchedQ6KGemvKernel"), 16, 512, 3);
    ASSERT_TRUE(good) << good.error().format();
    EXPECT_EQ(good->mismatches, 0u);
    auto bad =
        runDequantProbe(*loaded_, *set_->manifest().find("ZooBatchedQ6KGemvDequant"), 16, 512, 3);
    ASSERT_TRUE(bad) << bad.error().format();
    EXPECT_GT(bad->mismatches, bad->elements / 2);
    EXPECT_EQ(bad->bySuperBlock.size(), 2u);
    EXPECT_EQ(bad->bySubBlock.size(), 16u);
}

} // namespace
} // namespace ptxwb::parity
