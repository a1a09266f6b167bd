#pragma once
// GGUF metadata values as parsed from a file. Values point into the file's bytes (strings are
// views, scalar arrays are byte spans) so opening a model with a 150k-token vocabulary costs
// no per-element allocation. Typed accessors check the stored type: a u8 array is never read as
// floats, a u64 is never silently narrowed.

#include "util/expected.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ptxwb::gguf {

/// The value type ids of GGUF metadata (gguf_type in the spec).
enum class ValueType : std::uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};
inline constexpr std::uint32_t kMaxValueTypeId = 12;

/// "u32", "string", "array", ...
[[nodiscard]] std::string_view valueTypeName(ValueType type);
/// Size in bytes of a fixed-size scalar type; 0 for string and array.
[[nodiscard]] std::size_t scalarSize(ValueType type);

/// Maps a C++ type to the GGUF value type that stores it exactly.
template <typename T>
struct ValueTypeOf;
template <>
struct ValueTypeOf<std::uint8_t> {
    static constexpr ValueType value = ValueType::U8;
};
template <>
struct ValueTypeOf<std::int8_t> {
    static constexpr ValueType value = ValueType::I8;
};
template <>
struct ValueTypeOf<std::uint16_t> {
    static constexpr ValueType value = ValueType::U16;
};
template <>
struct ValueTypeOf<std::int16_t> {
    static constexpr ValueType value = ValueType::I16;
};
template <>
struct ValueTypeOf<std::uint32_t> {
    static constexpr ValueType value = ValueType::U32;
};
template <>
struct ValueTypeOf<std::int32_t> {
    static constexpr ValueType value = ValueType::I32;
};
template <>
struct ValueTypeOf<std::uint64_t> {
    static constexpr ValueType value = ValueType::U64;
};
template <>
struct ValueTypeOf<std::int64_t> {
    static constexpr ValueType value = ValueType::I64;
};
template <>
struct ValueTypeOf<float> {
    static constexpr ValueType value = ValueType::F32;
};
template <>
struct ValueTypeOf<double> {
    static constexpr ValueType value = ValueType::F64;
};
template <>
struct ValueTypeOf<bool> {
    static constexpr ValueType value = ValueType::Bool;
};

/// One metadata value. Which members are meaningful depends on `type`.
struct MetadataValue {
    ValueType type = ValueType::U8;
    std::uint64_t offset = 0;       ///< byte offset of the value in the file (for diagnostics)
    std::span<const std::byte> raw; ///< scalar: its bytes; scalar array: all element bytes
    std::string_view string;        ///< String
    ValueType elementType = ValueType::U8; ///< Array: type of the elements
    std::uint64_t count = 0;               ///< Array: number of elements
    std::vector<std::string_view> strings; ///< Array of String
    std::vector<MetadataValue> arrays;     ///< Array of Array (nested)

    /// The scalar as T, or nullopt-like failure when the stored type is not exactly T's.
    template <typename T>
    [[nodiscard]] bool holds() const {
        return type == ValueTypeOf<T>::value;
    }
    template <typename T>
    [[nodiscard]] T scalarUnchecked() const {
        T v{};
        std::memcpy(&v, raw.data(), sizeof(T));
        return v;
    }
    /// The elements of a scalar array (caller has checked elementType).
    template <typename T>
    [[nodiscard]] std::vector<T> elementsUnchecked() const {
        // Bools are stored as one byte each (and std::vector<bool> has no data()).
        using Stored = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t, T>;
        std::vector<T> out;
        out.reserve(static_cast<std::size_t>(count));
        for (std::size_t i = 0; i < count; ++i) {
            Stored v{};
            std::memcpy(&v, raw.data() + i * sizeof(Stored), sizeof(Stored));
            out.push_back(static_cast<T>(v));
        }
        return out;
    }
    /// Any integer type holding a non-negative value, widened to u64 (hyperparameters are u32
    /// by convention, but some writers use i32 or u64).
    [[nodiscard]] bool asUnsigned(std::uint64_t& out) const;
    /// Short human-readable rendering ("4096", "\"llama\"", "[32000 x string]").
    [[nodiscard]] std::string summary(std::size_t maxItems = 8) const;
};

/// A key and its value, with where the key starts in the file.
struct MetadataEntry {
    std::string_view key;
    std::uint64_t keyOffset = 0;
    MetadataValue value;
};

} // namespace ptxwb::gguf
