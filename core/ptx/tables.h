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

namespace detail {
// Sizes of the Keyword groups (the enum lists directives, state spaces, types, modifiers in
// that order), so that category tests are two compares inline instead of a call per modifier
// in the passes over every instruction.
enum : std::uint16_t {
#define PTX_DIRECTIVE(Id, Spelling) kDirectiveCount_##Id,
#include "ptx/defs/directives.def"
    kDirectiveCount
};
enum : std::uint16_t {
#define PTX_STATE_SPACE(Id, Spelling, Addressable) kStateSpaceCount_##Id,
#include "ptx/defs/state_spaces.def"
    kStateSpaceCount
};
enum : std::uint16_t {
#define PTX_TYPE(Id, Spelling, Bits, Kind) kTypeCount_##Id,
#include "ptx/defs/types.def"
    kTypeCount
};
inline constexpr std::uint16_t kFirstStateSpace = kDirectiveCount;
inline constexpr std::uint16_t kFirstType = kFirstStateSpace + kStateSpaceCount;
inline constexpr std::uint16_t kFirstModifier = kFirstType + kTypeCount;
inline constexpr std::uint8_t kTypeBits[] = {
#define PTX_TYPE(Id, Spelling, Bits, Kind) Bits,
#include "ptx/defs/types.def"
};
inline constexpr TypeKind kTypeKinds[] = {
#define PTX_TYPE(Id, Spelling, Bits, Kind) TypeKind::Kind,
#include "ptx/defs/types.def"
};
} // namespace detail

/// Looks up a dotted name without its dot ("global", "L2::cache_hint").
[[nodiscard]] Keyword lookupKeyword(std::string_view spellingWithoutDot);
[[nodiscard]] constexpr KeywordCategory keywordCategory(Keyword k) {
    const auto v = static_cast<std::uint16_t>(k);
    if (v < detail::kFirstStateSpace) return KeywordCategory::Directive;
    if (v < detail::kFirstType) return KeywordCategory::StateSpace;
    if (v < detail::kFirstModifier) return KeywordCategory::Type;
    return k == Keyword::Unknown ? KeywordCategory::Unknown : KeywordCategory::Modifier;
}
/// The spelling without the dot ("" for Unknown).
[[nodiscard]] std::string_view keywordSpelling(Keyword k);

[[nodiscard]] constexpr bool isDirective(Keyword k) {
    return keywordCategory(k) == KeywordCategory::Directive;
}
[[nodiscard]] constexpr bool isStateSpace(Keyword k) {
    return keywordCategory(k) == KeywordCategory::StateSpace;
}
[[nodiscard]] constexpr bool isType(Keyword k) {
    return keywordCategory(k) == KeywordCategory::Type;
}
/// Register width in bits of a type keyword (0 for non-types and opaque handles' absence).
[[nodiscard]] constexpr unsigned typeBits(Keyword k) {
    return isType(k) ? detail::kTypeBits[static_cast<std::uint16_t>(k) - detail::kFirstType] : 0;
}
/// TypeKind of a type keyword (Opaque for every other keyword).
[[nodiscard]] constexpr TypeKind typeKind(Keyword k) {
    return isType(k) ? detail::kTypeKinds[static_cast<std::uint16_t>(k) - detail::kFirstType]
                     : TypeKind::Opaque;
}
/// True for .shared, .shared::cta and .shared::cluster.
[[nodiscard]] bool isSharedSpace(Keyword k);
/// The state space with any ::qualifier removed (shared::cta → shared, param::entry → param).
[[nodiscard]] Keyword baseStateSpace(Keyword k);

/// An opcode spelling looked up once: the opcode it names (Unknown if none) and whether it is
/// also a dotted prefix of a longer compound opcode ("cp.async" of "cp.async.bulk").
struct OpcodeLookup {
    Opcode opcode = Opcode::Unknown;
    bool isCompoundPrefix = false;
};
[[nodiscard]] OpcodeLookup lookupOpcodePrefix(std::string_view spelling);

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
