#pragma once
// The CPU oracle for every op of docs/kernel-set.md. Inputs are f32 (what a kernel sees) or f64
// (activations inside the reference forward); outputs are f64, accumulated in double so the
// oracle's own rounding is negligible next to an f32 kernel's (see error_bounds.h for the
// tolerance each op allows). Shapes are row-major and M is the number of rows. Work is split
// across a thread pool by output element, each element summed in a fixed order, so results do
// not depend on the thread count. Wrong span sizes are reported as Usage errors.

#include "reference/quant_matrix.h"
#include "util/expected.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace ptxwb {
class ThreadPool;
}

namespace ptxwb::reference {

/// How RoPE pairs the elements of a head: llama rotates adjacent pairs (x[2i], x[2i+1]); NeoX
/// rotates (x[i], x[i + HD/2]).
enum class RopeMode { Llama, Neox };

/// y[m, n] = Σ_k deq(W)[n, k] · x[m, k]; x is [M, K], y is [M, N].
template <typename In>
Status gemv(const QuantMatrix& w, std::span<const In> x, std::size_t m, std::span<double> y,
            ThreadPool* pool = nullptr);

/// y[m, :] = x[m, :] · gamma / sqrt(mean(x[m, :]²) + eps).
template <typename In>
Status rmsNorm(std::span<const In> x, std::size_t m, std::span<const float> gamma, double eps,
               std::span<double> y);

/// Rotates x[M, H, HD] in place-free fashion into y: pair i of row m turns by the angle
/// positions[m] · base^(−2i/HD).
template <typename In>
Status rope(std::span<const In> x, std::size_t m, std::size_t heads, std::size_t headDim,
            std::span<const std::int32_t> positions, double base, RopeMode mode,
            std::span<double> y);

/// y = gate / (1 + exp(−gate)) · up, elementwise.
template <typename In>
Status swiglu(std::span<const In> gate, std::span<const In> up, std::span<double> y);

/// y = a + b, elementwise.
template <typename In>
Status residualAdd(std::span<const In> a, std::span<const In> b, std::span<double> y);

/// The shapes of a causal attention call. The caches are [kvHeads, cacheLength, headDim]; query
/// row m attends to cache positions 0..positions[m] inclusive; query head h reads KV head
/// h / (heads / kvHeads).
struct AttentionShape {
    std::size_t rows = 0;        ///< M
    std::size_t heads = 0;       ///< H
    std::size_t kvHeads = 0;     ///< Hkv (H a multiple of it)
    std::size_t headDim = 0;     ///< HD
    std::size_t cacheLength = 0; ///< max_len of the caches
};

/// out[m, h, :] = Σ_j softmax_j(q[m,h]·k[g,j] / √HD) · v[g, j, :] over j ≤ positions[m].
template <typename In>
Status attention(const AttentionShape& shape, std::span<const In> q, std::span<const In> kCache,
                 std::span<const In> vCache, std::span<const std::int32_t> positions,
                 std::span<double> out, ThreadPool* pool = nullptr);

/// y[m, :] = deq(table)[tokens[m], :]. Token ids outside the table are Usage errors.
Status embedding(const QuantMatrix& table, std::span<const std::int32_t> tokens,
                 std::span<double> y);

} // namespace ptxwb::reference
