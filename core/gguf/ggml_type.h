#pragma once
// The ggml tensor types as GGUF stores them: every id ggml has assigned, its name, its block
// geometry and whether ptxwb can compute with it. Unsupported types are still sized exactly, so
// a file using them parses and lists correctly, but nothing ever dequantises them by guesswork.

#include <cstdint>
#include <optional>
#include <string_view>

namespace ptxwb::gguf {

/// A ggml tensor type id (the u32 stored in a GGUF tensor info).
enum class GgmlType : std::uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    Q4_0_4_4 = 31, ///< removed from ggml (repacked Q4_0); sized as Q4_0 so old files still list
    Q4_0_4_8 = 32,
    Q4_0_8_8 = 33,
    TQ1_0 = 34,
    TQ2_0 = 35,
    IQ4_NL_4_4 = 36, ///< removed from ggml (repacked IQ4_NL)
    IQ4_NL_4_8 = 37,
    IQ4_NL_8_8 = 38,
    MXFP4 = 39,
};

/// Block geometry of a type: `blockValues` values are stored in `blockBytes` bytes.
struct GgmlTypeTraits {
    GgmlType type;
    std::string_view name;     ///< ggml's lower-case name ("q4_K", "f32")
    std::uint32_t blockValues; ///< values per block (1 for plain arrays)
    std::uint32_t blockBytes;  ///< bytes per block
    bool computeSupported;     ///< ptxwb can dequantise it (F32, F16, BF16, Q8_0, Q4_K, Q6_K)
};

/// Traits of a raw type id, or nullopt for an id ggml never assigned (or retired: 4, 5).
[[nodiscard]] std::optional<GgmlTypeTraits> ggmlTypeTraits(std::uint32_t id);
/// Traits of a known type.
[[nodiscard]] GgmlTypeTraits ggmlTypeTraits(GgmlType type);
[[nodiscard]] std::string_view ggmlTypeName(GgmlType type);
/// Looks a type up by its ggml name, case-insensitively ("Q4_K" and "q4_k" both work).
[[nodiscard]] std::optional<GgmlType> ggmlTypeFromName(std::string_view name);
/// The highest id in the table (for iterating in tests and docs).
inline constexpr std::uint32_t kMaxGgmlTypeId = 39;

} // namespace ptxwb::gguf
