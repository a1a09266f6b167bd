#include "reference/npy.h"

#include "util/mapped_file.h"

#include <fmt/format.h>

namespace ptxwb::reference {

std::string encodeNpyF32(std::span<const float> values, const std::vector<std::size_t>& shape) {
    std::string dims;
    for (auto d : shape)
        dims += fmt::format("{}, ", d);
    if (shape.size() > 1) dims.resize(dims.size() - 1); // "(a, b)" but "(a,)" for one dim
    if (shape.size() > 1) dims.pop_back();
    std::string header =
        fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}), }}", dims);
    // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of
    // 64 and ending in a newline, as the format asks.
    const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header.push_back('\n');
    std::string out = "\x93NUMPY";
    out.push_back('\x01');
    out.push_back('\x00');
    out.push_back(static_cast<char>(header.size() & 0xff));
    out.push_back(static_cast<char>(header.size() >> 8));
    out += header;
    out.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
    return out;
}

Status writeNpyF32(const std::string& path, std::span<const float> values,
                   const std::vector<std::size_t>& shape) {
    return writeFileAtomic(path, encodeNpyF32(values, shape));
}

} // namespace ptxwb::reference
