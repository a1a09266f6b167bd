#include "util/npy.h"

#include "util/mapped_file.h"

#include <cstring>
#include <fmt/format.h>
#include <string_view>

namespace ptxwb {

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

Unexpected npyError(const std::string& path, std::uint64_t offset, std::string message) {
    return makeError(ErrorKind::BadInput, std::move(message), ErrorLocation::bytes(path, offset));
}

/// Value text of `'key': value` in the header dict (Python literal syntax).
std::string_view dictValue(std::string_view header, std::string_view key) {
    std::string quoted = fmt::format("'{}'", key);
    auto pos = header.find(quoted);
    if (pos == std::string_view::npos) return {};
    pos = header.find(':', pos + quoted.size());
    if (pos == std::string_view::npos) return {};
    ++pos;
    while (pos < header.size() && header[pos] == ' ')
        ++pos;
    std::size_t end = pos;
    if (pos < header.size() && header[pos] == '(') {
        end = header.find(')', pos);
        return end == std::string_view::npos ? std::string_view{}
                                             : header.substr(pos, end - pos + 1);
    }
    while (end < header.size() && header[end] != ',' && header[end] != '}')
        ++end;
    return header.substr(pos, end - pos);
}

} // namespace

Expected<NpyArray> readNpy(const std::string& path) {
    PTXWB_TRY(auto file, MappedFile::open(path));
    std::string_view data = file.text();
    if (data.size() < 10 || data.substr(0, 6) != kMagic) {
        return npyError(path, 0, "not a .npy file (missing \\x93NUMPY magic)");
    }
    const auto major = static_cast<std::uint8_t>(data[6]);
    std::uint64_t headerLen = 0;
    std::uint64_t headerStart = 0;
    if (major == 1) {
        headerLen = std::uint8_t(data[8]) | (std::uint64_t(std::uint8_t(data[9])) << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (data.size() < 12) return npyError(path, 8, "truncated .npy header length");
        for (int i = 0; i < 4; ++i)
            headerLen |= std::uint64_t(std::uint8_t(data[8 + i])) << (8 * i);
        headerStart = 12;
    } else {
        return npyError(path, 6, fmt::format("unsupported .npy version {}", major));
    }
    if (headerStart + headerLen > data.size()) {
        return npyError(path, headerStart, "header runs past the end of the file");
    }
    std::string_view header = data.substr(headerStart, headerLen);
    std::string_view descr = dictValue(header, "descr");
    if (descr != "'<f4'") {
        return npyError(path, headerStart,
                        fmt::format("dtype {} is not supported (expected '<f4', float32)",
                                    descr.empty() ? std::string("(missing)") : std::string(descr)));
    }
    if (dictValue(header, "fortran_order") != "False") {
        return npyError(path, headerStart, "Fortran-order arrays are not supported");
    }
    std::string_view shapeText = dictValue(header, "shape");
    if (shapeText.size() < 2) return npyError(path, headerStart, "missing shape");
    NpyArray array;
    std::uint64_t count = 1;
    std::string_view inner = shapeText.substr(1, shapeText.size() - 2);
    while (!inner.empty()) {
        while (!inner.empty() && (inner.front() == ' ' || inner.front() == ','))
            inner.remove_prefix(1);
        if (inner.empty()) break;
        std::uint64_t dim = 0;
        std::size_t digits = 0;
        while (digits < inner.size() && inner[digits] >= '0' && inner[digits] <= '9') {
            if (dim > (UINT64_MAX - 9) / 10) return npyError(path, headerStart, "shape too large");
            dim = dim * 10 + std::uint64_t(inner[digits] - '0');
            ++digits;
        }
        if (digits == 0) return npyError(path, headerStart, "malformed shape");
        inner.remove_prefix(digits);
        if (dim != 0 && count > UINT64_MAX / dim)
            return npyError(path, headerStart, "shape too large");
        count *= dim;
        array.shape.push_back(dim);
    }
    const std::uint64_t dataStart = headerStart + headerLen;
    const std::uint64_t available = (data.size() - dataStart) / sizeof(float);
    if (count > available) {
        return npyError(
            path, dataStart,
            fmt::format("shape needs {} float32 values but the file holds {}", count, available));
    }
    array.values.resize(count);
    std::memcpy(array.values.data(), data.data() + dataStart, count * sizeof(float));
    return array;
}

Status writeNpy(const std::string& path, const std::vector<std::uint64_t>& shape,
                const float* values) {
    std::string dims;
    std::uint64_t count = 1;
    for (auto d : shape) {
        dims += fmt::format("{}, ", d);
        count *= d;
    }
    if (shape.size() > 1)
        dims.resize(dims.size() - 2); // (a, b) but (a,) for one dimension
    else if (shape.size() == 1)
        dims.resize(dims.size() - 1);
    std::string header =
        fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}), }}", dims);
    // Pad so the data starts on a 64-byte boundary, header ends with '\n' (format 1.0).
    std::size_t total = kMagic.size() + 4 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string out(kMagic);
    out.push_back('\x01');
    out.push_back('\x00');
    out.push_back(static_cast<char>(header.size() & 0xff));
    out.push_back(static_cast<char>(header.size() >> 8));
    out += header;
    out.append(reinterpret_cast<const char*>(values), count * sizeof(float));
    return writeFileAtomic(path, out);
}

} // namespace ptxwb
