// pair-divergence on hand-written pairs: the seed's RMSNorm (64-bit shared addressing in the
// batched kernel only) and a Q6_K-style dequant whose batched variant lost a mask and changed
// its reduction order; a faithful batched variant is silent.
#include "analysis_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::analysis::test {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

TEST(PairDivergence, RmsNormSharedAddressWidthDiffersBetweenTheVariants) {
    ParsedFiles files;
    files.addFile("analysis/rmsnorm_u64_shared/single.ptx");
    files.addFile("analysis/rmsnorm_u64_shared/batched.ptx");
    const auto report = files.run({"pair-divergence"}); // paired by the Batched naming convention
    const auto found = ofRule(report, "pair-divergence", "BatchedVectorizedRmsNormKernel");
    // The shifts and masks that differ between the two (0x1ffffffc, shl 3 in the single kernel;
    // shl 5, shl 2 in the batched one) only turn indices into shared-memory offsets: index
    // arithmetic, not dequantisation, so they are not reported. The address width is.
    EXPECT_THAT(lines(found),
                ElementsAre("80: shared memory is addressed with 64-bit registers in "
                            "BatchedVectorizedRmsNormKernel (line 80) but with 32-bit registers in "
                            "VectorizedRmsNormKernel (line 69)"));
    // Each difference names the other kernel's location as a related note.
    const Finding& width = found.back();
    ASSERT_EQ(width.related.size(), 1u);
    EXPECT_EQ(width.related[0].location.file, "analysis/rmsnorm_u64_shared/single.ptx");
    EXPECT_EQ(width.related[0].location.line, 69u);
    ASSERT_EQ(report.kernels.size(), 2u);
    EXPECT_EQ(report.kernels[0].pairedWith, "BatchedVectorizedRmsNormKernel");
}

TEST(PairDivergence, MissingDequantMaskAndReorderedReduction) {
    ParsedFiles files;
    files.addFile("analysis/q6k_pair.ptx");
    auto analyzer = files.analyzer();
    analyzer->addPair("Q6KDequantSum", "BatchedQ6KDequantSum");
    ASSERT_TRUE(analyzer->selectRules({"pair-divergence"}));
    const auto found = ofRule(analyzer->run(), "pair-divergence");
    ASSERT_THAT(lines(found),
                ElementsAre("77: constant 0x30 masks a value in Q6KDequantSum (line 42) but not "
                            "in BatchedQ6KDequantSum",
                            "117: warp reduction order differs: shuffle offsets 16,8,4,2 in "
                            "Q6KDequantSum (line 47) but 1,2,4,8 in BatchedQ6KDequantSum (line "
                            "117); a different reduction tree breaks bit-for-bit parity"));
    EXPECT_EQ(found[0].related[0].message, "and.b32 0x30 here in Q6KDequantSum");
    EXPECT_EQ(found[0].related[0].location.line, 42u);
}

TEST(PairDivergence, FaithfulBatchedVariantIsSilent) {
    ParsedFiles files;
    files.addFile("analysis/q6k_pair.ptx");
    auto analyzer = files.analyzer();
    analyzer->addPair("Q6KDequantSum", "BatchedQ6KDequantSumFixed");
    ASSERT_TRUE(analyzer->selectRules({"pair-divergence"}));
    EXPECT_THAT(analyzer->run().findings, IsEmpty());
}

TEST(PairDivergence, ByteSelectorArithmeticIsIndexArithmetic) {
    ParsedFiles files;
    files.addFile("analysis/prmt_selector_pair.ptx");
    auto analyzer = files.analyzer();
    analyzer->addPair("ScaleSelect", "BatchedScaleSelect");
    ASSERT_TRUE(analyzer->selectRules({"pair-divergence"}));
    // "and 4" reaches only prmt's selector operand: a byte position, like a shift amount.
    EXPECT_THAT(lines(ofRule(analyzer->run(), "pair-divergence")), IsEmpty());
}

TEST(PairDivergence, UnknownKernelInPairIsAWarningNotACrash) {
    ParsedFiles files;
    files.addFile("analysis/q6k_pair.ptx");
    auto analyzer = files.analyzer();
    analyzer->addPair("Q6KDequantSum", "NoSuchKernel");
    const auto report = analyzer->run();
    EXPECT_THAT(report.warnings, ElementsAre("--pair Q6KDequantSum=NoSuchKernel: no kernel named "
                                             "'NoSuchKernel' in the analysed files"));
}

TEST(PairDivergence, ManifestRolesThatDifferAreReported) {
    ParsedFiles files;
    files.addFile("analysis/q6k_pair.ptx");
    KernelContract single{"Q6KDequantSum",
                          KernelVariant::Single,
                          BatchAxis::GridY,
                          false,
                          {{"ql", "weights", ""}, {"qh", "weights", ""}, {"y", "output", ""}},
                          "",
                          false};
    KernelContract batched{
        "BatchedQ6KDequantSumFixed",
        KernelVariant::Batched,
        BatchAxis::GridY,
        true,
        {{"ql", "weights", ""}, {"qh", "input", ""}, {"y", "output", ""}, {"m", "dim:M", ""}},
        "Q6KDequantSum",
        false};
    const auto found = ofRule(files.run({"pair-divergence"}, {single, batched}), "pair-divergence",
                              "BatchedQ6KDequantSumFixed");
    EXPECT_THAT(lines(found),
                ElementsAre("149: parameter role 'input' appears 0 time(s) in Q6KDequantSum but "
                            "1 in BatchedQ6KDequantSumFixed",
                            "149: parameter role 'weights' appears 2 time(s) in Q6KDequantSum but "
                            "1 in BatchedQ6KDequantSumFixed"));
}

} // namespace
} // namespace ptxwb::analysis::test
