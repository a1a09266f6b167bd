#include "parity/float_compare.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

namespace ptxwb::parity {
namespace {

using kernels::Contract;

TEST(Ulp, DistanceAcrossZeroAndExponents) {
    EXPECT_EQ(ulpDistance(1.0f, 1.0f), 0u);
    EXPECT_EQ(ulpDistance(1.0f, std::nextafter(1.0f, 2.0f)), 1u);
    EXPECT_EQ(ulpDistance(std::nextafter(1.0f, 0.0f), std::nextafter(1.0f, 2.0f)), 2u);
    EXPECT_EQ(ulpDistance(0.0f, -0.0f), 0u);
    const float tiny = std::numeric_limits<float>::denorm_min();
    EXPECT_EQ(ulpDistance(tiny, -tiny), 2u);
    EXPECT_EQ(ulpDistance(1.0f, 2.0f), 1u << 23);
    EXPECT_EQ(ulpDistance(std::nanf(""), 1.0f), 0xFFFFFFFFu);
    EXPECT_EQ(
        ulpDistance(std::numeric_limits<float>::max(), std::numeric_limits<float>::infinity()), 1u);
}

constexpr std::uint32_t kPoison = 0x7FC0DEADu;

TEST(Classify, BitwiseContract) {
    Contract bitwise;
    EXPECT_EQ(classify(1.5f, 1.5f, bitwise, 0, kPoison), Category::Identical);
    EXPECT_EQ(classify(std::nextafter(1.5f, 2.f), 1.5f, bitwise, 0, kPoison), Category::Mismatch);
    EXPECT_EQ(classify(0.0f, -0.0f, bitwise, 0, kPoison), Category::Mismatch)
        << "bitwise means bits";
    EXPECT_EQ(classify(bitsToFloat(kPoison), 1.0f, bitwise, 0, kPoison), Category::Unwritten);
    EXPECT_EQ(classify(std::numeric_limits<float>::infinity(), 1.0f, bitwise, 0, kPoison),
              Category::NanInf);
    EXPECT_EQ(classify(std::nanf(""), std::nanf(""), bitwise, 0, kPoison), Category::NanInf)
        << "NaN is never equal";
    EXPECT_EQ(classify(std::numeric_limits<float>::infinity(),
                       std::numeric_limits<float>::infinity(), bitwise, 0, kPoison),
              Category::Identical);
}

TEST(Classify, UlpAndBoundContracts) {
    Contract ulp2 = *Contract::parse("ulp:2");
    float x = 3.0f;
    float x2 = std::nextafter(std::nextafter(x, 4.f), 4.f);
    EXPECT_EQ(classify(x2, x, ulp2, 0, kPoison), Category::WithinContract);
    EXPECT_EQ(classify(std::nextafter(x2, 4.f), x, ulp2, 0, kPoison), Category::Mismatch);
    Contract bound = *Contract::parse("bound");
    EXPECT_EQ(classify(1.001f, 1.0f, bound, 0.01, kPoison), Category::WithinContract);
    EXPECT_EQ(classify(1.1f, 1.0f, bound, 0.01, kPoison), Category::Mismatch);
}

TEST(UlpHistogram, BucketsArePowersOfTwo) {
    EXPECT_EQ(ulpBucket(0), 0);
    EXPECT_EQ(ulpBucket(1), 1);
    EXPECT_EQ(ulpBucket(2), 2);
    EXPECT_EQ(ulpBucket(3), 3);
    EXPECT_EQ(ulpBucket(4), 3);
    EXPECT_EQ(ulpBucket(5), 4);
    EXPECT_EQ(ulpBucket(8), 4);
    EXPECT_EQ(ulpBucket(9), 5);
    EXPECT_EQ(ulpBucket(0xFFFFFFFFu), kUlpBuckets - 1);
    EXPECT_EQ(ulpBucketLabel(3), "3-4");
    EXPECT_EQ(ulpBucketLabel(4), "5-8");
    EXPECT_EQ(ulpBucketLabel(kUlpBuckets - 1), ">524288");
}

TEST(Gamma, MatchesTheTextbookFormula) {
    double u = std::ldexp(1.0, -24);
    EXPECT_DOUBLE_EQ(gammaF32(4096), 4096 * u / (1 - 4096 * u));
    EXPECT_TRUE(std::isinf(gammaF32(1 << 24)));
}

} // namespace
} // namespace ptxwb::parity
