#pragma once
// The one place where the editor learns what a piece of PTX is. Everything that colours or
// scans PTX text in the views (highlighter, outline, go-to-definition) asks tokenizePtxLine(),
// which is core/ptx's highlightLine() (the lexer and X-macro tables of the parser) mapped onto
// the editor's categories, so the GUI never carries a second PTX grammar.

#include <QStringView>
#include <cstdint>
#include <vector>

namespace ptxwb::views {

/// What a token is, as far as colouring and navigation care.
enum class PtxTokenCategory : std::uint8_t {
    Text,              ///< anything not classified (whitespace is never reported)
    Directive,         ///< .version, .entry, .reg, .param, ...
    Opcode,            ///< ld, st, mad, bra, ...
    Modifier,          ///< .nc, .rn, .wide, .lo, ... following an opcode
    Type,              ///< .f32, .b64, .pred, ...
    StateSpace,        ///< .global, .shared, .local, .param, .const, .tex
    Register16,        ///< %rs, %h: 16-bit registers
    Register32,        ///< %r, %f: 32-bit registers
    Register64,        ///< %rd, %fd: 64-bit registers (an address register stands out)
    RegisterPredicate, ///< %p
    SpecialRegister,   ///< %tid, %ntid, %ctaid, %laneid, ...
    Label,             ///< a label definition `BB0_1:` or a branch target
    Identifier,        ///< function names, parameter names, symbols
    Number,            ///< integer and floating-point literals (0f3F800000, 0d..., 0x..)
    String,            ///< "..." (file names in .file)
    Comment,           ///< // and /* */
    Punctuation,       ///< , ; { } [ ] ( ) + - < > @ ! :
    Error,             ///< something the lexer could not make sense of
};
inline constexpr int kPtxTokenCategoryCount = static_cast<int>(PtxTokenCategory::Error) + 1;

/// A classified range of one line, in UTF-16 code units of that line.
struct PtxTokenSpan {
    int start = 0;
    int length = 0;
    PtxTokenCategory category = PtxTokenCategory::Text;
    bool operator==(const PtxTokenSpan&) const = default;
};

/// What the lexer carries from one line to the next; only a block comment spans lines in PTX.
enum class PtxLineState : std::uint8_t { Normal = 0, InBlockComment = 1 };

/// Tokenises one line (without its line break), starting in state `entry`, appending spans in
/// order to `out`. Returns the state at the end of the line. Never fails: text it cannot
/// classify becomes an Error span.
PtxLineState tokenizePtxLine(QStringView line, PtxLineState entry, std::vector<PtxTokenSpan>& out);

/// Human-readable name of a category ("register64"), used in theme settings and tests.
const char* ptxTokenCategoryName(PtxTokenCategory category);

} // namespace ptxwb::views
