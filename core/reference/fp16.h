#pragma once
// Half-precision conversions exactly as ggml performs them. fp16 -> f32 is exact for every
// input (subnormals included); NaNs keep their payload and come back quiet, as both ggml's
// software path and the F16C instruction return them. f32 -> fp16 and f32 -> bf16 round to
// nearest even; an f32 NaN becomes the canonical quiet NaN (fp16) or keeps its top bits with
// the quiet bit set (bf16), as ggml's reference conversions do.

#include <cstdint>

namespace ptxwb::reference {

[[nodiscard]] float halfToFloat(std::uint16_t h);
[[nodiscard]] std::uint16_t floatToHalf(float f);
[[nodiscard]] float bf16ToFloat(std::uint16_t b);
[[nodiscard]] std::uint16_t floatToBf16(float f);

} // namespace ptxwb::reference
