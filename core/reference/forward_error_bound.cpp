#include "reference/forward_error_bound.h"

#include "reference/error_bounds.h"
#include "util/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <vector>

namespace ptxwb::reference {
namespace {

constexpr double kU = kUnitRoundoffF32;

// The GPU sees f32 activations: local bounds are evaluated on those.
std::vector<float> asF32(std::span<const double> v) {
    return {v.begin(), v.end()};
}

Status sameSize(std::string_view what, std::size_t got, std::size_t want) {
    if (got == want) return Status{};
    return makeError(ErrorKind::Usage,
                     fmt::format("{} error bound: {} elements, expected {}", what, got, want));
}

} // namespace

Status embeddingErrorBound(const QuantMatrix& table, std::span<const double> y, std::size_t m,
                           std::span<double> bound) {
    // A deterministic bound, used as a standard error: it is tiny next to what follows.
    PTXWB_CHECK(sameSize("embedding", bound.size(), y.size()));
    PTXWB_CHECK(sameSize("embedding", y.size(), m * table.cols));
    const bool exact = table.type == gguf::GgmlType::F32 || table.type == gguf::GgmlType::F16;
    for (std::size_t r = 0; r < m; ++r) {
        const auto row = y.subspan(r * table.cols, table.cols);
        double largest = 0;
        for (double v : row)
            largest = std::max(largest, std::fabs(v));
        for (std::size_t i = 0; i < table.cols; ++i)
            bound[r * table.cols + i] = exact ? 0.0 : 2 * kU * (std::fabs(row[i]) + largest);
    }
    return Status{};
}

Status propagateGemv(const QuantMatrix& w, std::span<const double> x, std::span<const double> sx,
                     std::size_t m, std::span<double> sy, unsigned extraRoundings) {
    PTXWB_CHECK(sameSize("gemv x", x.size(), m * w.cols));
    PTXWB_CHECK(sameSize("gemv x", sx.size(), x.size()));
    PTXWB_CHECK(sameSize("gemv", sy.size(), m * w.rows));
    const std::vector<float> xf = asF32(x);
    const double local = std::sqrt(static_cast<double>(w.cols + extraRoundings)) * kU;
    ThreadPool::shared().parallelFor(w.rows, 16, [&](std::size_t b, std::size_t e) {
        std::vector<float> row(w.cols);
        for (std::size_t n = b; n < e; ++n) {
            w.dequantizeRow(n, row.data());
            for (std::size_t r = 0; r < m; ++r) {
                double carried = 0, magnitude = 0;
                for (std::size_t k = 0; k < w.cols; ++k) {
                    const double wk = double{row[k]};
                    const double term = wk * sx[r * w.cols + k];
                    carried += term * term;
                    magnitude += std::fabs(wk * double{xf[r * w.cols + k]});
                }
                sy[r * w.rows + n] = std::hypot(std::sqrt(carried), local * magnitude);
            }
        }
    });
    return Status{};
}

Status propagateRmsNorm(std::span<const double> x, std::span<const double> sx, std::size_t m,
                        std::span<const float> g, double eps, std::span<const double> y,
                        std::span<double> sy) {
    const std::size_t D = g.size();
    PTXWB_CHECK(sameSize("rmsnorm x", x.size(), m * D));
    PTXWB_CHECK(sameSize("rmsnorm x", sx.size(), x.size()));
    PTXWB_CHECK(sameSize("rmsnorm y", y.size(), x.size()));
    PTXWB_CHECK(sameSize("rmsnorm", sy.size(), x.size()));
    const double local = std::sqrt(static_cast<double>(D + 8)) * kU;
    for (std::size_t r = 0; r < m; ++r) {
        const double* xr = x.data() + r * D;
        const double* sr = sx.data() + r * D;
        double squares = 0, weighted = 0;
        for (std::size_t j = 0; j < D; ++j) {
            squares += xr[j] * xr[j];
            weighted += xr[j] * xr[j] * sr[j] * sr[j];
        }
        const double rms = std::sqrt(squares / static_cast<double>(D) + eps);
        const double cross = std::sqrt(weighted) / (static_cast<double>(D) * rms * rms);
        for (std::size_t i = 0; i < D; ++i) {
            const double carried =
                std::fabs(double{g[i]}) / rms * std::hypot(sr[i], std::fabs(xr[i]) * cross);
            sy[r * D + i] = std::hypot(carried, local * std::fabs(y[r * D + i]));
        }
    }
    return Status{};
}

Status propagateRope(std::span<const double> x, std::span<const double> sx, std::size_t m,
                     std::size_t heads, std::size_t headDim,
                     std::span<const std::int32_t> positions, double base, RopeMode mode,
                     std::span<double> sy) {
    PTXWB_CHECK(sameSize("rope x", sx.size(), x.size()));
    const std::vector<float> xf = asF32(x);
    PTXWB_CHECK(ropeErrorBound(xf, m, heads, headDim, positions, base, mode, sy));
    const std::size_t half = headDim / 2;
    for (std::size_t row = 0; row < m * heads; ++row) {
        for (std::size_t i = 0; i < half; ++i) {
            const std::size_t a = row * headDim + (mode == RopeMode::Llama ? 2 * i : i);
            const std::size_t b = row * headDim + (mode == RopeMode::Llama ? 2 * i + 1 : i + half);
            const double carried = std::hypot(sx[a], sx[b]);
            sy[a] = std::hypot(sy[a], carried);
            sy[b] = std::hypot(sy[b], carried);
        }
    }
    return Status{};
}

Status propagateAttention(const AttentionShape& s, std::span<const double> q,
                          std::span<const double> sq, std::span<const double> kCache,
                          std::span<const double> skCache, std::span<const double> vCache,
                          std::span<const double> svCache, std::span<const std::int32_t> positions,
                          std::span<const double> out, std::span<double> sout) {
    PTXWB_CHECK(sameSize("attention q", sq.size(), q.size()));
    PTXWB_CHECK(sameSize("attention out", out.size(), q.size()));
    PTXWB_CHECK(sameSize("attention k cache", skCache.size(), kCache.size()));
    PTXWB_CHECK(sameSize("attention v cache", svCache.size(), vCache.size()));
    const std::vector<float> qf = asF32(q), kf = asF32(kCache), vf = asF32(vCache);
    PTXWB_CHECK(attentionErrorBound(s, qf, kf, vf, positions, sout));
    const std::size_t group = s.heads / s.kvHeads, HD = s.headDim;
    const double scale = 1.0 / std::sqrt(static_cast<double>(HD));
    std::vector<double> p, scoreSigma;
    for (std::size_t task = 0; task < s.rows * s.heads; ++task) {
        const std::size_t r = task / s.heads, g = (task % s.heads) / group;
        const double* qv = q.data() + task * HD;
        const double* qs = sq.data() + task * HD;
        const std::size_t length = static_cast<std::size_t>(positions[r]) + 1;
        p.assign(length, 0.0);
        scoreSigma.assign(length, 0.0);
        double largest = -INFINITY, sum = 0;
        for (std::size_t j = 0; j < length; ++j) {
            const double* kv = kCache.data() + (g * s.cacheLength + j) * HD;
            const double* ks = skCache.data() + (g * s.cacheLength + j) * HD;
            double score = 0, variance = 0;
            for (std::size_t d = 0; d < HD; ++d) {
                score += qv[d] * kv[d];
                variance += qv[d] * qv[d] * ks[d] * ks[d] + kv[d] * kv[d] * qs[d] * qs[d];
            }
            p[j] = score * scale;
            scoreSigma[j] = std::sqrt(variance) * scale;
            largest = std::max(largest, p[j]);
        }
        for (auto& v : p) {
            v = std::exp(v - largest);
            sum += v;
        }
        const double* o = out.data() + task * HD;
        double* so = sout.data() + task * HD;
        for (std::size_t d = 0; d < HD; ++d) {
            double variance = 0;
            for (std::size_t j = 0; j < length; ++j) {
                const double pj = p[j] / sum;
                const std::size_t at = (g * s.cacheLength + j) * HD + d;
                const double viaScore = pj * scoreSigma[j] * (vCache[at] - o[d]);
                const double viaValue = pj * svCache[at];
                variance += viaScore * viaScore + viaValue * viaValue;
            }
            so[d] = std::hypot(so[d], std::sqrt(variance));
        }
    }
    return Status{};
}

Status propagateSwiglu(std::span<const double> gate, std::span<const double> sgate,
                       std::span<const double> up, std::span<const double> sup,
                       std::span<double> sy) {
    PTXWB_CHECK(sameSize("swiglu up", up.size(), gate.size()));
    PTXWB_CHECK(sameSize("swiglu gate", sgate.size(), gate.size()));
    PTXWB_CHECK(sameSize("swiglu up", sup.size(), gate.size()));
    const std::vector<float> gf = asF32(gate), uf = asF32(up);
    PTXWB_CHECK(swigluErrorBound(gf, uf, sy));
    for (std::size_t i = 0; i < gate.size(); ++i) {
        const double sigma = 1.0 / (1.0 + std::exp(-gate[i]));
        const double silu = gate[i] * sigma;
        const double slope = sigma * (1.0 + gate[i] * (1.0 - sigma));
        const double carried = std::hypot(up[i] * slope * sgate[i], silu * sup[i]);
        sy[i] = std::hypot(sy[i], carried);
    }
    return Status{};
}

Status propagateResidualAdd(std::span<const double> a, std::span<double> sa,
                            std::span<const double> b, std::span<const double> sb) {
    PTXWB_CHECK(sameSize("residual_add b", b.size(), a.size()));
    PTXWB_CHECK(sameSize("residual_add", sa.size(), a.size()));
    PTXWB_CHECK(sameSize("residual_add", sb.size(), a.size()));
    for (std::size_t i = 0; i < a.size(); ++i)
        sa[i] =
            std::sqrt(sa[i] * sa[i] + sb[i] * sb[i] + (kU * (a[i] + b[i])) * (kU * (a[i] + b[i])));
    return Status{};
}

} // namespace ptxwb::reference
