#include "kernels/kernel_set.h"
#include "parity/op_data.h"

#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

using kernels::OpKind;

TEST(Shapes, ParseBothSpellings) {
    auto a = parseShape(OpKind::Gemv, "4096x14336");
    ASSERT_TRUE(a) << a.error().format();
    EXPECT_EQ(a->at("N"), 4096);
    EXPECT_EQ(a->at("K"), 14336);
    auto b = parseShape(OpKind::Gemv, "K=512:N=7");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->at("N"), 7);
    EXPECT_EQ(formatShape(*b), "K=512 N=7");
}

TEST(Shapes, Errors) {
    EXPECT_EQ(parseShape(OpKind::Gemv, "4096").error().message,
              "bad shape '4096': op gemv needs NxK");
    EXPECT_EQ(parseShape(OpKind::RmsNorm, "1x2").error().message,
              "bad shape '1x2': op rmsnorm has 1 dims (D)");
    EXPECT_EQ(parseShape(OpKind::Gemv, "4096xabc").error().message,
              "bad shape '4096xabc': 'abc' is not a positive integer");
    EXPECT_EQ(parseShape(OpKind::Gemv, "N=4").error().message, "bad shape 'N=4': missing dim K");
}

TEST(OpData, GemvBuffersAndReference) {
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set);
    const auto* k = set->manifest().find("BatchedQ6KGemvKernel");
    ASSERT_NE(k, nullptr);
    auto d = buildOpData(*k, {{"N", 12}, {"K", 512}}, 3, Distribution::Normal, 9);
    ASSERT_TRUE(d) << d.error().format();
    EXPECT_EQ(d->inputs.at(kernels::ParamRole::Weights).bytes.size(), 12u * 2 * 210);
    EXPECT_EQ(d->inputs.at(kernels::ParamRole::Input).rowBytes, 512u * 4);
    EXPECT_EQ(d->outputElems, 36u);
    EXPECT_EQ(d->reference.value.size(), 36u);
    EXPECT_EQ(d->dims.at("M"), 3);
    auto bad = buildOpData(*k, {{"N", 12}, {"K", 500}}, 1, Distribution::Normal, 9);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "gemv K=500 must be a multiple of 256");
}

TEST(OpData, KvScatterExpectsOnlyThePositionRows) {
    auto set = kernels::KernelSet::builtin();
    const auto* k = set->manifest().find("BatchedKvScatterKernel");
    auto d = buildOpData(*k, {{"HKV", 2}, {"HD", 8}, {"MAXLEN", 16}}, 4, Distribution::Uniform, 2);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->cacheOutput);
    EXPECT_EQ(d->outputElems, 2u * 16 * 8);
    std::size_t written = 0;
    for (auto w : d->expectedWritten)
        written += w;
    EXPECT_EQ(written, 4u * 2 * 8);
    ASSERT_EQ(d->positions.size(), 4u);
    EXPECT_EQ(d->positions[1], d->positions[0] + 1);
}

} // namespace
} // namespace ptxwb::parity
