#pragma once
// NumPy .npy files of little-endian float32 in C order: the exchange format for K/V cache dumps
// (ptxwb writes them and reads another engine's). Version 1.0 and 2.0 headers are read.

#include "util/expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ptxwb {

struct NpyArray {
    std::vector<std::uint64_t> shape;
    std::vector<float> values; ///< row-major, product(shape) elements
};

/// Reads a '<f4' C-order array; anything else is a BadInput error naming the byte offset.
Expected<NpyArray> readNpy(const std::string& path);
/// Writes a version 1.0 '<f4' C-order array.
Status writeNpy(const std::string& path, const std::vector<std::uint64_t>& shape,
                const float* values);

} // namespace ptxwb
