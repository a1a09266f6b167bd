#pragma once
// A parsed GGUF file (versions 2 and 3): metadata, tensor infos and where each tensor's data
// lies. Parsing validates everything before anything is trusted: every count and length against
// the bytes left, every size computation for overflow, tensor offsets for alignment, bounds and
// overlap. Hostile files produce an Error naming the byte offset and the field, never a crash.
// Tensor data is never read while parsing, so opening a multi-GB model is cheap.

#include "gguf/ggml_type.h"
#include "gguf/metadata.h"
#include "util/expected.h"
#include "util/mapped_file.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ptxwb::gguf {

inline constexpr std::uint32_t kDefaultAlignment = 32;
inline constexpr std::uint32_t kMaxAlignment = 1u << 20;
inline constexpr std::uint32_t kMaxDims = 4;           ///< GGML_MAX_DIMS
inline constexpr std::size_t kMaxTensorNameBytes = 64; ///< GGML_MAX_NAME
inline constexpr std::size_t kMaxKeyBytes = 65535;     ///< the spec's limit on key length
inline constexpr int kMaxArrayNesting = 8;

/// One tensor as described by the file. Dims are in ggml order: dims[0] is the row length (the
/// contiguous dimension), dims[1] the number of rows of a matrix.
struct TensorInfo {
    std::string_view name;
    GgmlType type = GgmlType::F32;
    std::vector<std::uint64_t> dims;
    std::uint64_t relativeOffset = 0; ///< as stored: relative to the data section
    std::uint64_t dataOffset = 0;     ///< absolute byte offset of the data in the file
    std::uint64_t byteSize = 0;
    std::uint64_t elementCount = 0;
    std::uint64_t infoOffset = 0; ///< where this tensor's info starts (for diagnostics)

    [[nodiscard]] std::uint64_t rowLength() const { return dims.empty() ? 0 : dims[0]; }
    [[nodiscard]] std::uint64_t rowCount() const {
        return rowLength() == 0 ? 0 : elementCount / rowLength();
    }
    /// "[4096, 32000]" in ggml order.
    [[nodiscard]] std::string shapeText() const;
};

class GgufFile {
public:
    /// Maps and parses the file at `path`. The mapping lives as long as the GgufFile.
    static Expected<GgufFile> open(const std::string& path);
    /// Parses bytes the caller keeps alive; `path` only names the file in diagnostics.
    static Expected<GgufFile> parse(std::span<const std::byte> bytes, std::string path);

    GgufFile(GgufFile&&) noexcept = default;
    GgufFile& operator=(GgufFile&&) noexcept = default;

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::uint32_t version() const { return version_; }
    [[nodiscard]] std::uint32_t alignment() const { return alignment_; }
    [[nodiscard]] std::uint64_t dataSectionOffset() const { return dataSectionOffset_; }
    [[nodiscard]] std::uint64_t fileSize() const { return bytes_.size(); }

    [[nodiscard]] const std::vector<MetadataEntry>& metadata() const { return metadata_; }
    [[nodiscard]] const MetadataEntry* findMetadata(std::string_view key) const;
    [[nodiscard]] const std::vector<TensorInfo>& tensors() const { return tensors_; }
    [[nodiscard]] const TensorInfo* findTensor(std::string_view name) const;
    /// The tensor's bytes (validated to lie inside the file at parse time).
    [[nodiscard]] std::span<const std::byte> tensorData(const TensorInfo& tensor) const;

    // Typed metadata access. Each fails with BadInput naming the key and the value's offset
    // when the key is missing or stored with a different type.
    template <typename T>
    [[nodiscard]] Expected<T> scalar(std::string_view key) const;
    [[nodiscard]] Expected<std::string_view> string(std::string_view key) const;
    /// Any non-negative integer type, widened.
    [[nodiscard]] Expected<std::uint64_t> unsignedInteger(std::string_view key) const;
    /// A float stored as f32 or f64.
    [[nodiscard]] Expected<double> real(std::string_view key) const;
    template <typename T>
    [[nodiscard]] Expected<std::vector<T>> array(std::string_view key) const;
    [[nodiscard]] Expected<std::vector<std::string_view>> stringArray(std::string_view key) const;
    /// The array's element count and type, whatever the type.
    [[nodiscard]] Expected<const MetadataValue*> arrayValue(std::string_view key) const;

    /// A BadInput error located at `offset` in this file.
    [[nodiscard]] Error errorAt(std::uint64_t offset, std::string message) const;

private:
    GgufFile() = default;
    friend class GgufParser;
    Expected<const MetadataEntry*> require(std::string_view key) const;
    Error typeMismatch(const MetadataEntry& entry, std::string_view expected) const;

    std::shared_ptr<MappedFile> mapping_; // keeps views valid; shared so moves are cheap
    std::span<const std::byte> bytes_;
    std::string path_;
    std::uint32_t version_ = 0;
    std::uint32_t alignment_ = kDefaultAlignment;
    std::uint64_t dataSectionOffset_ = 0;
    std::vector<MetadataEntry> metadata_;
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string_view, std::size_t> metadataIndex_;
    std::unordered_map<std::string_view, std::size_t> tensorIndex_;
};

template <typename T>
Expected<T> GgufFile::scalar(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    if (!entry->value.holds<T>()) return typeMismatch(*entry, valueTypeName(ValueTypeOf<T>::value));
    return entry->value.scalarUnchecked<T>();
}

template <typename T>
Expected<std::vector<T>> GgufFile::array(std::string_view key) const {
    PTXWB_TRY(const MetadataEntry* entry, require(key));
    const auto& v = entry->value;
    if (v.type != ValueType::Array || v.elementType != ValueTypeOf<T>::value)
        return typeMismatch(*entry, std::string("array of ") +
                                        std::string(valueTypeName(ValueTypeOf<T>::value)));
    return v.elementsUnchecked<T>();
}

} // namespace ptxwb::gguf
