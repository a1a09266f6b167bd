#include "gguf/metadata.h"

#include <fmt/format.h>

namespace ptxwb::gguf {

std::string_view valueTypeName(ValueType type) {
    switch (type) {
    case ValueType::U8:
        return "u8";
    case ValueType::I8:
        return "i8";
    case ValueType::U16:
        return "u16";
    case ValueType::I16:
        return "i16";
    case ValueType::U32:
        return "u32";
    case ValueType::I32:
        return "i32";
    case ValueType::F32:
        return "f32";
    case ValueType::Bool:
        return "bool";
    case ValueType::String:
        return "string";
    case ValueType::Array:
        return "array";
    case ValueType::U64:
        return "u64";
    case ValueType::I64:
        return "i64";
    case ValueType::F64:
        return "f64";
    }
    return "unknown";
}

std::size_t scalarSize(ValueType type) {
    switch (type) {
    case ValueType::U8:
    case ValueType::I8:
    case ValueType::Bool:
        return 1;
    case ValueType::U16:
    case ValueType::I16:
        return 2;
    case ValueType::U32:
    case ValueType::I32:
    case ValueType::F32:
        return 4;
    case ValueType::U64:
    case ValueType::I64:
    case ValueType::F64:
        return 8;
    case ValueType::String:
    case ValueType::Array:
        return 0;
    }
    return 0;
}

bool MetadataValue::asUnsigned(std::uint64_t& out) const {
    auto fromSigned = [&](std::int64_t v) {
        if (v < 0) return false;
        out = static_cast<std::uint64_t>(v);
        return true;
    };
    switch (type) {
    case ValueType::U8:
        out = scalarUnchecked<std::uint8_t>();
        return true;
    case ValueType::U16:
        out = scalarUnchecked<std::uint16_t>();
        return true;
    case ValueType::U32:
        out = scalarUnchecked<std::uint32_t>();
        return true;
    case ValueType::U64:
        out = scalarUnchecked<std::uint64_t>();
        return true;
    case ValueType::I8:
        return fromSigned(scalarUnchecked<std::int8_t>());
    case ValueType::I16:
        return fromSigned(scalarUnchecked<std::int16_t>());
    case ValueType::I32:
        return fromSigned(scalarUnchecked<std::int32_t>());
    case ValueType::I64:
        return fromSigned(scalarUnchecked<std::int64_t>());
    default:
        return false;
    }
}

namespace {

std::string scalarText(ValueType type, const std::byte* p) {
    MetadataValue v;
    v.type = type;
    v.raw = {p, scalarSize(type)};
    switch (type) {
    case ValueType::U8:
        return fmt::format("{}", v.scalarUnchecked<std::uint8_t>());
    case ValueType::I8:
        return fmt::format("{}", v.scalarUnchecked<std::int8_t>());
    case ValueType::U16:
        return fmt::format("{}", v.scalarUnchecked<std::uint16_t>());
    case ValueType::I16:
        return fmt::format("{}", v.scalarUnchecked<std::int16_t>());
    case ValueType::U32:
        return fmt::format("{}", v.scalarUnchecked<std::uint32_t>());
    case ValueType::I32:
        return fmt::format("{}", v.scalarUnchecked<std::int32_t>());
    case ValueType::U64:
        return fmt::format("{}", v.scalarUnchecked<std::uint64_t>());
    case ValueType::I64:
        return fmt::format("{}", v.scalarUnchecked<std::int64_t>());
    case ValueType::F32:
        return fmt::format("{}", v.scalarUnchecked<float>());
    case ValueType::F64:
        return fmt::format("{}", v.scalarUnchecked<double>());
    case ValueType::Bool:
        return v.scalarUnchecked<std::uint8_t>() ? "true" : "false";
    default:
        return "?";
    }
}

std::string quoted(std::string_view s, std::size_t maxChars = 60) {
    std::string out = "\"";
    for (char c : s.substr(0, maxChars)) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
            out += fmt::format("\\{}", c);
        else if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    if (s.size() > maxChars) out += "...";
    return out + "\"";
}

} // namespace

std::string MetadataValue::summary(std::size_t maxItems) const {
    if (type == ValueType::String) return quoted(string);
    if (type != ValueType::Array) return scalarText(type, raw.data());
    std::string out = "[";
    std::size_t shown = std::min<std::uint64_t>(count, maxItems);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) out += ", ";
        if (elementType == ValueType::String)
            out += quoted(strings[i], 24);
        else if (elementType == ValueType::Array)
            out += arrays[i].summary(maxItems);
        else
            out += scalarText(elementType, raw.data() + i * scalarSize(elementType));
    }
    if (count > shown) out += fmt::format(", ... ({} x {})", count, valueTypeName(elementType));
    return out + "]";
}

} // namespace ptxwb::gguf
