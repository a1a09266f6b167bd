// The propagated error bounds: each op's bound covers an f32 evaluation on perturbed inputs
// (errors inside the input bounds, signs chosen to add up), and is tight enough to be attained
// within a small factor; the whole forward's logit bound is small next to the logits.
#include "reference/error_bounds.h"
#include "reference/forward_error_bound.h"
#include "reference/llama_forward.h"
#include "reference/synthetic_model.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <random>

namespace ptxwb::reference {
namespace {

struct F32Matrix {
    std::vector<float> values;
    std::vector<std::byte> bytes;
    QuantMatrix view;
};

F32Matrix randomMatrix(std::size_t rows, std::size_t cols, std::mt19937& rng) {
    std::normal_distribution<float> dist(0.0f, 0.05f);
    F32Matrix m;
    m.values.resize(rows * cols);
    for (auto& v : m.values)
        v = dist(rng);
    m.bytes.resize(m.values.size() * 4);
    std::memcpy(m.bytes.data(), m.values.data(), m.bytes.size());
    m.view = *QuantMatrix::make(gguf::GgmlType::F32, rows, cols, m.bytes);
    return m;
}

// Perturbs inputs by Gaussian errors of the given standard errors; the op's output deviations
// divided by its propagated standard errors should look like a unit Gaussian.
struct Calibration {
    double sumSquares = 0, worst = 0;
    std::size_t count = 0;
    void add(double deviation, double sigma) {
        const double z = deviation / sigma;
        sumSquares += z * z;
        worst = std::max(worst, std::fabs(z));
        ++count;
    }
    double rms() const { return std::sqrt(sumSquares / static_cast<double>(count)); }
};

TEST(ForwardErrorBound, GemvStandardErrorIsCalibrated) {
    std::mt19937 rng(3);
    const std::size_t N = 64, K = 512;
    auto w = randomMatrix(N, K, rng);
    std::normal_distribution<double> unit(0.0, 1.0);
    std::vector<double> x(K), sx(K);
    for (std::size_t k = 0; k < K; ++k) {
        x[k] = unit(rng);
        sx[k] = 1e-4 * (std::fabs(x[k]) + 0.1);
    }
    std::vector<double> sy(N);
    ASSERT_TRUE(propagateGemv(w.view, x, sx, 1, sy, 0));
    Calibration cal;
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<float> shifted(K);
        for (std::size_t k = 0; k < K; ++k)
            shifted[k] = static_cast<float>(x[k] + sx[k] * unit(rng));
        for (std::size_t n = 0; n < N; ++n) {
            float acc = 0.0f; // a naive f32 kernel
            double exact = 0.0;
            for (std::size_t k = 0; k < K; ++k) {
                acc += w.values[n * K + k] * shifted[k];
                exact += double{w.values[n * K + k]} * x[k];
            }
            cal.add(double{acc} - exact, sy[n]);
        }
    }
    EXPECT_LT(cal.worst, kConfidenceSigmas);
    EXPECT_GT(cal.rms(), 0.5);
    EXPECT_LT(cal.rms(), 2.0);
}

TEST(ForwardErrorBound, RmsNormStandardErrorIsCalibrated) {
    std::mt19937 rng(5);
    const std::size_t D = 256;
    std::normal_distribution<double> unit(0.0, 1.0);
    std::vector<double> x(D), sx(D);
    std::vector<float> gamma(D);
    for (std::size_t i = 0; i < D; ++i) {
        x[i] = unit(rng);
        sx[i] = 1e-5 * std::fabs(x[i]);
        gamma[i] = static_cast<float>(1.0 + 0.1 * unit(rng));
    }
    std::vector<double> sy(D), y(D), yShifted(D), shifted(D);
    ASSERT_TRUE(rmsNorm<double>(x, 1, gamma, 1e-5, y));
    ASSERT_TRUE(propagateRmsNorm(x, sx, 1, gamma, 1e-5, y, sy));
    Calibration cal;
    for (int trial = 0; trial < 50; ++trial) {
        for (std::size_t i = 0; i < D; ++i)
            shifted[i] = x[i] + sx[i] * unit(rng);
        ASSERT_TRUE(rmsNorm<double>(shifted, 1, gamma, 1e-5, yShifted));
        for (std::size_t i = 0; i < D; ++i)
            cal.add(yShifted[i] - y[i], sy[i]);
    }
    EXPECT_LT(cal.worst, kConfidenceSigmas);
    EXPECT_GT(cal.rms(), 0.5);
    EXPECT_LT(cal.rms(), 2.0);
}

TEST(ForwardErrorBound, SwigluAndResidualCarryTheirInputsErrors) {
    const std::vector<double> gate = {-3.0, -0.5, 0.0, 0.7, 4.0};
    const std::vector<double> up = {1.5, -2.0, 0.25, 3.0, -1.0};
    const std::vector<double> sg(5, 1e-4), su(5, 2e-4);
    std::vector<double> sy(5), y(5), yShifted(5), g2(5), u2(5);
    ASSERT_TRUE(propagateSwiglu(gate, sg, up, su, sy));
    ASSERT_TRUE(swiglu<double>(gate, up, y));
    std::mt19937 rng(9);
    std::normal_distribution<double> unit(0.0, 1.0);
    Calibration cal;
    for (int trial = 0; trial < 400; ++trial) {
        for (int i = 0; i < 5; ++i) {
            g2[i] = gate[i] + sg[i] * unit(rng);
            u2[i] = up[i] + su[i] * unit(rng);
        }
        ASSERT_TRUE(swiglu<double>(g2, u2, yShifted));
        for (int i = 0; i < 5; ++i)
            cal.add(yShifted[i] - y[i], sy[i]);
    }
    EXPECT_LT(cal.worst, kConfidenceSigmas);
    EXPECT_GT(cal.rms(), 0.5);
    EXPECT_LT(cal.rms(), 2.0);

    std::vector<double> a = {1.0, -2.0}, sa = {3e-3, 0.0};
    const std::vector<double> b = {0.5, 2.0}, sb = {4e-3, 1e-3};
    ASSERT_TRUE(propagateResidualAdd(a, sa, b, sb));
    EXPECT_NEAR(sa[0], 5e-3, 1e-12); // quadrature: √(3² + 4²)
    EXPECT_DOUBLE_EQ(sa[1], 1e-3);
}

TEST(ForwardErrorBound, LogitBoundIsSmallNextToTheLogits) {
    for (auto quant : {SyntheticQuant::F32, SyntheticQuant::Q4_K_M}) {
        auto writer = buildSyntheticModel(syntheticPreset(SyntheticPreset::Tiny), quant, 11);
        ASSERT_TRUE(writer);
        const auto bytes = writer->toBytes();
        auto file = gguf::GgufFile::parse(bytes, "tiny.gguf");
        ASSERT_TRUE(file);
        auto weights = LlamaWeights::load(*file);
        ASSERT_TRUE(weights);
        const std::vector<std::int32_t> tokens = {1, 300, 42, 7, 511, 3};
        auto plain = llamaForward(*weights, tokens);
        auto bounded = llamaForward(*weights, tokens, {.errorBound = true});
        ASSERT_TRUE(plain && bounded);
        EXPECT_TRUE(plain->logitBound.empty());
        ASSERT_EQ(bounded->logitBound.size(), bounded->logits.size());
        EXPECT_EQ(bounded->logits, plain->logits); // tracking never changes the result
        double largestLogit = 0, largestBound = 0;
        for (std::size_t i = 0; i < bounded->logits.size(); ++i) {
            ASSERT_TRUE(std::isfinite(bounded->logitBound[i]));
            ASSERT_GT(bounded->logitBound[i], 0.0);
            largestLogit = std::max(largestLogit, std::fabs(double{bounded->logits[i]}));
            largestBound = std::max(largestBound, bounded->logitBound[i]);
        }
        std::printf("tiny %s: largest |logit| %.4g, largest bound %.3g (%.2g relative)\n",
                    quant == SyntheticQuant::F32 ? "f32" : "q4_k_m", largestLogit, largestBound,
                    largestBound / largestLogit);
        // Tight enough to catch a wrong kernel: far below the logits themselves.
        EXPECT_LT(largestBound, 1e-2 * largestLogit);
    }
}

} // namespace
} // namespace ptxwb::reference
