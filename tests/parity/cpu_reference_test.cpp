#include "parity/cpu_reference.h"
#include "parity/inputs.h"

#include <cmath>
#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

using kernels::WeightFormat;

TEST(Half, RoundTripsAndRounds) {
    EXPECT_EQ(halfToFloat(0x3C00), 1.0f);
    EXPECT_EQ(halfToFloat(0xC000), -2.0f);
    EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(halfToFloat(0x7BFF), 65504.0f);
    EXPECT_TRUE(std::isinf(halfToFloat(0x7C00)));
    for (std::uint32_t h = 0; h < 0x7C00; h += 7)
        EXPECT_EQ(floatToHalf(halfToFloat(static_cast<std::uint16_t>(h))), h);
    EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00) << "ties round to even";
    EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
}

TEST(Dequant, Q8_0Block) {
    std::vector<std::uint8_t> blk(34, 0);
    blk[0] = 0x00;
    blk[1] = 0x38; // d = 0.5
    for (int i = 0; i < 32; ++i)
        blk[2 + i] = static_cast<std::uint8_t>(static_cast<std::int8_t>(i - 16));
    std::vector<float> out(32);
    dequantRow(WeightFormat::Q8_0, blk.data(), 32, out.data());
    for (int i = 0; i < 32; ++i)
        EXPECT_EQ(out[i], 0.5f * (i - 16));
}

TEST(Dequant, Q4_KScalesMinsAndNibbleOrder) {
    std::vector<std::uint8_t> blk(144, 0);
    blk[1] = 0x3C; // d = 1
    blk[3] = 0x38; // dmin = 0.5
    std::uint8_t* s = blk.data() + 4;
    s[0] = 2;                       // sub-block 0 scale 2
    s[4] = 3;                       // sub-block 0 min 3
    s[8] = 0x5 | (0x1 << 4);        // sub-block 4: scale low 5, min low 1
    s[0] |= 1 << 6;                 // sub-block 4 scale high bits = 1 -> 5 | 16 = 21
    s[4] |= 2 << 6;                 // sub-block 4 min high bits = 2 -> 1 | 32 = 33
    blk[16 + 0] = 0x7 | (0x9 << 4); // value 0 (low nibble) = 7, value 32 (high) = 9
    blk[16 + 64] = 0xA;             // value 128 = group 2 low nibble = 10 (sub-block 4)
    std::vector<float> out(256);
    dequantRow(WeightFormat::Q4_K, blk.data(), 256, out.data());
    EXPECT_EQ(out[0], 2.0f * 7 - 0.5f * 3);
    EXPECT_EQ(out[1], -0.5f * 3);
    EXPECT_EQ(out[32], 0.0f * 9 - 0.0f) << "sub-block 1 has scale 0 and min 0";
    EXPECT_EQ(out[128], 21.0f * 10 - 0.5f * 33);
}

TEST(Dequant, Q6_KLayout) {
    std::vector<std::uint8_t> blk(210, 0);
    blk[208] = 0x00;
    blk[209] = 0x3C; // d = 1
    for (int i = 0; i < 16; ++i)
        blk[192 + i] = static_cast<std::uint8_t>(i + 1);
    blk[5] = 0x3 | (0x4 << 4);          // ql[5]: value 5 low = 3, value 69 high = 4
    blk[128 + 5] = (1 << 0) | (2 << 4); // qh[5]: value 5 hi bits 1, value 69 hi bits 2
    blk[64 + 40] = 0xF0; // ql[104] = ql[64*1 + 32 + 8]: value 128+8+96 = 232 high nibble 15
    std::vector<float> out(256);
    dequantRow(WeightFormat::Q6_K, blk.data(), 256, out.data());
    EXPECT_EQ(out[5], 1.0f * ((3 | (1 << 4)) - 32));  // scale[0] = 1
    EXPECT_EQ(out[69], 5.0f * ((4 | (2 << 4)) - 32)); // scale[4] = 5
    EXPECT_EQ(out[232], 15.0f * (15 - 32));           // scale[14] = 15
    EXPECT_EQ(out[0], -32.0f);
}

TEST(Reference, GemvBoundCoversAnF32DotProduct) {
    InputGenerator gen(3);
    const int n = 8, k = 512;
    auto w = gen.weights(WeightFormat::Q8_0, n, k);
    auto x = gen.floats(k, Distribution::Normal);
    auto ref = gemvReference(WeightFormat::Q8_0, w, n, k, x, 1);
    std::vector<float> row(k);
    for (int r = 0; r < n; ++r) {
        dequantRow(WeightFormat::Q8_0, w.data() + weightRowBytes(WeightFormat::Q8_0, k) * r, k,
                   row.data());
        float s = 0;
        for (int i = 0; i < k; ++i)
            s += row[i] * x[i];
        EXPECT_LE(std::fabs(s - ref.value[r]), ref.bound[r]) << "row " << r;
        EXPECT_GT(ref.bound[r], 0);
    }
}

TEST(Reference, KvScatterMarksOnlyWrittenRows) {
    std::vector<float> src(2 * 2 * 4);
    for (std::size_t i = 0; i < src.size(); ++i)
        src[i] = static_cast<float>(i);
    std::vector<std::uint8_t> written;
    std::vector<int> pos{3, 5};
    auto ref = kvScatterReference(src, 2, 2, 4, 8, pos, written);
    ASSERT_EQ(written.size(), 2u * 8 * 4);
    EXPECT_EQ(written[(0 * 8 + 3) * 4], 1);
    EXPECT_EQ(written[(0 * 8 + 4) * 4], 0);
    EXPECT_EQ(ref.value[(1 * 8 + 5) * 4 + 2], src[(1 * 2 + 1) * 4 + 2]);
}

TEST(Inputs, SameSeedSameInputs) {
    InputGenerator a(42), b(42), c(43);
    EXPECT_EQ(a.floats(100, Distribution::Outliers), b.floats(100, Distribution::Outliers));
    EXPECT_NE(a.floats(100, Distribution::Normal), c.floats(100, Distribution::Normal));
    auto w = InputGenerator(1).weights(WeightFormat::Q4_K, 2, 512);
    EXPECT_EQ(w.size(), 2u * 2 * 144);
    float d = halfToFloat(static_cast<std::uint16_t>(w[0] | (w[1] << 8)));
    EXPECT_GE(d, 0.0005f);
    EXPECT_LE(d, 0.0021f);
}

} // namespace
} // namespace ptxwb::parity
