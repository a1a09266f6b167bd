#include "reference/ops.h"

#include "util/thread_pool.h"

#include <cmath>
#include <fmt/format.h>
#include <vector>

namespace ptxwb::reference {
namespace {

Status sizeError(std::string_view op, std::string_view what, std::size_t got, std::size_t want) {
    return makeError(ErrorKind::Usage,
                     fmt::format("{}: {} has {} elements, expected {}", op, what, got, want));
}

#define PTXWB_EXPECT_SIZE(op, span, want)                                                          \
    do {                                                                                           \
        if ((span).size() != (want)) return sizeError(op, #span, (span).size(), (want));           \
    } while (false)

ThreadPool& poolOr(ThreadPool* pool) {
    return pool ? *pool : ThreadPool::shared();
}

/// Σ a[k]·b[k] in double with four interleaved partial sums (fixed order: deterministic).
template <typename In>
double dot(const float* a, const In* b, std::size_t n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += double{a[k]} * double(b[k]);
        s1 += double{a[k + 1]} * double(b[k + 1]);
        s2 += double{a[k + 2]} * double(b[k + 2]);
        s3 += double{a[k + 3]} * double(b[k + 3]);
    }
    for (; k < n; ++k)
        s0 += double{a[k]} * double(b[k]);
    return (s0 + s1) + (s2 + s3);
}

} // namespace

template <typename In>
Status gemv(const QuantMatrix& w, std::span<const In> x, std::size_t m, std::span<double> y,
            ThreadPool* pool) {
    PTXWB_EXPECT_SIZE("gemv", x, m * w.cols);
    PTXWB_EXPECT_SIZE("gemv", y, m * w.rows);
    // Each weight row is dequantised once and applied to all M inputs.
    poolOr(pool).parallelFor(w.rows, 16, [&](std::size_t begin, std::size_t end) {
        std::vector<float> row(w.cols);
        for (std::size_t n = begin; n < end; ++n) {
            w.dequantizeRow(n, row.data());
            for (std::size_t r = 0; r < m; ++r)
                y[r * w.rows + n] = dot(row.data(), x.data() + r * w.cols, w.cols);
        }
    });
    return Status{};
}

template <typename In>
Status rmsNorm(std::span<const In> x, std::size_t m, std::span<const float> gamma, double eps,
               std::span<double> y) {
    const std::size_t d = gamma.size();
    PTXWB_EXPECT_SIZE("rmsnorm", x, m * d);
    PTXWB_EXPECT_SIZE("rmsnorm", y, m * d);
    for (std::size_t r = 0; r < m; ++r) {
        const In* row = x.data() + r * d;
        double sumSquares = 0;
        for (std::size_t i = 0; i < d; ++i)
            sumSquares += double(row[i]) * double(row[i]);
        const double scale = 1.0 / std::sqrt(sumSquares / static_cast<double>(d) + eps);
        for (std::size_t i = 0; i < d; ++i)
            y[r * d + i] = double(row[i]) * scale * double{gamma[i]};
    }
    return Status{};
}

template <typename In>
Status rope(std::span<const In> x, std::size_t m, std::size_t heads, std::size_t headDim,
            std::span<const std::int32_t> positions, double base, RopeMode mode,
            std::span<double> y) {
    if (headDim % 2 != 0)
        return makeError(ErrorKind::Usage, fmt::format("rope: head dim {} is odd", headDim));
    PTXWB_EXPECT_SIZE("rope", x, m * heads * headDim);
    PTXWB_EXPECT_SIZE("rope", y, m * heads * headDim);
    PTXWB_EXPECT_SIZE("rope", positions, m);
    const std::size_t half = headDim / 2;
    for (std::size_t r = 0; r < m; ++r) {
        for (std::size_t i = 0; i < half; ++i) {
            const double theta =
                static_cast<double>(positions[r]) *
                std::pow(base, -2.0 * static_cast<double>(i) / static_cast<double>(headDim));
            const double c = std::cos(theta), s = std::sin(theta);
            for (std::size_t h = 0; h < heads; ++h) {
                const std::size_t row = (r * heads + h) * headDim;
                const std::size_t a = row + (mode == RopeMode::Llama ? 2 * i : i);
                const std::size_t b = row + (mode == RopeMode::Llama ? 2 * i + 1 : i + half);
                const double x0 = double(x[a]), x1 = double(x[b]);
                y[a] = x0 * c - x1 * s;
                y[b] = x0 * s + x1 * c;
            }
        }
    }
    return Status{};
}

template <typename In>
Status swiglu(std::span<const In> gate, std::span<const In> up, std::span<double> y) {
    PTXWB_EXPECT_SIZE("swiglu", up, gate.size());
    PTXWB_EXPECT_SIZE("swiglu", y, gate.size());
    for (std::size_t i = 0; i < gate.size(); ++i) {
        const double g = double(gate[i]);
        y[i] = g / (1.0 + std::exp(-g)) * double(up[i]);
    }
    return Status{};
}

template <typename In>
Status residualAdd(std::span<const In> a, std::span<const In> b, std::span<double> y) {
    PTXWB_EXPECT_SIZE("residual_add", b, a.size());
    PTXWB_EXPECT_SIZE("residual_add", y, a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        y[i] = double(a[i]) + double(b[i]);
    return Status{};
}

template <typename In>
Status attention(const AttentionShape& s, std::span<const In> q, std::span<const In> kCache,
                 std::span<const In> vCache, std::span<const std::int32_t> positions,
                 std::span<double> out, ThreadPool* pool) {
    if (s.heads == 0 || s.kvHeads == 0 || s.heads % s.kvHeads != 0)
        return makeError(ErrorKind::Usage,
                         fmt::format("attention: {} heads is not a multiple of {} KV heads",
                                     s.heads, s.kvHeads));
    PTXWB_EXPECT_SIZE("attention", q, s.rows * s.heads * s.headDim);
    PTXWB_EXPECT_SIZE("attention", out, s.rows * s.heads * s.headDim);
    PTXWB_EXPECT_SIZE("attention", kCache, s.kvHeads * s.cacheLength * s.headDim);
    PTXWB_EXPECT_SIZE("attention", vCache, s.kvHeads * s.cacheLength * s.headDim);
    PTXWB_EXPECT_SIZE("attention", positions, s.rows);
    for (std::size_t r = 0; r < s.rows; ++r)
        if (positions[r] < 0 || static_cast<std::size_t>(positions[r]) >= s.cacheLength)
            return makeError(ErrorKind::Usage,
                             fmt::format("attention: position {} of row {} is outside the cache "
                                         "of {}",
                                         positions[r], r, s.cacheLength));
    const std::size_t group = s.heads / s.kvHeads;
    const double scale = 1.0 / std::sqrt(static_cast<double>(s.headDim));
    poolOr(pool).parallelFor(s.rows * s.heads, 1, [&](std::size_t begin, std::size_t end) {
        std::vector<double> scores;
        for (std::size_t task = begin; task < end; ++task) {
            const std::size_t r = task / s.heads, h = task % s.heads, g = h / group;
            const In* qv = q.data() + task * s.headDim;
            const std::size_t length = static_cast<std::size_t>(positions[r]) + 1;
            scores.assign(length, 0.0);
            double maxScore = -INFINITY;
            for (std::size_t j = 0; j < length; ++j) {
                const In* kv = kCache.data() + (g * s.cacheLength + j) * s.headDim;
                double acc = 0;
                for (std::size_t d = 0; d < s.headDim; ++d)
                    acc += double(qv[d]) * double(kv[d]);
                scores[j] = acc * scale;
                maxScore = std::max(maxScore, scores[j]);
            }
            double sum = 0;
            for (auto& sc : scores) {
                sc = std::exp(sc - maxScore);
                sum += sc;
            }
            double* o = out.data() + task * s.headDim;
            for (std::size_t d = 0; d < s.headDim; ++d)
                o[d] = 0;
            for (std::size_t j = 0; j < length; ++j) {
                const In* vv = vCache.data() + (g * s.cacheLength + j) * s.headDim;
                const double p = scores[j] / sum;
                for (std::size_t d = 0; d < s.headDim; ++d)
                    o[d] += p * double(vv[d]);
            }
        }
    });
    return Status{};
}

Status embedding(const QuantMatrix& table, std::span<const std::int32_t> tokens,
                 std::span<double> y) {
    PTXWB_EXPECT_SIZE("embedding", y, tokens.size() * table.cols);
    std::vector<float> row(table.cols);
    for (std::size_t r = 0; r < tokens.size(); ++r) {
        if (tokens[r] < 0 || static_cast<std::size_t>(tokens[r]) >= table.rows)
            return makeError(ErrorKind::Usage,
                             fmt::format("token id {} is outside the vocabulary of {} tokens",
                                         tokens[r], table.rows));
        table.dequantizeRow(static_cast<std::size_t>(tokens[r]), row.data());
        for (std::size_t i = 0; i < table.cols; ++i)
            y[r * table.cols + i] = row[i];
    }
    return Status{};
}

#define PTXWB_INSTANTIATE_OPS(In)                                                                  \
    template Status gemv<In>(const QuantMatrix&, std::span<const In>, std::size_t,                 \
                             std::span<double>, ThreadPool*);                                      \
    template Status rmsNorm<In>(std::span<const In>, std::size_t, std::span<const float>, double,  \
                                std::span<double>);                                                \
    template Status rope<In>(std::span<const In>, std::size_t, std::size_t, std::size_t,           \
                             std::span<const std::int32_t>, double, RopeMode, std::span<double>);  \
    template Status swiglu<In>(std::span<const In>, std::span<const In>, std::span<double>);       \
    template Status residualAdd<In>(std::span<const In>, std::span<const In>, std::span<double>);  \
    template Status attention<In>(const AttentionShape&, std::span<const In>, std::span<const In>, \
                                  std::span<const In>, std::span<const std::int32_t>,              \
                                  std::span<double>, ThreadPool*);
PTXWB_INSTANTIATE_OPS(float)
PTXWB_INSTANTIATE_OPS(double)

} // namespace ptxwb::reference
