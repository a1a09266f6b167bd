#pragma once
// The PTX vocabulary, generated from the X-macro tables in defs/*.def: the single source of
// truth for the lexer, parser, printer, verifier and the GUI highlighter. Lookups go through
// open-addressing hash tables built once from the .def spellings (no allocation per lookup).

#include <cstdint>
#include <optional>
#include <string_view>

namespace ptxwb::ptx {

/// Every dotted keyword: directives, then state spaces, then types, then modifiers, in the order
/// of their .def files. Unknown means "a dotted name the tables do not know".
enum class Keyword : std::uint16_t {
#define PTX_DIRECTIVE(Id, Spelling) Id,
#include "ptx/defs/directives.def"
#define PTX_STATE_SPACE(Id, Spelling, Addressable) Space##Id,
#include "ptx/defs/state_spaces.def"
#define PTX_TYPE(Id, Spelling, Bits, Kind) Type##Id,
#include "ptx/defs/types.def"
#define PTX_MODIFIER(Id, Spelling) Mod##Id,
#include "ptx/defs/modifiers.def"
    Unknown,
};

/// What a Keyword is; used by the parser to dispatch and by the highlighter to colour.
enum class KeywordCategory : std::uint8_t { Directive, StateSpace, Type, Modifier, Unknown };

enum class TypeKind : std::uint8_t { Signed, Unsigned, Float, Bits, Predicate, Opaque };

/// Instruction opcodes; compound opcodes (cp.async.bulk) are single enumerators.
enum class Opcode : std::uint16_t {
#define PTX_OPCODE(Id, Spelling, Class, MinOps, MaxOps) Id,
#include "ptx/defs/opcodes.def"
    Unknown,
};

/// Coarse instruction classes for statistics and highlighting.
enum class OpcodeClass : std::uint8_t {
    Arithmetic,
    Logic,
    Compare,
    Move,
    Convert,
    Memory,
    Atomic,
    Control,
    Sync,
    Warp,
    Matrix,
    Texture,
    Video,
    Misc,
    Unknown,
};

enum class SpecialRegister : std::uint8_t {
#define PTX_SREG(Id, Spelling, Bits, HasComponents) Id,
#include "ptx/defs/special_registers.def"
    Unknown,
};

/// Looks up a dotted name without its dot ("global", "L2::cache_hint").
[[nodiscard]] Keyword lookupKeyword(std::string_view spellingWithoutDot);
[[nodiscard]] KeywordCategory keywordCategory(Keyword k);
/// The spelling without the dot ("" for Unknown).
[[nodiscard]] std::string_view keywordSpelling(Keyword k);

[[nodiscard]] inline bool isDirective(Keyword k) {
    return keywordCategory(k) == KeywordCategory::Directive;
}
[[nodiscard]] inline bool isStateSpace(Keyword k) {
    return keywordCategory(k) == KeywordCategory::StateSpace;
}
[[nodiscard]] inline bool isType(Keyword k) {
    return keywordCategory(k) == KeywordCategory::Type;
}
/// Register width in bits of a type keyword (0 for non-types and opaque handles' absence).
[[nodiscard]] unsigned typeBits(Keyword k);
[[nodiscard]] TypeKind typeKind(Keyword k);
/// True for .shared, .shared::cta and .shared::cluster.
[[nodiscard]] bool isSharedSpace(Keyword k);
/// The state space with any ::qualifier removed (shared::cta → shared, param::entry → param).
[[nodiscard]] Keyword baseStateSpace(Keyword k);

/// The result of matching an opcode at the start of an instruction.
struct OpcodeMatch {
    Opcode opcode = Opcode::Unknown;
    /// How many of the dotted names after the base identifier belong to the opcode (for
    /// compound opcodes such as cp.async.bulk that is 2), the rest are modifiers.
    unsigned modifiersConsumed = 0;
};

/// Looks up a full opcode spelling ("ld", "cp.async.bulk").
[[nodiscard]] Opcode lookupOpcode(std::string_view spelling);
/// True if `spelling` is a proper dotted prefix of some compound opcode ("cp", "cp.async").
[[nodiscard]] bool isCompoundOpcodePrefix(std::string_view spelling);
[[nodiscard]] std::string_view opcodeSpelling(Opcode op);
[[nodiscard]] OpcodeClass opcodeClass(Opcode op);
[[nodiscard]] std::string_view opcodeClassName(OpcodeClass c);
/// Inclusive range of operand counts over every form of the instruction.
[[nodiscard]] unsigned opcodeMinOperands(Opcode op);
[[nodiscard]] unsigned opcodeMaxOperands(Opcode op);

/// Looks up a special register name without '%' ("tid", "clock64").
[[nodiscard]] SpecialRegister lookupSpecialRegister(std::string_view nameWithoutPercent);
[[nodiscard]] unsigned specialRegisterBits(SpecialRegister r);
[[nodiscard]] bool specialRegisterHasComponents(SpecialRegister r);

} // namespace ptxwb::ptx
