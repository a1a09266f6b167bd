#pragma once
// Quantisers f32 -> Q8_0, Q4_K, Q6_K (and f32 -> f16/bf16/f32 arrays) for synthetic models.
// Scales are chosen by search like the usual reference quantisers: Q6_K fits a signed scale
// per 16 values by weighted least squares over a sweep of candidate scales, Q4_K fits scale and
// min per 32 values the same way, then both pack their sub-block scales into 6 or 8 bits.
// The output is deterministic: it depends on the input values only.

#include "gguf/ggml_type.h"
#include "util/expected.h"

#include <cstddef>
#include <span>
#include <vector>

namespace ptxwb::reference {

void quantizeQ8_0Block(const float* values, std::byte* block);
void quantizeQ4KBlock(const float* values, std::byte* block);
void quantizeQ6KBlock(const float* values, std::byte* block);

/// Quantises a row-major matrix of rows of `rowLength` values into `type` (F32, F16, BF16,
/// Q8_0, Q4_K, Q6_K). rowLength must be a multiple of the type's block size.
Expected<std::vector<std::byte>> quantize(gguf::GgmlType type, std::span<const float> values,
                                          std::size_t rowLength);

} // namespace ptxwb::reference
