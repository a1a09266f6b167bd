#include "gguf/gguf_writer.h"

#include "gguf/gguf_file.h"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <sys/types.h>
#include <unistd.h>

namespace ptxwb::gguf {
namespace {

template <typename T>
void append(std::vector<std::byte>& out, const T& v) {
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    out.insert(out.end(), p, p + sizeof(T));
}

void appendString(std::vector<std::byte>& out, std::string_view s) {
    append(out, static_cast<std::uint64_t>(s.size()));
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    out.insert(out.end(), p, p + s.size());
}

template <typename T>
std::vector<std::byte> scalarPayload(T v) {
    std::vector<std::byte> out;
    append(out, v);
    return out;
}

template <typename T>
std::vector<std::byte> arrayPayload(ValueType element, std::span<const T> v) {
    std::vector<std::byte> out;
    append(out, static_cast<std::uint32_t>(element));
    append(out, static_cast<std::uint64_t>(v.size()));
    const auto* p = reinterpret_cast<const std::byte*>(v.data());
    out.insert(out.end(), p, p + v.size_bytes());
    return out;
}

} // namespace

void GgufWriter::setRaw(std::string_view key, ValueType type, std::vector<std::byte> payload) {
    for (auto& e : entries_) {
        if (e.key == key) {
            e.type = type;
            e.payload = std::move(payload);
            return;
        }
    }
    entries_.push_back(Entry{std::string(key), type, std::move(payload)});
}

void GgufWriter::setU8(std::string_view k, std::uint8_t v) {
    setRaw(k, ValueType::U8, scalarPayload(v));
}
void GgufWriter::setI8(std::string_view k, std::int8_t v) {
    setRaw(k, ValueType::I8, scalarPayload(v));
}
void GgufWriter::setU16(std::string_view k, std::uint16_t v) {
    setRaw(k, ValueType::U16, scalarPayload(v));
}
void GgufWriter::setI16(std::string_view k, std::int16_t v) {
    setRaw(k, ValueType::I16, scalarPayload(v));
}
void GgufWriter::setU32(std::string_view k, std::uint32_t v) {
    setRaw(k, ValueType::U32, scalarPayload(v));
}
void GgufWriter::setI32(std::string_view k, std::int32_t v) {
    setRaw(k, ValueType::I32, scalarPayload(v));
}
void GgufWriter::setU64(std::string_view k, std::uint64_t v) {
    setRaw(k, ValueType::U64, scalarPayload(v));
}
void GgufWriter::setI64(std::string_view k, std::int64_t v) {
    setRaw(k, ValueType::I64, scalarPayload(v));
}
void GgufWriter::setF32(std::string_view k, float v) {
    setRaw(k, ValueType::F32, scalarPayload(v));
}
void GgufWriter::setF64(std::string_view k, double v) {
    setRaw(k, ValueType::F64, scalarPayload(v));
}
void GgufWriter::setBool(std::string_view k, bool v) {
    setRaw(k, ValueType::Bool, scalarPayload(static_cast<std::uint8_t>(v ? 1 : 0)));
}
void GgufWriter::setString(std::string_view k, std::string_view v) {
    std::vector<std::byte> payload;
    appendString(payload, v);
    setRaw(k, ValueType::String, std::move(payload));
}
void GgufWriter::setStringArray(std::string_view k, const std::vector<std::string>& v) {
    std::vector<std::byte> payload;
    append(payload, static_cast<std::uint32_t>(ValueType::String));
    append(payload, static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v)
        appendString(payload, s);
    setRaw(k, ValueType::Array, std::move(payload));
}
void GgufWriter::setF32Array(std::string_view k, std::span<const float> v) {
    setRaw(k, ValueType::Array, arrayPayload(ValueType::F32, v));
}
void GgufWriter::setI32Array(std::string_view k, std::span<const std::int32_t> v) {
    setRaw(k, ValueType::Array, arrayPayload(ValueType::I32, v));
}
void GgufWriter::setU32Array(std::string_view k, std::span<const std::uint32_t> v) {
    setRaw(k, ValueType::Array, arrayPayload(ValueType::U32, v));
}

Status GgufWriter::setAlignment(std::uint32_t alignment) {
    if (alignment == 0 || !std::has_single_bit(alignment) || alignment > kMaxAlignment)
        return makeError(
            ErrorKind::Usage,
            fmt::format("alignment {} is not a power of two up to {}", alignment, kMaxAlignment));
    alignment_ = alignment;
    setU32("general.alignment", alignment);
    return Status{};
}

Status GgufWriter::checkTensor(const std::string& name, GgmlType type,
                               const std::vector<std::uint64_t>& dims, std::uint64_t& bytes) const {
    if (name.empty() || name.size() > kMaxTensorNameBytes)
        return makeError(ErrorKind::Usage, fmt::format("tensor name '{}' must have 1..{} bytes",
                                                       name, kMaxTensorNameBytes));
    for (const auto& t : tensors_)
        if (t.name == name)
            return makeError(ErrorKind::Usage, fmt::format("duplicate tensor name '{}'", name));
    if (dims.empty() || dims.size() > kMaxDims)
        return makeError(ErrorKind::Usage, fmt::format("tensor '{}': {} dims, expected 1..{}", name,
                                                       dims.size(), kMaxDims));
    const auto traits = ggmlTypeTraits(type);
    std::uint64_t elements = 1;
    for (auto d : dims) {
        if (d == 0 || __builtin_mul_overflow(elements, d, &elements))
            return makeError(ErrorKind::Usage, fmt::format("tensor '{}': bad dims", name));
    }
    if (dims[0] % traits.blockValues != 0)
        return makeError(ErrorKind::Usage,
                         fmt::format("tensor '{}': row length {} is not a multiple of {}", name,
                                     dims[0], traits.blockValues));
    bytes = elements / traits.blockValues * traits.blockBytes;
    return Status{};
}

Status GgufWriter::addTensor(std::string name, GgmlType type, std::vector<std::uint64_t> dims,
                             std::vector<std::byte> data) {
    std::uint64_t bytes = 0;
    PTXWB_CHECK(checkTensor(name, type, dims, bytes));
    if (bytes != data.size())
        return makeError(ErrorKind::Usage,
                         fmt::format("tensor '{}': {} bytes given, {} {} needs {}", name,
                                     data.size(), ggmlTypeName(type), fmt::join(dims, "x"), bytes));
    tensors_.push_back(
        Tensor{std::move(name), type, std::move(dims), std::move(data), bytes, false});
    return Status{};
}

Status GgufWriter::addSparseTensor(std::string name, GgmlType type,
                                   std::vector<std::uint64_t> dims) {
    std::uint64_t bytes = 0;
    PTXWB_CHECK(checkTensor(name, type, dims, bytes));
    tensors_.push_back(Tensor{std::move(name), type, std::move(dims), {}, bytes, true});
    return Status{};
}

bool GgufWriter::emit(const Sink& sink) const {
    std::vector<std::byte> head;
    head.insert(head.end(), {std::byte{'G'}, std::byte{'G'}, std::byte{'U'}, std::byte{'F'}});
    append(head, std::uint32_t{3});
    append(head, static_cast<std::uint64_t>(tensors_.size()));
    append(head, static_cast<std::uint64_t>(entries_.size()));
    for (const auto& e : entries_) {
        appendString(head, e.key);
        append(head, static_cast<std::uint32_t>(e.type));
        head.insert(head.end(), e.payload.begin(), e.payload.end());
    }
    auto padded = [this](std::uint64_t n) {
        return (n + alignment_ - 1) / alignment_ * alignment_;
    };
    std::uint64_t offset = 0;
    for (const auto& t : tensors_) {
        appendString(head, t.name);
        append(head, static_cast<std::uint32_t>(t.dims.size()));
        for (auto d : t.dims)
            append(head, d);
        append(head, static_cast<std::uint32_t>(t.type));
        append(head, offset);
        offset = padded(offset + t.byteSize);
    }
    head.resize(padded(head.size()), std::byte{0});
    if (!sink(head.data(), head.size())) return false;
    const std::vector<std::byte> zeros(alignment_, std::byte{0});
    for (const auto& t : tensors_) {
        if (!sink(t.sparse ? nullptr : t.data.data(), t.byteSize)) return false;
        const std::size_t pad = padded(t.byteSize) - t.byteSize;
        if (pad && !sink(zeros.data(), pad)) return false;
    }
    return true;
}

std::vector<std::byte> GgufWriter::toBytes() const {
    std::vector<std::byte> out;
    emit([&](const void* p, std::size_t n) {
        if (!p) {
            out.resize(out.size() + n, std::byte{0});
            return true;
        }
        const auto* b = static_cast<const std::byte*>(p);
        out.insert(out.end(), b, b + n);
        return true;
    });
    return out;
}

Status GgufWriter::writeFile(const std::string& path) const {
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        return makeError(ErrorKind::Environment,
                         fmt::format("cannot create {}: {}", tmp, std::strerror(errno)));
    off_t end = 0;
    bool ok = emit([&](const void* p, std::size_t n) {
        end += static_cast<off_t>(n);
        if (!p) return ::fseeko(f, static_cast<off_t>(n), SEEK_CUR) == 0; // leave a hole
        return std::fwrite(p, 1, n, f) == n;
    });
    ok = (std::fflush(f) == 0) && ok;
    ok = ok && ::ftruncate(::fileno(f), end) == 0; // a trailing hole still sets the size
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        return makeError(ErrorKind::Environment,
                         fmt::format("cannot write {}: {}", path, std::strerror(err)));
    }
    return Status{};
}

} // namespace ptxwb::gguf
