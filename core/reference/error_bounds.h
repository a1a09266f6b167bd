#pragma once
// Rigorous forward error bounds for an f32 implementation of each op, used by parity as the
// `bound` tolerance against the CPU oracle: |kernel − oracle| ≤ bound, element by element.
// Each bound is γ_n = n·u/(1 − n·u) (u = 2⁻²⁴, Higham's notation) times the magnitude the op's
// rounding errors scale with, for the op's f32 evaluation model stated on each function, plus
// the oracle's own (double) rounding so the comparison is against what the oracle computed.
// Inputs are the f32 values the kernel received.

#include "reference/ops.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace ptxwb::reference {

inline constexpr double kUnitRoundoffF32 = 0x1p-24;
inline constexpr double kUnitRoundoffF64 = 0x1p-53;
/// A product that lands in the f32 subnormal range rounds to an absolute error of up to half the
/// smallest subnormal (Higham's fl(x op y) = (x op y)(1 + δ) + η, |η| ≤ 2^-150): no relative
/// bound covers it.
inline constexpr double kUnderflowF32 = 0x1p-150;
/// Below this gate f32 expf(−g) overflows in SiLU, g / (1 + ∞) is 0, and any value between 0
/// and the exact (tiny) result is right.
inline constexpr double kSiluOverflowGate = -88.0;

/// γ_n = n·u / (1 − n·u); +∞ when n·u ≥ 1 (no bound).
[[nodiscard]] double gamma(double n, double u = kUnitRoundoffF32);

/// True when |actual − reference| ≤ bound. NaN or ±∞ is never within a finite bound; an
/// infinite reference only matches the same infinity.
[[nodiscard]] bool withinBound(double reference, float actual, double bound);

/// Options of the GEMV bound.
struct GemvBoundOptions {
    /// Extra f32 roundings a kernel applies to each product beyond ggml's dequantised weight
    /// (e.g. 2 when it forms d·scale·q in another order). 0 = kernel dequantises like ggml.
    unsigned extraRoundings = 0;
};

/// GEMV: bound[m, n] = γ_{K+extra} · Σ_k |deq(W)[n,k] · x[m,k]| (any summation order, FMA or
/// not) plus the oracle's γ^{f64}_K share.
Status gemvErrorBound(const QuantMatrix& w, std::span<const float> x, std::size_t m,
                      std::span<double> bound, const GemvBoundOptions& options = {},
                      ThreadPool* pool = nullptr);

/// RMSNorm: bound = γ_{D+8} · |y| (sum of squares in any order, division, sqrt or rsqrt of up to
/// 2 ulp, two products).
Status rmsNormErrorBound(std::span<const float> x, std::size_t m, std::span<const float> gamma,
                         double eps, std::span<double> bound);

/// Options of the RoPE bound.
struct RopeBoundOptions {
    /// Relative error of the kernel's angle, in units of u. Negative = HD/2 + 4, which covers
    /// an angle formed as pos · powf(base, −2i/HD) and the iterative θ·= base^(−2/HD) of ggml.
    double angleRelativeUlps = -1;
};

/// RoPE: bound = (|x_a| + |x_b|) · (|θ|·A + 4u + γ_3) + 4·2^-150 for both outputs of a pair,
/// where A is the angle's relative error and sin/cos are accurate to 2 ulp; the last term is the
/// absolute rounding of the two products when they underflow into subnormals.
Status ropeErrorBound(std::span<const float> x, std::size_t m, std::size_t heads,
                      std::size_t headDim, std::span<const std::int32_t> positions, double base,
                      RopeMode mode, std::span<double> bound, const RopeBoundOptions& options = {});

/// SwiGLU: bound = γ_8 · |y| (expf to 2 ulp, add, divide, multiply); where expf(−g) overflows
/// the exact result underflows towards 0 and any value in [0, |y|] is accepted.
Status swigluErrorBound(std::span<const float> gate, std::span<const float> up,
                        std::span<double> bound);

/// Residual add: one correctly rounded addition, bound = u · |a + b|.
Status residualAddErrorBound(std::span<const float> a, std::span<const float> b,
                             std::span<double> bound);

/// Attention: scores carry E_j = γ_{HD+2}·Σ_d|q_d k_jd|/√HD plus u·|s_j − max| of error; with
/// expf to 2 ulp and softmax sums in any order the probabilities are within a relative ρ of
/// exact, so bound[m,h,d] = (ρ + γ_{2L+2}(1+ρ)) · Σ_j p_j |v_jd|. 2L covers the rescaling of an
/// online (flash) softmax.
Status attentionErrorBound(const AttentionShape& shape, std::span<const float> q,
                           std::span<const float> kCache, std::span<const float> vCache,
                           std::span<const std::int32_t> positions, std::span<double> bound);

} // namespace ptxwb::reference
