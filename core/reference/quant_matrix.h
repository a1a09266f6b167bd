#pragma once
// A read-only view of a (possibly quantised) row-major weight matrix W[rows, cols]: row n is
// cols/blockValues consecutive blocks. This is what GEMV and embedding lookup consume, whether
// the bytes come from a GGUF file or from a test's quantiser.

#include "gguf/gguf_file.h"
#include "util/expected.h"

#include <cstddef>
#include <span>
#include <vector>

namespace ptxwb::reference {

struct QuantMatrix {
    gguf::GgmlType type = gguf::GgmlType::F32;
    std::size_t rows = 0; ///< N (ggml dims[1..] multiplied)
    std::size_t cols = 0; ///< K (ggml dims[0])
    std::span<const std::byte> data;

    [[nodiscard]] std::size_t rowBytes() const;
    [[nodiscard]] std::span<const std::byte> row(std::size_t n) const {
        return data.subspan(n * rowBytes(), rowBytes());
    }
    /// Dequantises row n into `out` (cols floats).
    void dequantizeRow(std::size_t n, float* out) const;

    /// Validates type (supported for compute), shape and byte count.
    static Expected<QuantMatrix> make(gguf::GgmlType type, std::size_t rows, std::size_t cols,
                                      std::span<const std::byte> data);
    /// A tensor of a GgufFile as a matrix (1-D tensors become one row).
    static Expected<QuantMatrix> fromTensor(const gguf::GgufFile& file, const gguf::TensorInfo& t);
};

/// The whole matrix dequantised, row-major [rows, cols].
[[nodiscard]] std::vector<float> dequantizeMatrix(const QuantMatrix& w);

} // namespace ptxwb::reference
