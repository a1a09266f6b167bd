#pragma once
// The error an f32 GPU engine may show against the reference forward pass, propagated op after
// op through the whole model.
//
// Worst-case propagation (|∂y/∂x|·e_x plus each op's rigorous bound from error_bounds.h) is
// useless here: every GEMV multiplies the carried bound by Σ_k|W[n,k]| (about 10 for the
// synthetic models), and after four layers the logit bound exceeds 10^17. Instead this follows
// the probabilistic model of rounding errors (Higham & Mary, "A New Approach to Probabilistic
// Rounding Error Analysis", 2019): rounding errors are independent with mean zero, so a sum of
// n of them grows like √n, not n. Each activation carries a standard error σ; an op combines
// the carried errors through its first-order derivative in quadrature and adds its own rounding
// as √n·u times the magnitude the rounding scales with:
//   GEMV        σ_y² = Σ_k W²·σ_x² + (√(K+extra)·u·Σ_k |W·x|)²
//   RMSNorm     σ_y,i² = (g_i/r)²·(σ_x,i² + (x_i/(D·r²))²·Σ_j x_j²·σ_x,j²) + (√(D+8)·u·y_i)²
//   RoPE        σ_a'² = σ_b'² = σ_a² + σ_b² + local²
//   attention   δo_d = Σ_j p_j·δs_j·(v_jd − o_d) + Σ_j p_j·δv_jd, with score errors
//               σ_s,j² = Σ_d (q_d²·σ_k,jd² + k_jd²·σ_q,d²)/HD; plus the op's rigorous bound
//   SwiGLU      σ_y² = (u·silu'(g))²·σ_g² + silu(g)²·σ_u² + local²
//   residual    σ² = σ_a² + σ_b² + (u·(a + b))²
// The logit bound handed to checks is kConfidenceSigmas·σ plus the f32 rounding of the logit.
// This is not a proof; it is the bound an f32 engine meets unless it computes something else,
// and a wrong kernel, stale buffer or misplaced row misses it by orders of magnitude.

#include "reference/ops.h"

#include <cstdint>
#include <span>

namespace ptxwb::reference {

/// Standard errors a logit may be away from the reference and still count as agreeing.
inline constexpr double kConfidenceSigmas = 8.0;

/// Embedding lookup: exact for f32 and f16 tables; a K-quant value d1·q − m1 may be formed with
/// or without FMA contraction, which moves it by at most 2u·(|y| + max|row|).
Status embeddingErrorBound(const QuantMatrix& table, std::span<const double> y, std::size_t m,
                           std::span<double> sigma);

/// GEMV over x[M, K] with standard errors sx, into sy[M, N].
Status propagateGemv(const QuantMatrix& w, std::span<const double> x, std::span<const double> sx,
                     std::size_t m, std::span<double> sy, unsigned extraRoundings);

/// RMSNorm of x[M, D]; `y` is the op's output, which the forward pass already has.
Status propagateRmsNorm(std::span<const double> x, std::span<const double> sx, std::size_t m,
                        std::span<const float> gamma, double eps, std::span<const double> y,
                        std::span<double> sy);

/// RoPE of x[M, heads, headDim].
Status propagateRope(std::span<const double> x, std::span<const double> sx, std::size_t m,
                     std::size_t heads, std::size_t headDim,
                     std::span<const std::int32_t> positions, double base, RopeMode mode,
                     std::span<double> sy);

/// Causal attention of q[M, H, HD] over caches [Hkv, cacheLength, HD]; `out` is the op's
/// output, which the forward pass already has.
Status propagateAttention(const AttentionShape& shape, std::span<const double> q,
                          std::span<const double> sq, std::span<const double> kCache,
                          std::span<const double> skCache, std::span<const double> vCache,
                          std::span<const double> svCache, std::span<const std::int32_t> positions,
                          std::span<const double> out, std::span<double> sout);

/// SwiGLU y = silu(gate)·up.
Status propagateSwiglu(std::span<const double> gate, std::span<const double> sgate,
                       std::span<const double> up, std::span<const double> sup,
                       std::span<double> sy);

/// Residual add in place (a += b follows): sa² ← sa² + sb² + (u·(a + b))².
Status propagateResidualAdd(std::span<const double> a, std::span<double> sa,
                            std::span<const double> b, std::span<const double> sb);

} // namespace ptxwb::reference
