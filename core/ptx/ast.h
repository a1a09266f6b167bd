#pragma once
// The PTX abstract syntax tree. A Module stores each kind of node in one contiguous vector
// (struct-of-pools) and nodes refer to each other by 32-bit index; names and literals are
// (offset, length) references into the source buffer. This keeps parsing allocation-free per
// token and the AST a few times the size of the file. Every node has a SourceRange.
//
// Reading order: Module::items lists the top-level entities in source order; a Function's body
// is the statement range [firstStatement, firstStatement + statementCount) of Module::statements,
// with nested `{ }` scopes flattened into ScopeBegin/ScopeEnd statements.

#include "ptx/source_manager.h"
#include "ptx/tables.h"

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace ptxwb::ptx {

inline constexpr std::uint32_t kNoIndex = std::numeric_limits<std::uint32_t>::max();

/// A name or literal spelled in the source: offset and length in the module's buffer.
struct NameRef {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    [[nodiscard]] bool empty() const { return length == 0; }
};

enum class OperandKind : std::uint8_t {
    Register,   ///< %name (a declared register or a special register such as %tid)
    Symbol,     ///< a plain identifier: register declared without '%', variable, function, label
    Integer,    ///< integer constant or folded constant expression (value)
    Float,      ///< 0f / 0d / decimal float literal (text kept; value holds 0f/0d bits)
    Address,    ///< [base], [base+imm], [imm], [handle, {coords}] (children, value = offset)
    Vector,     ///< {a, b, ...} (children)
    List,       ///< (a, b, ...) argument/return list of call (children)
    Pair,       ///< a|b: two destinations of setp/shfl/elect (2 children)
    Sink,       ///< _ (a discarded result)
    SectionRef, ///< .debug_abbrev used as a value inside .section data
    LabelDiff,  ///< a - b of two labels in .section data (name = a, value = rawTexts index of b)
};

/// Flags on an Operand.
enum OperandFlags : std::uint8_t {
    kOperandNegated = 1,        ///< !%p (predicate negation as a source operand)
    kOperandHasOffset = 2,      ///< symbol/address written with +imm (printed even when 0)
    kOperandGeneric = 4,        ///< generic(sym) in an initialiser
    kOperandLiteral = 8,        ///< Integer/Float spelled as a single literal token (print text)
    kOperandNegative = 16,      ///< -0f.../-1.5: a negated float literal
    kOperandNegatedSource = 32, ///< -%r (rare, e.g. in some inline asm): printed with '-'
};

/// Children of a container operand: [first, first + count) of Module::operands.
struct ChildRange {
    std::uint32_t first;
    std::uint32_t count;
};

/// One operand node (28 bytes). Name-like operands (Register, Symbol, SectionRef, LabelDiff and
/// literals) use `name`; containers (Address, Vector, List, Pair) use `children` — the two share
/// storage because an operand is never both. Packed to 4-byte alignment: operands are half of
/// the AST of compiler output, and the 4 bytes of padding an 8-aligned `value` would need cost
/// page faults while parsing and cache misses in every pass over the AST (`value` cannot be
/// bound to a reference; copy it).
#pragma pack(push, 4)
struct Operand {
    OperandKind kind = OperandKind::Integer;
    std::uint8_t flags = 0;
    std::uint8_t component = 0; ///< 1..4 for %tid.x/.y/.z/.w, 0 for none
    std::uint8_t reserved = 0;
    union {
        NameRef name{};      ///< Register/Symbol/SectionRef: the name; literals: their text
        ChildRange children; ///< Address/Vector/List/Pair
    };
    SourceRange range;
    std::int64_t value = 0; ///< Integer value, Float bits, Address/Symbol offset

    [[nodiscard]] bool isContainer() const {
        return kind == OperandKind::Address || kind == OperandKind::Vector ||
               kind == OperandKind::List || kind == OperandKind::Pair;
    }
};
#pragma pack(pop)
static_assert(sizeof(Operand) == 28);

/// A modifier written after the opcode (".global", ".v4", ".L2::cache_hint").
struct Modifier {
    Keyword keyword = Keyword::Unknown; ///< Unknown when the table does not know the spelling
    NameRef text;                       ///< without the dot
};

/// One instruction: [@guard] opcode.mods operands;
struct Instruction {
    SourceRange range;
    NameRef opcodeText; ///< the opcode as spelled, without modifiers ("cp.async.bulk")
    Opcode opcode = Opcode::Unknown;
    bool guardNegated = false;
    std::uint8_t modifierCount = 0;
    std::uint8_t operandCount = 0;
    std::uint32_t firstModifier = 0;
    std::uint32_t firstOperand = 0; ///< top-level operands are contiguous
    std::uint32_t guard = kNoIndex; ///< operand index of the guard predicate, or kNoIndex
};

/// Linkage and visibility written before a declaration.
enum LinkageFlags : std::uint8_t {
    kLinkVisible = 1,
    kLinkExtern = 2,
    kLinkWeak = 4,
    kLinkCommon = 8,
};

/// A variable, register, parameter or .reg range declaration; one per declared name.
struct Variable {
    SourceRange range;
    NameRef name;
    Keyword space = Keyword::Unknown; ///< state space (.reg, .global, .param, ...)
    Keyword type = Keyword::Unknown;  ///< element type
    std::uint8_t linkage = 0;         ///< LinkageFlags
    std::uint8_t vectorWidth = 0;     ///< 2/4/8 for .v2/.v4/.v8, else 0
    std::uint8_t dimensionCount = 0;  ///< array dimensions (0 = scalar)
    bool isRange = false;             ///< %r<N>: declares %r0 .. %r(N-1)
    bool hasAlign = false;
    bool isPtr = false; ///< .param .u64 .ptr [.space] [.align N] name
    Keyword ptrSpace = Keyword::Unknown;
    std::uint32_t align = 0;                ///< .align N (0 = none)
    std::uint32_t ptrAlign = 0;             ///< .ptr ... .align N
    std::uint32_t rangeCount = 0;           ///< N of <N>
    std::uint32_t firstDimension = 0;       ///< into Module::dimensions; 0 entry means `[]`
    std::uint32_t initializer = kNoIndex;   ///< operand index (Vector for braces) or kNoIndex
    std::uint32_t attributeText = kNoIndex; ///< index into Module::rawTexts for .attribute(...)
};

/// A performance directive of a function (.maxntid 256, 1, 1).
struct PerformanceDirective {
    SourceRange range;
    Keyword directive = Keyword::Unknown;
    std::uint8_t valueCount = 0;
    std::uint32_t values[3] = {0, 0, 0};
};

enum class StatementKind : std::uint8_t {
    Instruction,   ///< index into Module::instructions
    Label,         ///< index into Module::labels
    Variable,      ///< index into Module::variables (local .reg/.param/.shared/.local ...)
    ScopeBegin,    ///< '{' (index into Module::scopes)
    ScopeEnd,      ///< '}' (index into Module::scopes)
    Pragma,        ///< index into Module::pragmas
    Loc,           ///< index into Module::locs
    CallPrototype, ///< index into Module::prototypes
    TargetList,    ///< .branchtargets / .calltargets (index into Module::targetLists)
};

struct Statement {
    StatementKind kind = StatementKind::Instruction;
    std::uint32_t index = 0;
};

struct Label {
    SourceRange range;
    NameRef name;
};

/// A `{ }` scope inside a function body (inline asm blocks, call sequences).
struct Scope {
    SourceRange range;
    std::uint32_t beginStatement = 0; ///< the ScopeBegin statement
    std::uint32_t endStatement = 0;   ///< the ScopeEnd statement
};

/// .pragma "a", "b";
struct Pragma {
    SourceRange range;
    std::uint32_t firstString = 0; ///< into Module::strings
    std::uint32_t stringCount = 0;
};

/// .loc file line column [, function_name label [+off]] [, inlined_at file line column]
struct Loc {
    SourceRange range;
    std::uint32_t file = 0, line = 0, column = 0;
    NameRef functionName; ///< empty when absent
    std::int64_t functionNameOffset = 0;
    bool hasInlinedAt = false;
    std::uint32_t inlinedFile = 0, inlinedLine = 0, inlinedColumn = 0;
};

/// name: .callprototype [(.param ret)] _ (params) [.noreturn];
struct CallPrototype {
    SourceRange range;
    NameRef name;
    std::uint32_t firstReturn = 0, returnCount = 0; ///< Module::variables
    std::uint32_t firstParam = 0, paramCount = 0;   ///< Module::variables
    bool noreturn = false;
};

/// name: .branchtargets L1, L2; or name: .calltargets f1, f2;
struct TargetList {
    SourceRange range;
    NameRef name;
    bool isCallTargets = false;
    std::uint32_t firstTarget = 0, targetCount = 0; ///< Module::operands (Symbol)
};

struct Function {
    SourceRange range;
    NameRef name;
    bool isEntry = false;
    bool hasBody = false;
    bool noreturn = false;
    std::uint8_t linkage = 0;
    std::uint32_t firstReturn = 0, returnCount = 0; ///< Module::variables
    std::uint32_t firstParam = 0, paramCount = 0;   ///< Module::variables
    std::uint32_t firstPerformance = 0, performanceCount = 0;
    std::uint32_t firstStatement = 0, statementCount = 0;
};

/// .file N "name" [, timestamp, size]
struct FileDirective {
    SourceRange range;
    std::uint32_t number = 0;
    NameRef path; ///< with quotes
    bool hasTimestamp = false;
    std::uint64_t timestamp = 0, size = 0;
};

/// One line inside a .section block: a label or `.bN values`.
struct SectionEntry {
    SourceRange range;
    bool isLabel = false;
    NameRef label;
    Keyword type = Keyword::Unknown;
    std::uint32_t firstValue = 0, valueCount = 0; ///< Module::operands
};

struct Section {
    SourceRange range;
    NameRef name; ///< with the dot (".debug_info")
    std::uint32_t firstEntry = 0, entryCount = 0;
};

enum class TopLevelKind : std::uint8_t {
    Version,
    Target,
    AddressSize,
    File,
    Section,
    Variable,
    Function,
    Pragma,
    Alias,
};

struct TopLevelItem {
    TopLevelKind kind = TopLevelKind::Version;
    std::uint32_t index = 0;
};

/// .alias fAlias, fAliasee;
struct Alias {
    SourceRange range;
    NameRef alias, aliasee;
};

/// A parsed PTX module. Movable; refers to (does not own) the source text.
struct Module {
    BufferId buffer = 0;
    std::string_view source;

    std::uint32_t versionMajor = 0, versionMinor = 0;
    SourceRange versionRange, targetRange, addressSizeRange;
    std::vector<NameRef> targets; ///< .target sm_90a, debug
    std::uint32_t addressSize = 0;

    std::vector<TopLevelItem> items;
    std::vector<Function> functions;
    std::vector<Variable> variables;
    std::vector<std::uint32_t> dimensions;
    std::vector<PerformanceDirective> performance;
    std::vector<Statement> statements;
    std::vector<Instruction> instructions;
    std::vector<Modifier> modifiers;
    std::vector<Operand> operands;
    std::vector<Label> labels;
    std::vector<Scope> scopes;
    std::vector<Pragma> pragmas;
    std::vector<NameRef> strings;
    std::vector<Loc> locs;
    std::vector<CallPrototype> prototypes;
    std::vector<TargetList> targetLists;
    std::vector<FileDirective> files;
    std::vector<Section> sections;
    std::vector<SectionEntry> sectionEntries;
    std::vector<Alias> aliases;
    std::vector<NameRef> rawTexts;

    /// The text of a name or literal.
    [[nodiscard]] std::string_view text(NameRef n) const {
        return source.substr(n.offset, n.length);
    }
    [[nodiscard]] std::string_view text(SourceRange r) const {
        return source.substr(r.begin, r.end - r.begin);
    }
    [[nodiscard]] std::span<const Operand> operandsOf(const Instruction& i) const {
        return {operands.data() + i.firstOperand, i.operandCount};
    }
    /// Children of a container operand; empty for every other kind.
    [[nodiscard]] std::span<const Operand> childrenOf(const Operand& o) const {
        if (!o.isContainer()) return {};
        return {operands.data() + o.children.first, o.children.count};
    }
    [[nodiscard]] std::span<const Modifier> modifiersOf(const Instruction& i) const {
        return {modifiers.data() + i.firstModifier, i.modifierCount};
    }
    [[nodiscard]] std::span<const Statement> bodyOf(const Function& f) const {
        return {statements.data() + f.firstStatement, f.statementCount};
    }
    [[nodiscard]] std::span<const Variable> paramsOf(const Function& f) const {
        return {variables.data() + f.firstParam, f.paramCount};
    }
    [[nodiscard]] std::span<const Variable> returnsOf(const Function& f) const {
        return {variables.data() + f.firstReturn, f.returnCount};
    }
    /// Index of the function called `name`, or kNoIndex. Prefers a definition over a declaration.
    [[nodiscard]] std::uint32_t findFunction(std::string_view name) const;
    /// Bytes of heap memory held by the pools (for the AST-size budget).
    [[nodiscard]] std::size_t memoryBytes() const;
};

/// The type keyword of an instruction that has exactly one, for checks such as register width
/// (add.s32 → .s32); Keyword::Unknown when it has none or several (cvt.f32.s32).
[[nodiscard]] Keyword singleInstructionType(const Module& m, const Instruction& i);
/// True if the instruction carries modifier `k`.
[[nodiscard]] bool hasModifier(const Module& m, const Instruction& i, Keyword k);

} // namespace ptxwb::ptx
