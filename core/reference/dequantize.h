#pragma once
// Dequantisation bit-identical to ggml's reference (dequantize_row_*): same f32 operations in
// the same order, so a kernel that matches ggml matches this. The library is compiled with
// -ffp-contract=off so the compiler never fuses d·scale·q − dmin·min into an FMA.

#include "gguf/ggml_type.h"
#include "util/expected.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace ptxwb::reference {

/// Byte offsets inside the quantised blocks (see docs/kernel-set.md).
namespace q8_0 {
inline constexpr std::size_t kValues = 32, kBytes = 34;
}
namespace q4_k {
inline constexpr std::size_t kValues = 256, kBytes = 144, kD = 0, kDmin = 2, kScales = 4, kQs = 16;
/// Sub-block j's 6-bit scale and min from the 12 packed scale bytes.
void scaleMin(const std::uint8_t* scales, int j, std::uint8_t& scale, std::uint8_t& min);
} // namespace q4_k
namespace q6_k {
inline constexpr std::size_t kValues = 256, kBytes = 210, kQl = 0, kQh = 128, kScales = 192,
                             kD = 208;
}

void dequantizeQ8_0Block(const std::byte* block, float* out);
void dequantizeQ4KBlock(const std::byte* block, float* out);
void dequantizeQ6KBlock(const std::byte* block, float* out);

/// Dequantises `out.size()` values of `type` from `src` (whole blocks). Fails for types that
/// are not supported for compute and when the sizes do not agree.
Status dequantize(gguf::GgmlType type, std::span<const std::byte> src, std::span<float> out);
/// Same, without checks (hot loops that have validated the shapes once).
void dequantizeUnchecked(gguf::GgmlType type, const std::byte* src, float* out, std::size_t n);

/// Bytes used by `n` values of `type` (n a multiple of the block size).
[[nodiscard]] std::size_t bytesForValues(gguf::GgmlType type, std::size_t n);

} // namespace ptxwb::reference
