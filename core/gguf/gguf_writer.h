#pragma once
// Writes GGUF version 3 files (little-endian): metadata in insertion order, tensor infos, then
// the tensor data, each tensor padded to the alignment. Everything the writer emits is what
// GgufFile accepts; tests round-trip through both.

#include "gguf/ggml_type.h"
#include "gguf/metadata.h"
#include "util/expected.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::gguf {

class GgufWriter {
public:
    /// Setting a key that exists replaces its value in place (the order stays the first one).
    void setU8(std::string_view key, std::uint8_t v);
    void setI8(std::string_view key, std::int8_t v);
    void setU16(std::string_view key, std::uint16_t v);
    void setI16(std::string_view key, std::int16_t v);
    void setU32(std::string_view key, std::uint32_t v);
    void setI32(std::string_view key, std::int32_t v);
    void setU64(std::string_view key, std::uint64_t v);
    void setI64(std::string_view key, std::int64_t v);
    void setF32(std::string_view key, float v);
    void setF64(std::string_view key, double v);
    void setBool(std::string_view key, bool v);
    void setString(std::string_view key, std::string_view v);
    void setStringArray(std::string_view key, const std::vector<std::string>& v);
    void setF32Array(std::string_view key, std::span<const float> v);
    void setI32Array(std::string_view key, std::span<const std::int32_t> v);
    void setU32Array(std::string_view key, std::span<const std::uint32_t> v);
    /// Also writes `general.alignment`; must be a power of two up to 1 MiB.
    Status setAlignment(std::uint32_t alignment);

    /// Adds a tensor; dims in ggml order (dims[0] = row length). Checks the name, dims and that
    /// `data` holds exactly the bytes that type and shape need.
    Status addTensor(std::string name, GgmlType type, std::vector<std::uint64_t> dims,
                     std::vector<std::byte> data);

    /// Declares a tensor whose data is left as a hole (zeros): writeFile seeks over it, so a
    /// multi-GB file costs no disk space. For benchmarks and tests of header-only tools.
    Status addSparseTensor(std::string name, GgmlType type, std::vector<std::uint64_t> dims);

    [[nodiscard]] std::size_t tensorCount() const { return tensors_.size(); }
    /// The whole file in memory.
    [[nodiscard]] std::vector<std::byte> toBytes() const;
    /// Streams the file to `path` through a temporary file and a rename.
    [[nodiscard]] Status writeFile(const std::string& path) const;

private:
    /// Receives the file in order; a null pointer means `n` zero bytes (a hole).
    using Sink = std::function<bool(const void*, std::size_t)>;
    Status checkTensor(const std::string& name, GgmlType type,
                       const std::vector<std::uint64_t>& dims, std::uint64_t& bytes) const;
    bool emit(const Sink& sink) const;
    void setRaw(std::string_view key, ValueType type, std::vector<std::byte> payload);

    struct Entry {
        std::string key;
        ValueType type;
        std::vector<std::byte> payload; // encoded value, without the type id
    };
    struct Tensor {
        std::string name;
        GgmlType type;
        std::vector<std::uint64_t> dims;
        std::vector<std::byte> data;
        std::uint64_t byteSize = 0;
        bool sparse = false;
    };
    std::vector<Entry> entries_;
    std::vector<Tensor> tensors_;
    std::uint32_t alignment_ = 32;
};

} // namespace ptxwb::gguf
