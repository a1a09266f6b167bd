// The GGUF parser. Each read names the field it reads and the offset where it starts, so an
// error says exactly which byte of the file is wrong. Counts and lengths are checked against
// the bytes left before anything is allocated: a hostile header claiming 2^60 entries fails at
// once instead of exhausting memory (the class of bug behind several GGUF reader CVEs).

#include "gguf/gguf_file.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fmt/format.h>

namespace ptxwb::gguf {

namespace {

constexpr std::uint64_t kMinKvBytes = 8 + 1 + 4 + 1; // key length, 1-byte key, type, u8
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8; // one dim
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 62;       // keeps every size in int64

std::uint64_t minEncodedSize(ValueType t) {
    if (t == ValueType::String) return 8;
    if (t == ValueType::Array) return 12;
    return scalarSize(t);
}

} // namespace

class GgufParser {
public:
    GgufParser(GgufFile& file) : f_(file), bytes_(file.bytes_) {}

    Status run();

private:
    Unexpected fail(std::uint64_t at, std::string message) const {
        return Unexpected{f_.errorAt(at, std::move(message))};
    }
    std::uint64_t left() const { return bytes_.size() - pos_; }

    template <typename T>
    Expected<T> read(std::string_view field) {
        if (left() < sizeof(T))
            return fail(pos_, fmt::format("{}: unexpected end of file (needs {} bytes, {} left)",
                                          field, sizeof(T), left()));
        T v;
        std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    Expected<std::string_view> readString(std::string_view field, std::uint64_t maxLength);
    Status readHeader();
    Status readMetadata(std::uint64_t count);
    Expected<MetadataValue> readValue(ValueType type, std::string_view field, int depth);
    Expected<ValueType> readValueType(std::string_view field);
    Status applyAlignment();
    Status readTensorInfos(std::uint64_t count);
    Status readTensorInfo(std::size_t index);
    Status placeTensors();

    GgufFile& f_;
    std::span<const std::byte> bytes_;
    std::uint64_t pos_ = 0;
    std::uint64_t tensorCount_ = 0;
};

Expected<std::string_view> GgufParser::readString(std::string_view field, std::uint64_t maxLength) {
    const std::uint64_t at = pos_;
    PTXWB_TRY(std::uint64_t length, read<std::uint64_t>(field));
    if (length > left())
        return fail(at, fmt::format("{}: string length {} exceeds the {} bytes left", field, length,
                                    left()));
    if (length > maxLength)
        return fail(at, fmt::format("{}: string length {} exceeds the maximum {}", field, length,
                                    maxLength));
    std::string_view s(reinterpret_cast<const char*>(bytes_.data() + pos_),
                       static_cast<std::size_t>(length));
    pos_ += length;
    return s;
}

Status GgufParser::run() {
    PTXWB_CHECK(readHeader());
    return Status{};
}

Status GgufParser::readHeader() {
    if (bytes_.size() < 4 || std::memcmp(bytes_.data(), "GGUF", 4) != 0) {
        std::string seen;
        for (std::size_t i = 0; i < std::min<std::size_t>(4, bytes_.size()); ++i) {
            auto c = static_cast<unsigned char>(bytes_[i]);
            seen += (c >= 0x20 && c < 0x7f) ? std::string(1, static_cast<char>(c))
                                            : fmt::format("\\x{:02x}", c);
        }
        return fail(
            0, fmt::format("magic: not a GGUF file (starts with '{}', expected 'GGUF')", seen));
    }
    pos_ = 4;
    PTXWB_TRY(std::uint32_t version, read<std::uint32_t>("version"));
    if (version != 2 && version != 3) {
        std::string hint = (version & 0xffffu) == 0 && __builtin_bswap32(version) <= 3
                               ? " (a big-endian file?)"
                               : "";
        return fail(4, fmt::format("version: GGUF version {} is not supported, expected 2 or 3{}",
                                   version, hint));
    }
    f_.version_ = version;
    PTXWB_TRY(tensorCount_, read<std::uint64_t>("tensor_count"));
    if (tensorCount_ > left() / kMinTensorInfoBytes)
        return fail(8, fmt::format("tensor_count: {} tensors cannot fit in the {} bytes left",
                                   tensorCount_, left()));
    PTXWB_TRY(std::uint64_t kvCount, read<std::uint64_t>("metadata_kv_count"));
    if (kvCount > left() / kMinKvBytes)
        return fail(16, fmt::format("metadata_kv_count: {} key-value pairs cannot fit in the {} "
                                    "bytes left",
                                    kvCount, left()));
    PTXWB_CHECK(readMetadata(kvCount));
    PTXWB_CHECK(applyAlignment());
    PTXWB_CHECK(readTensorInfos(tensorCount_));
    return placeTensors();
}

Expected<ValueType> GgufParser::readValueType(std::string_view field) {
    const std::uint64_t at = pos_;
    PTXWB_TRY(std::uint32_t id, read<std::uint32_t>(field));
    if (id > kMaxValueTypeId) return fail(at, fmt::format("{}: unknown value type {}", field, id));
    return static_cast<ValueType>(id);
}

Status GgufParser::readMetadata(std::uint64_t count) {
    f_.metadata_.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t keyAt = pos_;
        PTXWB_TRY(std::string_view key,
                  readString(fmt::format("metadata key {}", i), kMaxKeyBytes));
        if (key.empty()) return fail(keyAt, fmt::format("metadata key {}: key is empty", i));
        const std::string field = fmt::format("metadata '{}'", key);
        if (auto it = f_.metadataIndex_.find(key); it != f_.metadataIndex_.end())
            return fail(keyAt, fmt::format("{}: duplicate key (first at byte {})", field,
                                           f_.metadata_[it->second].keyOffset));
        PTXWB_TRY(ValueType type, readValueType(field + " type"));
        PTXWB_TRY(MetadataValue value, readValue(type, field, 0));
        f_.metadataIndex_.emplace(key, f_.metadata_.size());
        f_.metadata_.push_back(MetadataEntry{key, keyAt, std::move(value)});
    }
    return Status{};
}

Expected<MetadataValue> GgufParser::readValue(ValueType type, std::string_view field, int depth) {
    MetadataValue v;
    v.type = type;
    v.offset = pos_;
    if (type == ValueType::String) {
        PTXWB_TRY(v.string, readString(field, UINT64_MAX));
        return v;
    }
    if (type != ValueType::Array) {
        const std::size_t size = scalarSize(type);
        if (left() < size)
            return fail(pos_, fmt::format("{}: unexpected end of file (needs {} bytes, {} left)",
                                          field, size, left()));
        v.raw = bytes_.subspan(pos_, size);
        if (type == ValueType::Bool && std::to_integer<unsigned>(v.raw[0]) > 1)
            return fail(pos_, fmt::format("{}: bool value {} is not 0 or 1", field,
                                          std::to_integer<unsigned>(v.raw[0])));
        pos_ += size;
        return v;
    }
    if (depth >= kMaxArrayNesting)
        return fail(
            pos_, fmt::format("{}: arrays nested deeper than {} levels", field, kMaxArrayNesting));
    PTXWB_TRY(v.elementType, readValueType(std::string(field) + " element type"));
    const std::uint64_t countAt = pos_;
    PTXWB_TRY(v.count, read<std::uint64_t>(std::string(field) + " element count"));
    const std::uint64_t minSize = minEncodedSize(v.elementType);
    if (v.count > left() / minSize)
        return fail(countAt, fmt::format("{}: array of {} {} elements cannot fit in the {} bytes "
                                         "left",
                                         field, v.count, valueTypeName(v.elementType), left()));
    const auto n = static_cast<std::size_t>(v.count);
    if (v.elementType == ValueType::String) {
        v.strings.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            PTXWB_TRY(std::string_view s, readString(fmt::format("{}[{}]", field, i), UINT64_MAX));
            v.strings.push_back(s);
        }
    } else if (v.elementType == ValueType::Array) {
        v.arrays.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            PTXWB_TRY(MetadataValue inner,
                      readValue(ValueType::Array, fmt::format("{}[{}]", field, i), depth + 1));
            v.arrays.push_back(std::move(inner));
        }
    } else {
        // count * size cannot overflow: count <= left / size was checked above.
        v.raw = bytes_.subspan(pos_, n * minSize);
        if (v.elementType == ValueType::Bool) {
            for (std::size_t i = 0; i < n; ++i)
                if (std::to_integer<unsigned>(v.raw[i]) > 1)
                    return fail(pos_ + i, fmt::format("{}[{}]: bool value {} is not 0 or 1", field,
                                                      i, std::to_integer<unsigned>(v.raw[i])));
        }
        pos_ += n * minSize;
    }
    return v;
}

Status GgufParser::applyAlignment() {
    const MetadataEntry* entry = f_.findMetadata("general.alignment");
    if (!entry) return Status{};
    const auto& v = entry->value;
    if (v.type != ValueType::U32)
        return fail(v.offset, fmt::format("general.alignment: stored as {}, must be u32",
                                          valueTypeName(v.type)));
    const auto a = v.scalarUnchecked<std::uint32_t>();
    if (a == 0 || !std::has_single_bit(a))
        return fail(v.offset, fmt::format("general.alignment: {} is not a power of two", a));
    if (a > kMaxAlignment)
        return fail(v.offset,
                    fmt::format("general.alignment: {} exceeds the maximum {}", a, kMaxAlignment));
    f_.alignment_ = a;
    return Status{};
}

Status GgufParser::readTensorInfos(std::uint64_t count) {
    // Re-checked here: metadata has consumed bytes since the header check.
    if (count > left() / kMinTensorInfoBytes)
        return fail(8, fmt::format("tensor_count: {} tensor infos cannot fit in the {} bytes left "
                                   "after the metadata",
                                   count, left()));
    f_.tensors_.reserve(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < count; ++i)
        PTXWB_CHECK(readTensorInfo(i));
    return Status{};
}

Status GgufParser::readTensorInfo(std::size_t index) {
    TensorInfo t;
    t.infoOffset = pos_;
    PTXWB_TRY(t.name, readString(fmt::format("tensor {} name", index), kMaxTensorNameBytes));
    if (t.name.empty())
        return fail(t.infoOffset, fmt::format("tensor {} name: name is empty", index));
    const std::string field = fmt::format("tensor '{}'", t.name);
    if (auto it = f_.tensorIndex_.find(t.name); it != f_.tensorIndex_.end())
        return fail(t.infoOffset, fmt::format("{}: duplicate tensor name (first at byte {})", field,
                                              f_.tensors_[it->second].infoOffset));
    const std::uint64_t nDimsAt = pos_;
    PTXWB_TRY(std::uint32_t nDims, read<std::uint32_t>(field + " n_dims"));
    if (nDims < 1 || nDims > kMaxDims)
        return fail(nDimsAt, fmt::format("{}: n_dims {} is not in 1..{}", field, nDims, kMaxDims));
    t.elementCount = 1;
    for (std::uint32_t d = 0; d < nDims; ++d) {
        const std::uint64_t dimAt = pos_;
        PTXWB_TRY(std::uint64_t dim, read<std::uint64_t>(fmt::format("{} dims[{}]", field, d)));
        if (dim == 0) return fail(dimAt, fmt::format("{}: dims[{}] is zero", field, d));
        if (dim > kMaxElements / t.elementCount)
            return fail(dimAt,
                        fmt::format("{}: element count overflows at dims[{}] = {}", field, d, dim));
        t.elementCount *= dim;
        t.dims.push_back(dim);
    }
    const std::uint64_t typeAt = pos_;
    PTXWB_TRY(std::uint32_t typeId, read<std::uint32_t>(field + " type"));
    const auto traits = ggmlTypeTraits(typeId);
    if (!traits) return fail(typeAt, fmt::format("{}: unknown ggml type {}", field, typeId));
    t.type = traits->type;
    if (t.dims[0] % traits->blockValues != 0)
        return fail(typeAt,
                    fmt::format("{}: row length {} is not a multiple of the {} block size {}",
                                field, t.dims[0], traits->name, traits->blockValues));
    // blocks * blockBytes <= 2^62 / 1 * 292 could overflow u64 only for absurd counts; check.
    const std::uint64_t blocks = t.elementCount / traits->blockValues;
    if (__builtin_mul_overflow(blocks, std::uint64_t{traits->blockBytes}, &t.byteSize))
        return fail(typeAt, fmt::format("{}: byte size overflows", field));
    const std::uint64_t offsetAt = pos_;
    PTXWB_TRY(t.relativeOffset, read<std::uint64_t>(field + " offset"));
    if (t.relativeOffset % f_.alignment_ != 0)
        return fail(offsetAt, fmt::format("{}: offset {} is not a multiple of the alignment {}",
                                          field, t.relativeOffset, f_.alignment_));
    f_.tensorIndex_.emplace(t.name, f_.tensors_.size());
    f_.tensors_.push_back(std::move(t));
    return Status{};
}

Status GgufParser::placeTensors() {
    // The data section starts at the next multiple of the alignment after the tensor infos.
    std::uint64_t start = 0;
    if (__builtin_add_overflow(pos_, std::uint64_t{f_.alignment_ - 1}, &start))
        return fail(pos_, "data section: padding to the alignment overflows");
    start -= start % f_.alignment_;
    f_.dataSectionOffset_ = start;
    if (f_.tensors_.empty()) return Status{};
    if (start > bytes_.size())
        return fail(pos_, fmt::format("data section: starts at byte {}, past the end of the file "
                                      "({} bytes)",
                                      start, bytes_.size()));
    const std::uint64_t fileSize = bytes_.size();
    auto offsetField = [](const TensorInfo& t) {
        // The offset field follows name (8 + len), n_dims (4), dims (8 each) and type (4).
        return t.infoOffset + 8 + t.name.size() + 4 + 8 * t.dims.size() + 4;
    };
    for (auto& t : f_.tensors_) {
        std::uint64_t begin = 0, end = 0;
        if (__builtin_add_overflow(start, t.relativeOffset, &begin) ||
            __builtin_add_overflow(begin, t.byteSize, &end) || end > fileSize)
            return fail(offsetField(t),
                        fmt::format("tensor '{}': data of {} bytes at offset {} extends past the "
                                    "end of the file ({} bytes)",
                                    t.name, t.byteSize, t.relativeOffset, fileSize));
        t.dataOffset = begin;
    }
    std::vector<const TensorInfo*> order;
    order.reserve(f_.tensors_.size());
    for (const auto& t : f_.tensors_)
        order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const TensorInfo* a, const TensorInfo* b) {
        return a->dataOffset != b->dataOffset ? a->dataOffset < b->dataOffset
                                              : a->infoOffset < b->infoOffset;
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
        const TensorInfo& prev = *order[i - 1];
        const TensorInfo& cur = *order[i];
        if (prev.dataOffset + prev.byteSize > cur.dataOffset) {
            const TensorInfo& later = prev.infoOffset > cur.infoOffset ? prev : cur;
            const TensorInfo& other = &later == &prev ? cur : prev;
            return fail(offsetField(later),
                        fmt::format("tensor '{}': data [{}, {}) overlaps tensor '{}' [{}, {})",
                                    later.name, later.relativeOffset,
                                    later.relativeOffset + later.byteSize, other.name,
                                    other.relativeOffset, other.relativeOffset + other.byteSize));
        }
    }
    return Status{};
}

Expected<GgufFile> GgufFile::parse(std::span<const std::byte> bytes, std::string path) {
    GgufFile file;
    file.bytes_ = bytes;
    file.path_ = std::move(path);
    GgufParser parser(file);
    PTXWB_CHECK(parser.run());
    return file;
}

Expected<GgufFile> GgufFile::open(const std::string& path) {
    PTXWB_TRY(MappedFile mapped, MappedFile::open(path));
    auto mapping = std::make_shared<MappedFile>(std::move(mapped));
    PTXWB_TRY(GgufFile file, parse(mapping->bytes(), path));
    file.mapping_ = std::move(mapping);
    return file;
}

} // namespace ptxwb::gguf
