#include "gguf/gguf_file.h"

#include <fmt/format.h>

namespace ptxwb::gguf {

std::string TensorInfo::shapeText() const {
    return fmt::format("[{}]", fmt::join(dims, ", "));
}

Error GgufFile::errorAt(std::uint64_t offset, std::string message) const {
    return Error(ErrorKind::BadInput, std::move(message), ErrorLocation::bytes(path_, offset));
}

const MetadataEntry* GgufFile::findMetadata(std::string_view key) const {
    auto it = metadataIndex_.find(key);
    return it == metadataIndex_.end() ? nullptr : &metadata_[it->second];
}

const TensorInfo* GgufFile::findTensor(std::string_view name) const {
    auto it = tensorIndex_.find(name);
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

std::span<const std::byte> GgufFile::tensorData(const TensorInfo& tensor) const {
    return bytes_.subspan(static_cast<std::size_t>(tensor.dataOffset),
                          static_cast<std::size_t>(tensor.byteSize));
}

Expected<const MetadataEntry*> GgufFile::require(std::string_view key) const {
    if (const MetadataEntry* e = findMetadata(key)) return e;
    return Unexpected{Error(ErrorKind::BadInput, fmt::format("metadata key '{}' is missing", key),
                            ErrorLocation::file(path_))};
}

Error GgufFile::typeMismatch(const MetadataEntry& entry, std::string_view expected) const {
    std::string found(valueTypeName(entry.value.type));
    if (entry.value.type == ValueType::Array)
        found = fmt::format("array of {}", valueTypeName(entry.value.elementType));
    return errorAt(entry.value.offset, fmt::format("metadata '{}': stored as {}, expected {}",
                                                   entry.key, found, expected));
}

Expected<std::string_view> GgufFile::string(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    if (entry->value.type != ValueType::String) return typeMismatch(*entry, "string");
    return entry->value.string;
}

Expected<std::uint64_t> GgufFile::unsignedInteger(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    std::uint64_t v = 0;
    if (!entry->value.asUnsigned(v)) return typeMismatch(*entry, "a non-negative integer");
    return v;
}

Expected<double> GgufFile::real(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    if (entry->value.type == ValueType::F32) return double{entry->value.scalarUnchecked<float>()};
    if (entry->value.type == ValueType::F64) return entry->value.scalarUnchecked<double>();
    return typeMismatch(*entry, "f32 or f64");
}

Expected<std::vector<std::string_view>> GgufFile::stringArray(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    const auto& v = entry->value;
    if (v.type != ValueType::Array || v.elementType != ValueType::String)
        return typeMismatch(*entry, "array of string");
    return v.strings;
}

Expected<const MetadataValue*> GgufFile::arrayValue(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    if (entry->value.type != ValueType::Array) return typeMismatch(*entry, "array");
    return &entry->value;
}

} // namespace ptxwb::gguf
