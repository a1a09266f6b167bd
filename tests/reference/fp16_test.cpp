// fp16 / bf16 conversions against independent formulas, exhaustively where the domain allows.
#include "reference/fp16.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>

namespace ptxwb::reference {
namespace {

/// IEEE binary16 decoded with ldexp: the definition, not a bit trick.
float halfByDefinition(std::uint16_t h) {
    const bool negative = (h & 0x8000) != 0;
    const int e = (h >> 10) & 0x1f;
    const int m = h & 0x3ff;
    float v;
    if (e == 0)
        v = std::ldexp(static_cast<float>(m), -24);
    else if (e == 31)
        v = m == 0 ? INFINITY : NAN;
    else
        v = std::ldexp(static_cast<float>(1024 + m), e - 25);
    return negative ? -v : v;
}

TEST(Fp16, EveryHalfConvertsExactly) {
    for (std::uint32_t h = 0; h <= 0xffff; ++h) {
        const float got = halfToFloat(static_cast<std::uint16_t>(h));
        const float want = halfByDefinition(static_cast<std::uint16_t>(h));
        if (std::isnan(want)) {
            // ggml (software path and F16C) returns the payload shifted up, made quiet.
            const std::uint32_t expected =
                ((h & 0x8000u) << 16) | 0x7fc00000u | ((h & 0x3ffu) << 13);
            ASSERT_EQ(std::bit_cast<std::uint32_t>(got), expected) << std::hex << h;
        } else {
            ASSERT_EQ(std::bit_cast<std::uint32_t>(got), std::bit_cast<std::uint32_t>(want))
                << std::hex << h;
        }
    }
}

TEST(Fp16, SpotValues) {
    EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
    EXPECT_EQ(halfToFloat(0xc000), -2.0f);
    EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
    EXPECT_EQ(halfToFloat(0x0001), 0x1p-24f);        // smallest subnormal
    EXPECT_EQ(halfToFloat(0x03ff), 1023 * 0x1p-24f); // largest subnormal
    EXPECT_EQ(halfToFloat(0x0400), 0x1p-14f);        // smallest normal
    EXPECT_EQ(halfToFloat(0x7c00), INFINITY);
    EXPECT_EQ(halfToFloat(0xfc00), -INFINITY);
    EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
}

TEST(Fp16, FloatToHalfRoundsToNearestEven) {
    // Every finite half survives the round trip.
    for (std::uint32_t h = 0; h <= 0xffff; ++h) {
        if (((h >> 10) & 0x1f) == 31) continue;
        ASSERT_EQ(floatToHalf(halfToFloat(static_cast<std::uint16_t>(h))), h) << std::hex << h;
    }
    // Midpoints between neighbours go to the even one (exact in float: 12 significant bits).
    for (std::uint16_t h = 0; h < 0x7bff; ++h) {
        const double mid = (double{halfToFloat(h)} + double{halfToFloat(h + 1)}) / 2;
        const std::uint16_t even = (h & 1) ? static_cast<std::uint16_t>(h + 1) : h;
        ASSERT_EQ(floatToHalf(static_cast<float>(mid)), even) << std::hex << h;
        ASSERT_EQ(floatToHalf(-static_cast<float>(mid)), even | 0x8000) << std::hex << h;
    }
    EXPECT_EQ(floatToHalf(65519.99f), 0x7bff);
    EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
    EXPECT_EQ(floatToHalf(1e30f), 0x7c00);
    EXPECT_EQ(floatToHalf(-INFINITY), 0xfc00);
    EXPECT_EQ(floatToHalf(NAN), 0x7e00);
    EXPECT_EQ(floatToHalf(0x1p-25f), 0x0000); // tie between 0 and 2^-24: even is 0
    EXPECT_EQ(floatToHalf(0x1.8p-25f), 0x0001);
    EXPECT_EQ(floatToHalf(1e-10f), 0x0000);
}

TEST(Bf16, ConversionsMatchTheDefinition) {
    for (std::uint32_t b = 0; b <= 0xffff; ++b)
        ASSERT_EQ(std::bit_cast<std::uint32_t>(bf16ToFloat(static_cast<std::uint16_t>(b))),
                  b << 16);
    EXPECT_EQ(floatToBf16(1.0f), 0x3f80);
    EXPECT_EQ(floatToBf16(std::bit_cast<float>(0x3f808000u)), 0x3f80); // tie to even (down)
    EXPECT_EQ(floatToBf16(std::bit_cast<float>(0x3f818000u)), 0x3f82); // tie to even (up)
    EXPECT_EQ(floatToBf16(std::bit_cast<float>(0x3f808001u)), 0x3f81);
    EXPECT_EQ(floatToBf16(std::bit_cast<float>(0x7f800001u)), 0x7fc0); // NaN made quiet
    EXPECT_EQ(floatToBf16(INFINITY), 0x7f80);
}

} // namespace
} // namespace ptxwb::reference
