// The reference ops on hand-checked cases, thread-count independence, and their error bounds:
// straightforward f32 implementations stay within the bound, a buggy one does not.
#include "reference/error_bounds.h"
#include "reference/ops.h"
#include "reference/quantize.h"
#include "util/thread_pool.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace ptxwb::reference {
namespace {

using gguf::GgmlType;

std::vector<float> randomVector(std::size_t n, std::uint64_t seed, float lo = -1, float hi = 1) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    return v;
}

struct OwnedMatrix {
    std::vector<std::byte> bytes;
    QuantMatrix view;
};

OwnedMatrix makeMatrix(GgmlType type, std::size_t rows, std::size_t cols, std::uint64_t seed) {
    OwnedMatrix m;
    m.bytes = *quantize(type, randomVector(rows * cols, seed), cols);
    m.view = *QuantMatrix::make(type, rows, cols, m.bytes);
    return m;
}

TEST(Gemv, MatchesPlainDoubleSumOverDequantisedWeights) {
    for (GgmlType type : {GgmlType::F32, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q6_K}) {
        const auto w = makeMatrix(type, 48, 512, 5);
        const auto x = randomVector(3 * 512, 6);
        std::vector<double> y(3 * 48);
        ASSERT_TRUE(gemv(w.view, std::span<const float>(x), 3, y));
        const auto deq = dequantizeMatrix(w.view);
        for (std::size_t m = 0; m < 3; ++m)
            for (std::size_t n = 0; n < 48; ++n) {
                double want = 0, mag = 0;
                for (std::size_t k = 0; k < 512; ++k) {
                    want += double{deq[n * 512 + k]} * x[m * 512 + k];
                    mag += std::fabs(double{deq[n * 512 + k]} * x[m * 512 + k]);
                }
                ASSERT_NEAR(y[m * 48 + n], want, 1e-13 * mag);
            }
    }
}

TEST(Gemv, ResultsDoNotDependOnThreadCount) {
    const auto w = makeMatrix(GgmlType::Q4_K, 300, 1024, 7);
    const auto x = randomVector(4 * 1024, 8);
    ThreadPool one(1), four(4);
    std::vector<double> a(4 * 300), b(4 * 300);
    ASSERT_TRUE(gemv(w.view, std::span<const float>(x), 4, a, &one));
    ASSERT_TRUE(gemv(w.view, std::span<const float>(x), 4, b, &four));
    EXPECT_EQ(a, b);
}

TEST(Gemv, RejectsWrongSizes) {
    const auto w = makeMatrix(GgmlType::F32, 4, 32, 1);
    std::vector<float> x(31);
    std::vector<double> y(4);
    auto s = gemv(w.view, std::span<const float>(x), 1, y);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message, "gemv: x has 31 elements, expected 32");
}

TEST(GemvBound, F32KernelsWithinAndBuggyKernelOutside) {
    const auto w = makeMatrix(GgmlType::Q6_K, 64, 4096, 9);
    const auto x = randomVector(4096, 10, -4, 4);
    std::vector<double> y(64), bound(64);
    ASSERT_TRUE(gemv(w.view, std::span<const float>(x), 1, y));
    ASSERT_TRUE(gemvErrorBound(w.view, x, 1, bound));
    const auto deq = dequantizeMatrix(w.view);
    int caught = 0;
    for (std::size_t n = 0; n < 64; ++n) {
        // Three summation orders a kernel might use: forward, reverse, 32 strided lanes + tree.
        float forward = 0, reverse = 0, lanes[32] = {};
        for (std::size_t k = 0; k < 4096; ++k)
            forward += deq[n * 4096 + k] * x[k];
        for (std::size_t k = 4096; k-- > 0;)
            reverse += deq[n * 4096 + k] * x[k];
        for (std::size_t k = 0; k < 4096; ++k)
            lanes[k % 32] += deq[n * 4096 + k] * x[k];
        for (int width = 16; width >= 1; width /= 2)
            for (int i = 0; i < width; ++i)
                lanes[i] += lanes[i + width];
        EXPECT_TRUE(withinBound(y[n], forward, bound[n]));
        EXPECT_TRUE(withinBound(y[n], reverse, bound[n]));
        EXPECT_TRUE(withinBound(y[n], lanes[0], bound[n]));
        // A kernel that skips the last super-block's contribution is caught (unless those 256
        // terms happen to cancel to within the bound, which random rows rarely do).
        float skipped = 0;
        for (std::size_t k = 0; k < 4096 - 256; ++k)
            skipped += deq[n * 4096 + k] * x[k];
        caught += withinBound(y[n], skipped, bound[n]) ? 0 : 1;
        // The bound is meaningful: far below the magnitude of the terms.
        double mag = 0;
        for (std::size_t k = 0; k < 4096; ++k)
            mag += std::fabs(double{deq[n * 4096 + k]} * x[k]);
        EXPECT_LT(bound[n], 4096 * 1.1 * 0x1p-24 * mag);
        EXPECT_GT(bound[n], 4096 * 0x1p-24 * mag);
    }
    EXPECT_GE(caught, 56);
}

TEST(RmsNorm, HandValueAndBound) {
    const std::vector<float> x = {3, 4}, g = {1, 2};
    std::vector<double> y(2);
    ASSERT_TRUE(rmsNorm(std::span<const float>(x), 1, g, 0.0, y));
    EXPECT_NEAR(y[0], 3 / std::sqrt(12.5), 1e-15);
    EXPECT_NEAR(y[1], 8 / std::sqrt(12.5), 1e-15);
    const auto big = randomVector(2 * 4096, 11, -3, 3);
    const auto gamma = randomVector(4096, 12, 0.5, 1.5);
    std::vector<double> ref(big.size()), bound(big.size());
    ASSERT_TRUE(rmsNorm(std::span<const float>(big), 2, gamma, 1e-5, ref));
    ASSERT_TRUE(rmsNormErrorBound(big, 2, gamma, 1e-5, bound));
    for (std::size_t r = 0; r < 2; ++r) {
        float sum = 0;
        for (std::size_t i = 0; i < 4096; ++i)
            sum += big[r * 4096 + i] * big[r * 4096 + i];
        const float scale = 1.0f / std::sqrt(sum / 4096.0f + 1e-5f);
        for (std::size_t i = 0; i < 4096; ++i) {
            const float f = big[r * 4096 + i] * scale * gamma[i];
            ASSERT_TRUE(withinBound(ref[r * 4096 + i], f, bound[r * 4096 + i]));
        }
    }
}

TEST(Rope, PairingModesAndAngles) {
    // One head of dim 4 at position 1, base 10000: pair 0 turns by 1 rad, pair 1 by 0.01 rad.
    const std::vector<float> x = {1, 2, 3, 4};
    const std::vector<std::int32_t> pos = {1};
    std::vector<double> llama(4), neox(4);
    ASSERT_TRUE(rope(std::span<const float>(x), 1, 1, 4, pos, 10000.0, RopeMode::Llama, llama));
    ASSERT_TRUE(rope(std::span<const float>(x), 1, 1, 4, pos, 10000.0, RopeMode::Neox, neox));
    const double c0 = std::cos(1.0), s0 = std::sin(1.0), c1 = std::cos(0.01), s1 = std::sin(0.01);
    EXPECT_NEAR(llama[0], 1 * c0 - 2 * s0, 1e-15); // pairs (x0, x1), (x2, x3)
    EXPECT_NEAR(llama[1], 1 * s0 + 2 * c0, 1e-15);
    EXPECT_NEAR(llama[2], 3 * c1 - 4 * s1, 1e-15);
    EXPECT_NEAR(neox[0], 1 * c0 - 3 * s0, 1e-15); // pairs (x0, x2), (x1, x3)
    EXPECT_NEAR(neox[2], 1 * s0 + 3 * c0, 1e-15);
    EXPECT_NEAR(neox[1], 2 * c1 - 4 * s1, 1e-15);
    std::vector<double> still(4);
    ASSERT_TRUE(rope(std::span<const float>(x), 1, 1, 4, std::vector<std::int32_t>{0}, 10000.0,
                     RopeMode::Llama, still));
    EXPECT_EQ(still, (std::vector<double>{1, 2, 3, 4}));
}

TEST(Rope, SubnormalInputsStayWithinBound) {
    // Products of subnormals round to an absolute 2^-150, not a relative u: the bound must
    // carry that floor (parity's "special" inputs found it).
    const std::size_t hd = 64;
    std::vector<float> x(hd);
    for (std::size_t i = 0; i < hd; ++i)
        x[i] = i % 2 ? std::ldexp(1.0f, -140) * static_cast<float>(1 + 37 * i % 1000) : 0.0f;
    const std::vector<std::int32_t> pos = {1234};
    std::vector<double> ref(hd), bound(hd);
    ASSERT_TRUE(rope(std::span<const float>(x), 1, 1, hd, pos, 10000.0, RopeMode::Llama, ref));
    ASSERT_TRUE(ropeErrorBound(x, 1, 1, hd, pos, 10000.0, RopeMode::Llama, bound));
    for (std::size_t i = 0; i < hd / 2; ++i) {
        const float inv =
            std::pow(10000.0f, -2.0f * static_cast<float>(i) / static_cast<float>(hd));
        const float angle = static_cast<float>(pos[0]) * inv;
        const float c = std::cos(angle), s = std::sin(angle);
        const float y0 = x[2 * i] * c - x[2 * i + 1] * s, y1 = x[2 * i] * s + x[2 * i + 1] * c;
        EXPECT_TRUE(withinBound(ref[2 * i], y0, bound[2 * i])) << i;
        EXPECT_TRUE(withinBound(ref[2 * i + 1], y1, bound[2 * i + 1])) << i;
    }
}

TEST(Rope, GgmlStyleF32KernelWithinBound) {
    // ggml forms the angle iteratively in f32 (theta *= base^(-2/HD)) and uses sinf/cosf.
    const std::size_t heads = 4, hd = 128, rows = 3;
    const auto x = randomVector(rows * heads * hd, 13, -2, 2);
    const std::vector<std::int32_t> pos = {0, 17, 4095};
    std::vector<double> ref(x.size()), bound(x.size());
    for (RopeMode mode : {RopeMode::Llama, RopeMode::Neox}) {
        ASSERT_TRUE(rope(std::span<const float>(x), rows, heads, hd, pos, 10000.0, mode, ref));
        ASSERT_TRUE(ropeErrorBound(x, rows, heads, hd, pos, 10000.0, mode, bound));
        const float thetaScale = std::pow(10000.0f, -2.0f / static_cast<float>(hd));
        for (std::size_t r = 0; r < rows; ++r) {
            float theta = static_cast<float>(pos[r]);
            for (std::size_t i = 0; i < hd / 2; ++i) {
                const float c = std::cos(theta), s = std::sin(theta);
                for (std::size_t h = 0; h < heads; ++h) {
                    const std::size_t base = (r * heads + h) * hd;
                    const std::size_t a = base + (mode == RopeMode::Llama ? 2 * i : i);
                    const std::size_t b = base + (mode == RopeMode::Llama ? 2 * i + 1 : i + hd / 2);
                    const float y0 = x[a] * c - x[b] * s, y1 = x[a] * s + x[b] * c;
                    ASSERT_TRUE(withinBound(ref[a], y0, bound[a])) << r << " " << i;
                    ASSERT_TRUE(withinBound(ref[b], y1, bound[b])) << r << " " << i;
                }
                theta *= thetaScale;
            }
        }
        // A kernel reading a stale position (18 instead of 17, the position_buf bug class)
        // leaves most of the head outside the bound.
        int outside = 0;
        for (std::size_t i = 0; i < hd / 2; ++i) {
            const double theta = 18.0 * std::pow(10000.0, -2.0 * static_cast<double>(i) / hd);
            const std::size_t a = heads * hd + (mode == RopeMode::Llama ? 2 * i : i);
            const std::size_t b = heads * hd + (mode == RopeMode::Llama ? 2 * i + 1 : i + hd / 2);
            const auto stale = static_cast<float>(x[a] * std::cos(theta) - x[b] * std::sin(theta));
            if (!withinBound(ref[a], stale, bound[a])) ++outside;
        }
        EXPECT_GT(outside, 16);
    }
}

TEST(Swiglu, ValuesAndBound) {
    const std::vector<float> g = {0, 1, -100, 30, -5}, u = {3, 2, 1, 0.5, -2};
    std::vector<double> y(5), bound(5);
    ASSERT_TRUE(swiglu(std::span<const float>(g), std::span<const float>(u), y));
    ASSERT_TRUE(swigluErrorBound(g, u, bound));
    EXPECT_EQ(y[0], 0.0);
    EXPECT_NEAR(y[1], 2.0 / (1 + std::exp(-1.0)), 1e-15);
    for (std::size_t i = 0; i < g.size(); ++i) {
        const float f = g[i] / (1.0f + std::exp(-g[i])) * u[i];
        EXPECT_TRUE(withinBound(y[i], f, bound[i])) << i;
    }
}

TEST(ResidualAdd, ExactUpToOneRounding) {
    const std::vector<float> a = {1e8f, 0.1f}, b = {1.0f, 0.2f};
    std::vector<double> y(2), bound(2);
    ASSERT_TRUE(residualAdd(std::span<const float>(a), std::span<const float>(b), y));
    ASSERT_TRUE(residualAddErrorBound(a, b, bound));
    EXPECT_EQ(y[0], 100000001.0);
    EXPECT_TRUE(withinBound(y[0], a[0] + b[0], bound[0]));
    EXPECT_TRUE(withinBound(y[1], a[1] + b[1], bound[1]));
    EXPECT_FALSE(withinBound(y[1], a[1], bound[1]));
}

TEST(Attention, CausalGroupedHeads) {
    // 2 query rows, 4 heads sharing 2 KV heads, head dim 2, cache of 3 positions.
    AttentionShape s{2, 4, 2, 2, 3};
    std::vector<float> q(2 * 4 * 2, 0.0f); // zero queries: uniform attention over the prefix
    std::vector<float> k(2 * 3 * 2, 1.0f), v(2 * 3 * 2);
    for (std::size_t g = 0; g < 2; ++g)
        for (std::size_t j = 0; j < 3; ++j)
            for (std::size_t d = 0; d < 2; ++d)
                v[(g * 3 + j) * 2 + d] = static_cast<float>(100 * g + 10 * j + d);
    const std::vector<std::int32_t> pos = {0, 2};
    std::vector<double> out(q.size());
    ASSERT_TRUE(attention(s, std::span<const float>(q), std::span<const float>(k),
                          std::span<const float>(v), pos, out));
    // Row 0 sees only position 0; row 1 averages positions 0..2. Heads 0,1 read KV head 0.
    EXPECT_EQ(out[(0 * 4 + 1) * 2 + 1], 1.0);            // row 0, head 1, d 1: v[0][0][1]
    EXPECT_EQ(out[(0 * 4 + 2) * 2 + 0], 100.0);          // row 0, head 2 -> KV head 1
    EXPECT_NEAR(out[(1 * 4 + 0) * 2 + 0], 10.0, 1e-12);  // mean of 0, 10, 20
    EXPECT_NEAR(out[(1 * 4 + 3) * 2 + 1], 111.0, 1e-12); // mean of 101, 111, 121
    auto bad = attention(s, std::span<const float>(q), std::span<const float>(k),
                         std::span<const float>(v), std::vector<std::int32_t>{0, 3}, out);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "attention: position 3 of row 1 is outside the cache of 3");
}

TEST(Attention, NaiveF32SoftmaxWithinBound) {
    AttentionShape s{3, 8, 2, 64, 40};
    const auto q = randomVector(3 * 8 * 64, 20, -1, 1), k = randomVector(2 * 40 * 64, 21, -1, 1),
               v = randomVector(2 * 40 * 64, 22, -2, 2);
    const std::vector<std::int32_t> pos = {0, 17, 39};
    std::vector<double> ref(q.size()), bound(q.size());
    ASSERT_TRUE(attention(s, std::span<const float>(q), std::span<const float>(k),
                          std::span<const float>(v), pos, ref));
    ASSERT_TRUE(attentionErrorBound(s, q, k, v, pos, bound));
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t h = 0; h < 8; ++h) {
            const std::size_t g = h / 4, len = static_cast<std::size_t>(pos[r]) + 1;
            std::vector<float> p(len);
            float mx = -INFINITY, sum = 0;
            for (std::size_t j = 0; j < len; ++j) {
                float acc = 0;
                for (std::size_t d = 0; d < 64; ++d)
                    acc += q[(r * 8 + h) * 64 + d] * k[(g * 40 + j) * 64 + d];
                p[j] = acc / 8.0f;
                mx = std::max(mx, p[j]);
            }
            for (auto& e : p)
                sum += (e = std::exp(e - mx));
            for (std::size_t d = 0; d < 64; ++d) {
                float o = 0;
                for (std::size_t j = 0; j < len; ++j)
                    o += p[j] / sum * v[(g * 40 + j) * 64 + d];
                const std::size_t i = (r * 8 + h) * 64 + d;
                ASSERT_TRUE(withinBound(ref[i], o, bound[i])) << r << " " << h << " " << d;
                ASSERT_LT(bound[i], 1e-4);
            }
        }
}

TEST(Embedding, LooksUpDequantisedRows) {
    const auto table = makeMatrix(GgmlType::Q8_0, 10, 64, 30);
    std::vector<double> y(2 * 64);
    ASSERT_TRUE(embedding(table.view, std::vector<std::int32_t>{9, 0}, y));
    const auto deq = dequantizeMatrix(table.view);
    EXPECT_EQ(y[0], deq[9 * 64]);
    EXPECT_EQ(y[64 + 63], deq[63]);
    auto bad = embedding(table.view, std::vector<std::int32_t>{10}, std::span<double>(y).first(64));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "token id 10 is outside the vocabulary of 10 tokens");
}

TEST(Bounds, GammaAndWithinBound) {
    EXPECT_DOUBLE_EQ(gamma(1), 0x1p-24 / (1 - 0x1p-24));
    EXPECT_TRUE(std::isinf(gamma(1 << 24)));
    EXPECT_FALSE(withinBound(1.0, NAN, 1e30));
    EXPECT_FALSE(withinBound(1.0, INFINITY, 1e30));
    EXPECT_TRUE(withinBound(INFINITY, INFINITY, 0));
    EXPECT_TRUE(withinBound(1.0, 1.0f, 0));
}

} // namespace
} // namespace ptxwb::reference
