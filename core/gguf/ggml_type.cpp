#include "gguf/ggml_type.h"

#include <array>
#include <cctype>

namespace ptxwb::gguf {
namespace {

// Sizes follow ggml's block structs (ggml-common.h); K-quants use super-blocks of 256.
constexpr std::array kTypes = {
    GgmlTypeTraits{GgmlType::F32, "f32", 1, 4, true},
    GgmlTypeTraits{GgmlType::F16, "f16", 1, 2, true},
    GgmlTypeTraits{GgmlType::Q4_0, "q4_0", 32, 18, false},
    GgmlTypeTraits{GgmlType::Q4_1, "q4_1", 32, 20, false},
    GgmlTypeTraits{GgmlType::Q5_0, "q5_0", 32, 22, false},
    GgmlTypeTraits{GgmlType::Q5_1, "q5_1", 32, 24, false},
    GgmlTypeTraits{GgmlType::Q8_0, "q8_0", 32, 34, true},
    GgmlTypeTraits{GgmlType::Q8_1, "q8_1", 32, 36, false},
    GgmlTypeTraits{GgmlType::Q2_K, "q2_K", 256, 84, false},
    GgmlTypeTraits{GgmlType::Q3_K, "q3_K", 256, 110, false},
    GgmlTypeTraits{GgmlType::Q4_K, "q4_K", 256, 144, true},
    GgmlTypeTraits{GgmlType::Q5_K, "q5_K", 256, 176, false},
    GgmlTypeTraits{GgmlType::Q6_K, "q6_K", 256, 210, true},
    GgmlTypeTraits{GgmlType::Q8_K, "q8_K", 256, 292, false},
    GgmlTypeTraits{GgmlType::IQ2_XXS, "iq2_xxs", 256, 66, false},
    GgmlTypeTraits{GgmlType::IQ2_XS, "iq2_xs", 256, 74, false},
    GgmlTypeTraits{GgmlType::IQ3_XXS, "iq3_xxs", 256, 98, false},
    GgmlTypeTraits{GgmlType::IQ1_S, "iq1_s", 256, 50, false},
    GgmlTypeTraits{GgmlType::IQ4_NL, "iq4_nl", 32, 18, false},
    GgmlTypeTraits{GgmlType::IQ3_S, "iq3_s", 256, 110, false},
    GgmlTypeTraits{GgmlType::IQ2_S, "iq2_s", 256, 82, false},
    GgmlTypeTraits{GgmlType::IQ4_XS, "iq4_xs", 256, 136, false},
    GgmlTypeTraits{GgmlType::I8, "i8", 1, 1, false},
    GgmlTypeTraits{GgmlType::I16, "i16", 1, 2, false},
    GgmlTypeTraits{GgmlType::I32, "i32", 1, 4, false},
    GgmlTypeTraits{GgmlType::I64, "i64", 1, 8, false},
    GgmlTypeTraits{GgmlType::F64, "f64", 1, 8, false},
    GgmlTypeTraits{GgmlType::IQ1_M, "iq1_m", 256, 56, false},
    GgmlTypeTraits{GgmlType::BF16, "bf16", 1, 2, true},
    GgmlTypeTraits{GgmlType::Q4_0_4_4, "q4_0_4x4", 32, 18, false},
    GgmlTypeTraits{GgmlType::Q4_0_4_8, "q4_0_4x8", 32, 18, false},
    GgmlTypeTraits{GgmlType::Q4_0_8_8, "q4_0_8x8", 32, 18, false},
    GgmlTypeTraits{GgmlType::TQ1_0, "tq1_0", 256, 54, false},
    GgmlTypeTraits{GgmlType::TQ2_0, "tq2_0", 256, 66, false},
    GgmlTypeTraits{GgmlType::IQ4_NL_4_4, "iq4_nl_4x4", 32, 18, false},
    GgmlTypeTraits{GgmlType::IQ4_NL_4_8, "iq4_nl_4x8", 32, 18, false},
    GgmlTypeTraits{GgmlType::IQ4_NL_8_8, "iq4_nl_8x8", 32, 18, false},
    GgmlTypeTraits{GgmlType::MXFP4, "mxfp4", 32, 17, false},
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

} // namespace

std::optional<GgmlTypeTraits> ggmlTypeTraits(std::uint32_t id) {
    for (const auto& t : kTypes)
        if (static_cast<std::uint32_t>(t.type) == id) return t;
    return std::nullopt;
}

GgmlTypeTraits ggmlTypeTraits(GgmlType type) {
    // Every enumerator is in the table, so this lookup cannot fail for a valid GgmlType.
    return *ggmlTypeTraits(static_cast<std::uint32_t>(type));
}

std::string_view ggmlTypeName(GgmlType type) {
    return ggmlTypeTraits(type).name;
}

std::optional<GgmlType> ggmlTypeFromName(std::string_view name) {
    for (const auto& t : kTypes)
        if (equalsIgnoreCase(t.name, name)) return t.type;
    return std::nullopt;
}

} // namespace ptxwb::gguf
