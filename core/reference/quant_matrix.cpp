#include "reference/quant_matrix.h"

#include "reference/dequantize.h"
#include "util/thread_pool.h"

#include <fmt/format.h>

namespace ptxwb::reference {

std::size_t QuantMatrix::rowBytes() const {
    return bytesForValues(type, cols);
}

void QuantMatrix::dequantizeRow(std::size_t n, float* out) const {
    dequantizeUnchecked(type, row(n).data(), out, cols);
}

Expected<QuantMatrix> QuantMatrix::make(gguf::GgmlType type, std::size_t rows, std::size_t cols,
                                        std::span<const std::byte> data) {
    const auto traits = gguf::ggmlTypeTraits(type);
    if (!traits.computeSupported)
        return makeError(ErrorKind::BadInput,
                         fmt::format("type {} is not supported for compute", traits.name));
    if (cols == 0 || cols % traits.blockValues != 0)
        return makeError(ErrorKind::BadInput,
                         fmt::format("row length {} is not a positive multiple of the {} block "
                                     "size {}",
                                     cols, traits.name, traits.blockValues));
    QuantMatrix m{type, rows, cols, data};
    if (data.size() / m.rowBytes() != rows || data.size() % m.rowBytes() != 0)
        return makeError(ErrorKind::BadInput,
                         fmt::format("{} bytes do not hold a {} matrix of {} x {}", data.size(),
                                     traits.name, rows, cols));
    return m;
}

Expected<QuantMatrix> QuantMatrix::fromTensor(const gguf::GgufFile& file,
                                              const gguf::TensorInfo& t) {
    auto m = make(t.type, static_cast<std::size_t>(t.rowCount()),
                  static_cast<std::size_t>(t.rowLength()), file.tensorData(t));
    if (!m)
        return Unexpected{
            file.errorAt(t.infoOffset, fmt::format("tensor '{}': {}", t.name, m.error().message))};
    return m;
}

std::vector<float> dequantizeMatrix(const QuantMatrix& w) {
    std::vector<float> out(w.rows * w.cols);
    ThreadPool::shared().parallelFor(w.rows, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t n = begin; n < end; ++n)
            w.dequantizeRow(n, out.data() + n * w.cols);
    });
    return out;
}

} // namespace ptxwb::reference
