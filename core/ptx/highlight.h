#pragma once
// Syntax classes for editors: colours one line (or any range) at a time from the same tables
// as the parser, without building an AST. A block comment spanning lines is carried in
// HighlightState, so an editor re-highlights only the lines that changed.

#include "ptx/token.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace ptxwb::ptx {

enum class TokenCategory : std::uint8_t {
    Plain,
    Comment,
    Directive,       ///< .version, .entry, .reg, .loc ...
    StateSpace,      ///< .global, .shared::cta ...
    Type,            ///< .u32, .f16x2 ...
    Modifier,        ///< .rn, .L2::cache_hint, unknown dotted names
    Opcode,          ///< the instruction name at the start of a statement
    Register,        ///< %r1, %rd4, p (declared registers)
    SpecialRegister, ///< %tid, %clock64 ...
    Label,           ///< a label definition or other identifier
    Number,
    String,
    Punctuation,
    Error,
};

/// Register width class derived from nvcc's register naming (%p, %rs, %r, %rd, %f, %fd, %h,
/// %hh, %rq), so registers of different widths can get different colours.
enum class RegisterClass : std::uint8_t {
    None,
    Predicate,
    Bits16,
    Bits32,
    Bits64,
    Bits128,
    Float32,
    Float64,
    Half,
    Half2
};

/// The register class of a register name such as "%rd12".
[[nodiscard]] RegisterClass registerClassOf(std::string_view name);

struct HighlightSpan {
    std::uint32_t offset = 0; ///< relative to the highlighted text
    std::uint32_t length = 0;
    TokenCategory category = TokenCategory::Plain;
    RegisterClass registerClass = RegisterClass::None;
};

/// State carried from one line to the next.
struct HighlightState {
    bool inBlockComment = false;
};

/// Appends the spans of `line` to `out` (cleared first). Whitespace gets no span.
void highlightLine(std::string_view line, HighlightState& state, std::vector<HighlightSpan>& out);

} // namespace ptxwb::ptx
