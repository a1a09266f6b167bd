// Quantiser quality: round-trip error on Gaussian-like data, better than a plain min/max grid,
// and the edge cases (zero, constant, outlier, huge values) decode sensibly.
#include "reference/dequantize.h"
#include "reference/quantize.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace ptxwb::reference {
namespace {

using gguf::GgmlType;

std::vector<float> gaussian(std::size_t n, std::uint64_t seed, float sigma = 1.0f) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> dist(0.0f, sigma);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    return v;
}

std::vector<float> roundTrip(GgmlType type, const std::vector<float>& x) {
    auto bytes = quantize(type, x, 256);
    EXPECT_TRUE(bytes);
    std::vector<float> out(x.size());
    EXPECT_TRUE(dequantize(type, *bytes, out));
    return out;
}

double relativeRmse(const std::vector<float>& x, const std::vector<float>& y) {
    double err = 0, ref = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        err += (double{x[i]} - y[i]) * (double{x[i]} - y[i]);
        ref += double{x[i]} * x[i];
    }
    return std::sqrt(err / ref);
}

/// Error of the simplest 4-bit affine quantiser (min/max grid per 32 values, exact f32 scales):
/// a search-based quantiser with 6-bit scales must still beat it.
double naiveQ4Rmse(const std::vector<float>& x) {
    double err = 0, ref = 0;
    for (std::size_t b = 0; b < x.size(); b += 32) {
        float lo = x[b], hi = x[b];
        for (int i = 0; i < 32; ++i)
            lo = std::min(lo, x[b + i]), hi = std::max(hi, x[b + i]);
        const float step = (hi - lo) / 15;
        for (int i = 0; i < 32; ++i) {
            const float q = std::round((x[b + i] - lo) / step);
            const double e = double{lo + q * step} - x[b + i];
            err += e * e;
            ref += double{x[b + i]} * x[b + i];
        }
    }
    return std::sqrt(err / ref);
}

TEST(Quantize, RoundTripErrorOnGaussianData) {
    const auto x = gaussian(256 * 256, 1);
    const double q8 = relativeRmse(x, roundTrip(GgmlType::Q8_0, x));
    const double q6 = relativeRmse(x, roundTrip(GgmlType::Q6_K, x));
    const double q4 = relativeRmse(x, roundTrip(GgmlType::Q4_K, x));
    std::printf("relative RMSE: q8_0 %.4f%%, q6_K %.4f%%, q4_K %.4f%% (naive 4-bit %.4f%%)\n",
                100 * q8, 100 * q6, 100 * q4, 100 * naiveQ4Rmse(x));
    // Uniform quantisation noise is step/sqrt(12): ~0.5% for 8 bits, ~2% for 6, ~9% for 4
    // levels over a Gaussian block's range. The bounds leave little room above those.
    EXPECT_LT(q8, 0.006);
    EXPECT_LT(q6, 0.025);
    EXPECT_LT(q4, 0.095);
    EXPECT_LT(q4, naiveQ4Rmse(x));
}

TEST(Quantize, PlainTypesRoundTrip) {
    const std::vector<float> x = {1.0f, -0.5f, 65504.0f, 0x1p-24f, 3.14159f};
    auto f16 = quantize(GgmlType::F16, x, 1);
    ASSERT_TRUE(f16);
    std::vector<float> back(x.size());
    ASSERT_TRUE(dequantize(GgmlType::F16, *f16, back));
    EXPECT_EQ(back[2], 65504.0f);
    EXPECT_EQ(back[3], 0x1p-24f);
    EXPECT_NEAR(back[4], 3.14159f, 1e-3);
    auto f32 = quantize(GgmlType::F32, x, 5);
    ASSERT_TRUE(f32);
    ASSERT_TRUE(dequantize(GgmlType::F32, *f32, back));
    EXPECT_EQ(back, x);
}

TEST(Quantize, EdgeBlocks) {
    for (GgmlType type : {GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q6_K}) {
        const std::vector<float> zeros(256, 0.0f);
        for (float v : roundTrip(type, zeros))
            ASSERT_EQ(v, 0.0f);
        const std::vector<float> constant(256, 0.75f);
        for (float v : roundTrip(type, constant))
            ASSERT_NEAR(v, 0.75f, 0.75f * 0.02f);
        auto outlier = gaussian(256, 3, 0.01f);
        outlier[77] = 50.0f;
        const auto back = roundTrip(type, outlier);
        EXPECT_NEAR(back[77], 50.0f, 50.0f * 0.03f) << gguf::ggmlTypeName(type);
        const auto huge = gaussian(256, 4, 3000.0f);
        EXPECT_LT(relativeRmse(huge, roundTrip(type, huge)), 0.1) << gguf::ggmlTypeName(type);
    }
    // A negative-only Q4_K block uses the min; a positive-only one a zero min.
    std::vector<float> negative(256), positive(256);
    for (int i = 0; i < 256; ++i)
        negative[i] = -1.0f - 0.01f * static_cast<float>(i % 32);
    for (int i = 0; i < 256; ++i)
        positive[i] = 1.0f + 0.01f * static_cast<float>(i % 32);
    EXPECT_LT(relativeRmse(negative, roundTrip(GgmlType::Q4_K, negative)), 0.02);
    EXPECT_LT(relativeRmse(positive, roundTrip(GgmlType::Q4_K, positive)), 0.1);
}

TEST(Quantize, RejectsBadShapes) {
    const std::vector<float> x(100);
    auto r = quantize(GgmlType::Q4_K, x, 100);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "cannot quantise 100 values in rows of 100 to q4_K (block 256)");
    EXPECT_FALSE(quantize(GgmlType::Q4_0, std::vector<float>(32), 32));
}

} // namespace
} // namespace ptxwb::reference
