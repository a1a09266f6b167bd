#pragma once
// NumPy .npy (format 1.0) for float32 arrays: K/V dumps and other arrays people load in Python
// with numpy.load(). Little-endian '<f4', C order.

#include "util/expected.h"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace ptxwb::reference {

/// The .npy bytes of a C-order float32 array of `shape`.
[[nodiscard]] std::string encodeNpyF32(std::span<const float> values,
                                       const std::vector<std::size_t>& shape);
/// Writes an .npy file atomically.
Status writeNpyF32(const std::string& path, std::span<const float> values,
                   const std::vector<std::size_t>& shape);

} // namespace ptxwb::reference
