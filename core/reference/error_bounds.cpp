#include "reference/error_bounds.h"

#include "util/thread_pool.h"

#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <vector>

namespace ptxwb::reference {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Bounds are computed in double, whose own rounding (relative 2^-53 per step) is far below the
// f32 terms; the factor (1 + 2^-40) rounds every bound up by more than it could lose.
constexpr double kRoundUp = 1.0 + 0x1p-40;

Status checkSize(std::string_view op, std::size_t got, std::size_t want) {
    if (got == want) return Status{};
    return makeError(ErrorKind::Usage,
                     fmt::format("{} bound: {} elements, expected {}", op, got, want));
}

} // namespace

double gamma(double n, double u) {
    const double nu = n * u;
    return nu >= 1.0 ? kInf : nu / (1.0 - nu);
}

bool withinBound(double reference, float actual, double bound) {
    if (std::isnan(actual) || std::isnan(reference)) return false;
    if (std::isinf(reference) || std::isinf(actual)) return double{actual} == reference;
    return std::fabs(double{actual} - reference) <= bound;
}

Status gemvErrorBound(const QuantMatrix& w, std::span<const float> x, std::size_t m,
                      std::span<double> bound, const GemvBoundOptions& options, ThreadPool* pool) {
    PTXWB_CHECK(checkSize("gemv x", x.size(), m * w.cols));
    PTXWB_CHECK(checkSize("gemv", bound.size(), m * w.rows));
    const double factor = (gamma(static_cast<double>(w.cols + options.extraRoundings)) +
                           gamma(static_cast<double>(w.cols), kUnitRoundoffF64)) *
                          kRoundUp;
    (pool ? *pool : ThreadPool::shared())
        .parallelFor(w.rows, 16, [&](std::size_t b, std::size_t e) {
            std::vector<float> row(w.cols);
            for (std::size_t n = b; n < e; ++n) {
                w.dequantizeRow(n, row.data());
                for (std::size_t r = 0; r < m; ++r) {
                    double sum = 0;
                    for (std::size_t k = 0; k < w.cols; ++k)
                        sum += std::fabs(double{row[k]} * double{x[r * w.cols + k]});
                    bound[r * w.rows + n] = factor * sum;
                }
            }
        });
    return Status{};
}

Status rmsNormErrorBound(std::span<const float> x, std::size_t m, std::span<const float> g,
                         double eps, std::span<double> bound) {
    std::vector<double> y(x.size());
    PTXWB_CHECK(rmsNorm<float>(x, m, g, eps, y));
    PTXWB_CHECK(checkSize("rmsnorm", bound.size(), y.size()));
    const double factor = (gamma(static_cast<double>(g.size() + 8)) +
                           gamma(static_cast<double>(g.size() + 8), kUnitRoundoffF64)) *
                          kRoundUp;
    for (std::size_t i = 0; i < y.size(); ++i)
        bound[i] = factor * std::fabs(y[i]);
    return Status{};
}

Status ropeErrorBound(std::span<const float> x, std::size_t m, std::size_t heads,
                      std::size_t headDim, std::span<const std::int32_t> positions, double base,
                      RopeMode mode, std::span<double> bound, const RopeBoundOptions& options) {
    if (headDim % 2 != 0) return makeError(ErrorKind::Usage, "rope bound: odd head dim");
    PTXWB_CHECK(checkSize("rope x", x.size(), m * heads * headDim));
    PTXWB_CHECK(checkSize("rope", bound.size(), x.size()));
    PTXWB_CHECK(checkSize("rope positions", positions.size(), m));
    const std::size_t half = headDim / 2;
    const double angleUlps = options.angleRelativeUlps >= 0 ? options.angleRelativeUlps
                                                            : static_cast<double>(half) + 4.0;
    const double u = kUnitRoundoffF32;
    for (std::size_t r = 0; r < m; ++r) {
        for (std::size_t i = 0; i < half; ++i) {
            const double theta = std::fabs(
                static_cast<double>(positions[r]) *
                std::pow(base, -2.0 * static_cast<double>(i) / static_cast<double>(headDim)));
            const double perUnit =
                (theta * angleUlps * u + 4 * u + gamma(3) + gamma(8, kUnitRoundoffF64)) * kRoundUp;
            for (std::size_t h = 0; h < heads; ++h) {
                const std::size_t row = (r * heads + h) * headDim;
                const std::size_t a = row + (mode == RopeMode::Llama ? 2 * i : i);
                const std::size_t b = row + (mode == RopeMode::Llama ? 2 * i + 1 : i + half);
                const double mag = std::fabs(double{x[a]}) + std::fabs(double{x[b]});
                bound[a] = bound[b] = mag * perUnit + kUnderflowF32 * 4;
            }
        }
    }
    return Status{};
}

Status swigluErrorBound(std::span<const float> gate, std::span<const float> up,
                        std::span<double> bound) {
    std::vector<double> y(gate.size());
    PTXWB_CHECK(swiglu<float>(gate, up, y));
    PTXWB_CHECK(checkSize("swiglu", bound.size(), y.size()));
    const double factor = (gamma(8) + gamma(8, kUnitRoundoffF64)) * kRoundUp;
    for (std::size_t i = 0; i < y.size(); ++i) {
        bound[i] = factor * std::fabs(y[i]);
        if (double{gate[i]} < kSiluOverflowGate)
            bound[i] = std::max(bound[i], std::fabs(y[i]) * kRoundUp);
    }
    return Status{};
}

Status residualAddErrorBound(std::span<const float> a, std::span<const float> b,
                             std::span<double> bound) {
    PTXWB_CHECK(checkSize("residual_add b", b.size(), a.size()));
    PTXWB_CHECK(checkSize("residual_add", bound.size(), a.size()));
    for (std::size_t i = 0; i < a.size(); ++i)
        bound[i] = kUnitRoundoffF32 * std::fabs(double{a[i]} + double{b[i]}) * kRoundUp;
    return Status{};
}

Status attentionErrorBound(const AttentionShape& s, std::span<const float> q,
                           std::span<const float> kCache, std::span<const float> vCache,
                           std::span<const std::int32_t> positions, std::span<double> bound) {
    // Reuse the oracle's validation of shapes and positions.
    std::vector<double> scratch(q.size());
    PTXWB_CHECK(attention<float>(s, q, kCache, vCache, positions, scratch));
    PTXWB_CHECK(checkSize("attention", bound.size(), q.size()));
    const std::size_t group = s.heads / s.kvHeads;
    const double scale = 1.0 / std::sqrt(static_cast<double>(s.headDim));
    const double u = kUnitRoundoffF32;
    const double scoreGamma = gamma(static_cast<double>(s.headDim + 2));
    std::vector<double> scores, absScores;
    for (std::size_t task = 0; task < s.rows * s.heads; ++task) {
        const std::size_t r = task / s.heads, h = task % s.heads, g = h / group;
        const float* qv = q.data() + task * s.headDim;
        const std::size_t length = static_cast<std::size_t>(positions[r]) + 1;
        scores.assign(length, 0.0);
        double maxScore = -kInf, maxScoreError = 0;
        for (std::size_t j = 0; j < length; ++j) {
            const float* kv = kCache.data() + (g * s.cacheLength + j) * s.headDim;
            double acc = 0, mag = 0;
            for (std::size_t d = 0; d < s.headDim; ++d) {
                acc += double{qv[d]} * double{kv[d]};
                mag += std::fabs(double{qv[d]} * double{kv[d]});
            }
            scores[j] = acc * scale;
            maxScore = std::max(maxScore, scores[j]);
            maxScoreError = std::max(maxScoreError, scoreGamma * mag * scale);
        }
        double spread = 0, sum = 0;
        for (auto sc : scores)
            spread = std::max(spread, maxScore - sc);
        const double e = maxScoreError + u * (spread + maxScoreError);
        const double L = static_cast<double>(length);
        const double rho =
            std::exp(2 * e) * (1 + 4 * u) / (1 - 4 * u) * (1 + gamma(L)) * (1 + u) - 1;
        const double factor =
            (rho + gamma(2 * L + 2) * (1 + rho) + gamma(L + 8, kUnitRoundoffF64)) * kRoundUp;
        for (auto& sc : scores) {
            sc = std::exp(sc - maxScore);
            sum += sc;
        }
        double* b = bound.data() + task * s.headDim;
        for (std::size_t d = 0; d < s.headDim; ++d)
            b[d] = 0;
        for (std::size_t j = 0; j < length; ++j) {
            const float* vv = vCache.data() + (g * s.cacheLength + j) * s.headDim;
            const double p = scores[j] / sum;
            for (std::size_t d = 0; d < s.headDim; ++d)
                b[d] += p * std::fabs(double{vv[d]});
        }
        for (std::size_t d = 0; d < s.headDim; ++d)
            b[d] *= factor;
    }
    return Status{};
}

} // namespace ptxwb::reference
