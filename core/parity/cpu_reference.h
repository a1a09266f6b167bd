#pragma once
// The CPU oracle of the parity checks: every op in double precision, with the op's rigorous
// error bound per element, and the GGML dequantisation in the same f32 arithmetic ggml uses.
//
// Dequantisation and f16 conversion come from core/reference (ggml-exact); the per-op reference
// values and bounds below are computed here in double. Every parity call site goes through this
// header only, so moving the op math to core/reference too touches cpu_reference.cpp alone.

#include "kernels/manifest.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ptxwb::parity {

/// Reference values and the allowed absolute error of each element.
struct ReferenceOutput {
    std::vector<double> value;
    std::vector<double> bound;
};

float halfToFloat(std::uint16_t h);
std::uint16_t floatToHalf(float f);

/// Bytes of one row of K values in `format` (F16: 2K; Q8_0: K/32*34; Q4_K: K/256*144; Q6_K:
/// K/256*210).
std::size_t weightRowBytes(kernels::WeightFormat format, int k);
/// Values per quantisation block (32 for Q8_0, 256 for the K-quants, 1 for F16).
int blockValues(kernels::WeightFormat format);
/// Dequantises one row exactly as ggml does.
void dequantRow(kernels::WeightFormat format, const std::uint8_t* row, int k, float* out);

/// y[m, n] = sum_k W[n, k] x[m, k]; bound gamma_{K+8} * sum |w x|.
ReferenceOutput gemvReference(kernels::WeightFormat format, std::span<const std::uint8_t> w, int n,
                              int k, std::span<const float> x, int m);
ReferenceOutput rmsnormReference(std::span<const float> x, std::span<const float> gamma, int m,
                                 int d, float eps);
ReferenceOutput residualAddReference(std::span<const float> a, std::span<const float> b);
ReferenceOutput swigluReference(std::span<const float> gate, std::span<const float> up);
/// llama (adjacent-pair) RoPE of x[M, H, HD] at positions[m].
ReferenceOutput ropeReference(std::span<const float> x, int m, int h, int hd,
                              std::span<const int> positions, float base);
/// The cache [HKV, MAXLEN, HD] after scattering src[M, HKV, HD] to positions; `written` marks the
/// elements a correct kernel stores (the rest must stay untouched).
ReferenceOutput kvScatterReference(std::span<const float> src, int m, int hkv, int hd, int maxLen,
                                   std::span<const int> positions,
                                   std::vector<std::uint8_t>& written);
ReferenceOutput attentionReference(std::span<const float> q, std::span<const float> kCache,
                                   std::span<const float> vCache, int m, int h, int hkv, int hd,
                                   int maxLen, std::span<const int> positions);
ReferenceOutput embeddingReference(kernels::WeightFormat format,
                                   std::span<const std::uint8_t> table, int v, int d,
                                   std::span<const int> tokens);

} // namespace ptxwb::parity
