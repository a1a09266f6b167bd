// Dequantisation against values computed independently: blocks are packed here from chosen
// quants, scales and mins following docs/kernel-set.md, and the expected value of every element
// is computed from those chosen numbers directly (never by unpacking), with ggml's f32
// operation order: (d·scale)·q − dmin·min for Q4_K, (d·scale)·q for Q6_K, q·d for Q8_0.
#include "reference/dequantize.h"
#include "reference/fp16.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <vector>

namespace ptxwb::reference {
namespace {

using gguf::GgmlType;

/// d values as fp16 bits with their value written out independently.
struct HalfCase {
    std::uint16_t bits;
    float value;
};
const HalfCase kScales[] = {
    {0x3c00, 1.0f},     {0x3800, 0.5f},      {0xc000, -2.0f},    {0x2e66, 0.0999755859375f},
    {0x0000, 0.0f},     {0x8000, -0.0f},     {0x0001, 0x1p-24f}, {0x83ff, -1023 * 0x1p-24f},
    {0x7bff, 65504.0f}, {0xfbff, -65504.0f}, {0x7c00, INFINITY}, {0xfc00, -INFINITY},
};

void expectSameBits(const std::vector<float>& got, const std::vector<float>& want,
                    const char* what) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        ASSERT_EQ(std::bit_cast<std::uint32_t>(got[i]), std::bit_cast<std::uint32_t>(want[i]))
            << what << " element " << i << ": got " << got[i] << ", want " << want[i];
}

void put16(std::byte* p, std::uint16_t v) {
    std::memcpy(p, &v, 2);
}

TEST(DequantQ8_0, EveryQuantAndScaleClass) {
    for (const auto& d : kScales) {
        std::vector<std::byte> block(34 * 8);
        std::vector<float> want;
        for (int b = 0; b < 8; ++b) { // 8 blocks x 32 covers q = -128..127
            put16(block.data() + 34 * b, d.bits);
            for (int i = 0; i < 32; ++i) {
                const int q = -128 + 32 * b + i;
                block[34 * b + 2 + i] = static_cast<std::byte>(static_cast<std::int8_t>(q));
                want.push_back(static_cast<float>(q) * d.value);
            }
        }
        std::vector<float> got(256);
        ASSERT_TRUE(dequantize(GgmlType::Q8_0, block, got));
        expectSameBits(got, want, "q8_0");
    }
}

/// Packs chosen Q4_K parameters: 6-bit scale/min per sub-block, 4-bit quant per value.
std::vector<std::byte> packQ4K(std::uint16_t d, std::uint16_t dmin, const int (&sc)[8],
                               const int (&m)[8], const std::vector<int>& q) {
    std::vector<std::byte> block(144);
    put16(block.data(), d);
    put16(block.data() + 2, dmin);
    std::uint8_t s[12] = {};
    for (int j = 0; j < 8; ++j) {
        if (j < 4) {
            s[j] |= static_cast<std::uint8_t>(sc[j]);
            s[j + 4] |= static_cast<std::uint8_t>(m[j]);
        } else {
            s[j + 4] = static_cast<std::uint8_t>((sc[j] & 0xF) | ((m[j] & 0xF) << 4));
            s[j - 4] |= static_cast<std::uint8_t>((sc[j] >> 4) << 6);
            s[j] |= static_cast<std::uint8_t>((m[j] >> 4) << 6);
        }
    }
    std::memcpy(block.data() + 4, s, 12);
    for (int v = 0; v < 256; ++v) {
        const int group = v / 64, within = v % 64;
        auto& byte = block[16 + 32 * group + within % 32];
        byte |= static_cast<std::byte>(within < 32 ? q[v] : q[v] << 4);
    }
    return block;
}

TEST(DequantQ4K, EveryScaleAndMinBitPosition) {
    int checked = 0;
    for (const auto& d : kScales) {
        for (const auto& dmin : {kScales[0], kScales[2], kScales[6], kScales[8], kScales[10]}) {
            for (int pattern = 0; pattern < 64; pattern += 9) {
                int sc[8], m[8];
                for (int j = 0; j < 8; ++j) {
                    // Rotating values reach every 6-bit value in every sub-block over the loop,
                    // so each bit of each packed scale and min is exercised set and clear.
                    sc[j] = (pattern + 7 * j) % 64;
                    m[j] = (63 - pattern + 5 * j) % 64;
                }
                std::vector<int> q(256);
                for (int v = 0; v < 256; ++v)
                    q[v] = (v * 7 + pattern) % 16;
                const auto block = packQ4K(d.bits, dmin.bits, sc, m, q);
                std::vector<float> want(256);
                for (int v = 0; v < 256; ++v) {
                    const int j = v / 32; // sub-block of value v
                    const float d1 = d.value * static_cast<float>(sc[j]);
                    const float m1 = dmin.value * static_cast<float>(m[j]);
                    want[v] = d1 * static_cast<float>(q[v]) - m1;
                }
                std::vector<float> got(256);
                ASSERT_TRUE(dequantize(GgmlType::Q4_K, block, got));
                expectSameBits(got, want, "q4_K");
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, 12 * 5 * 8);
}

TEST(DequantQ4K, HandComputedValues) {
    int sc[8] = {3, 63, 0, 1, 32, 17, 40, 63}, m[8] = {2, 0, 63, 1, 33, 16, 63, 48};
    std::vector<int> q(256, 15);
    q[0] = 15;
    q[32] = 0;
    q[224] = 7;
    const auto block = packQ4K(0x3c00 /*1*/, 0x3800 /*0.5*/, sc, m, q);
    std::vector<float> got(256);
    ASSERT_TRUE(dequantize(GgmlType::Q4_K, block, got));
    EXPECT_EQ(got[0], 44.0f);    // 1·3·15 − 0.5·2
    EXPECT_EQ(got[32], 0.0f);    // 1·63·0 − 0.5·0
    EXPECT_EQ(got[64], -31.5f);  // 1·0·15 − 0.5·63
    EXPECT_EQ(got[128], 463.5f); // 1·32·15 − 0.5·33
    EXPECT_EQ(got[224], 417.0f); // 1·63·7 − 0.5·48
}

/// Packs chosen Q6_K parameters: 6-bit stored level L (q = L − 32) per value, int8 scales.
std::vector<std::byte> packQ6K(std::uint16_t d, const int (&scales)[16],
                               const std::vector<int>& L) {
    std::vector<std::byte> block(210);
    for (int v = 0; v < 256; ++v) {
        const int half = v / 128, w = v % 128, quarter = w / 32, l = w % 32;
        const int qlIndex = 64 * half + l + (quarter % 2 == 1 ? 32 : 0);
        const int shift = quarter >= 2 ? 4 : 0;
        block[qlIndex] |= static_cast<std::byte>((L[v] & 0xF) << shift);
        block[128 + 32 * half + l] |= static_cast<std::byte>((L[v] >> 4) << (2 * quarter));
    }
    for (int i = 0; i < 16; ++i)
        block[192 + i] = static_cast<std::byte>(static_cast<std::int8_t>(scales[i]));
    put16(block.data() + 208, d);
    return block;
}

TEST(DequantQ6K, EveryQuantBitAndNegativeScales) {
    int checked = 0;
    for (const auto& d : kScales) {
        for (int pattern = 0; pattern < 64; pattern += 5) {
            int scales[16];
            for (int i = 0; i < 16; ++i)
                scales[i] = ((pattern * 11 + i * 37) % 256) - 128; // -128..127
            scales[pattern % 16] = -128;
            scales[(pattern + 1) % 16] = 127;
            std::vector<int> L(256);
            for (int v = 0; v < 256; ++v)
                L[v] = (v * 29 + pattern) % 64; // every 6-bit level
            const auto block = packQ6K(d.bits, scales, L);
            std::vector<float> want(256);
            for (int v = 0; v < 256; ++v)
                want[v] =
                    d.value * static_cast<float>(scales[v / 16]) * static_cast<float>(L[v] - 32);
            std::vector<float> got(256);
            ASSERT_TRUE(dequantize(GgmlType::Q6_K, block, got));
            expectSameBits(got, want, "q6_K");
            ++checked;
        }
    }
    EXPECT_EQ(checked, 12 * 13);
}

TEST(DequantQ6K, HandComputedValues) {
    int scales[16] = {-3, 127, -128, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    std::vector<int> L(256, 32); // q = 0
    L[0] = 63;                   // q = 31
    L[16] = 0;                   // q = -32
    L[40] = 33;                  // q = 1 (scale index 2)
    L[255] = 1;                  // q = -31
    const auto block = packQ6K(0x3400 /*0.25*/, scales, L);
    std::vector<float> got(256);
    ASSERT_TRUE(dequantize(GgmlType::Q6_K, block, got));
    EXPECT_EQ(got[0], -23.25f);   // 0.25·−3·31
    EXPECT_EQ(got[16], -1016.0f); // 0.25·127·−32
    EXPECT_EQ(got[40], -32.0f);   // 0.25·−128·1
    EXPECT_EQ(got[255], -15.5f);  // 0.25·2·−31
    EXPECT_EQ(got[1], 0.0f);
}

TEST(DequantPlain, F16Bf16AndF32) {
    std::vector<std::byte> f16(2 * 4), bf16(2 * 3), f32(4 * 2);
    put16(f16.data(), 0x0001);
    put16(f16.data() + 2, 0xfc00);
    put16(f16.data() + 4, 0x7bff);
    put16(f16.data() + 6, 0x3555); // 0.333251953125
    std::vector<float> got(4);
    ASSERT_TRUE(dequantize(GgmlType::F16, f16, got));
    EXPECT_EQ(got, (std::vector<float>{0x1p-24f, -INFINITY, 65504.0f, 0.333251953125f}));
    put16(bf16.data(), 0x3f80);
    put16(bf16.data() + 2, 0xc049); // -3.140625
    put16(bf16.data() + 4, 0x0001); // bf16 subnormal 2^-133
    std::vector<float> gotBf(3);
    ASSERT_TRUE(dequantize(GgmlType::BF16, bf16, gotBf));
    EXPECT_EQ(gotBf, (std::vector<float>{1.0f, -3.140625f, 0x1p-133f}));
    const float plain[2] = {1.5f, -0.0f};
    std::memcpy(f32.data(), plain, 8);
    std::vector<float> gotF(2);
    ASSERT_TRUE(dequantize(GgmlType::F32, f32, gotF));
    EXPECT_EQ(std::bit_cast<std::uint32_t>(gotF[1]), 0x80000000u);
}

TEST(DequantErrors, UnsupportedTypesAndSizes) {
    std::vector<std::byte> bytes(18);
    std::vector<float> out(32);
    auto s = dequantize(GgmlType::Q4_0, bytes, out);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(s.error().message, "tensor type q4_0 is not supported for dequantisation "
                                 "(supported: f32, f16, bf16, q8_0, q4_K, q6_K)");
    EXPECT_FALSE(dequantize(GgmlType::Q8_0, bytes, out)) << "18 bytes cannot hold a q8_0 block";
}

} // namespace
} // namespace ptxwb::reference
