#pragma once
// Name resolution inside one function: every register, label, variable and function name used
// by an instruction is bound to what it denotes, honouring `{ }` scopes (inline-asm blocks may
// redeclare registers and labels). Registers get dense ids so dataflow can use plain vectors.
// Registers must be declared before use (PTX rule); labels may be referenced before they appear.

#include "ptx/ast.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ptxwb::ptx {

/// Dense id of one register of a function (%r5 of `.reg .b32 %r<9>` is one id).
using RegisterId = std::uint32_t;
inline constexpr RegisterId kNoRegister = kNoIndex;

/// One `.reg` declaration: ids [firstId, firstId + count).
struct RegisterDecl {
    RegisterId firstId = 0;
    std::uint32_t count = 1;
    std::uint32_t variable = 0; ///< index into Module::variables
    std::uint32_t scope = 0;    ///< 0 = function body, else 1 + index into Module::scopes
    Keyword type = Keyword::Unknown;
    unsigned bits = 0; ///< register width (type bits times vector width)
};

/// What a name in an operand denotes.
enum class BindingKind : std::uint8_t {
    None,            ///< not a name (literal, container) or not an instruction operand
    Register,        ///< id = RegisterId
    SpecialRegister, ///< id = SpecialRegister enumerator
    Variable,        ///< id = index into Module::variables (globals, locals, params)
    Function,        ///< id = index into Module::functions
    Label,           ///< id = index into Module::labels
    Prototype,       ///< id = index into Module::prototypes
    TargetList,      ///< id = index into Module::targetLists
    Unresolved,      ///< declared nowhere visible (the verifier reports it)
};

struct Binding {
    BindingKind kind = BindingKind::None;
    std::uint32_t id = 0;
};

/// Module-wide names: functions and module-scope variables.
class ModuleSymbols {
public:
    explicit ModuleSymbols(const Module& module);
    /// Binding of a module-scope name, or kind None.
    [[nodiscard]] Binding lookup(std::string_view name) const;

private:
    /// Open addressing with linear probing (empty name: free slot; module-scope names are never
    /// empty): one allocation for the tens of thousands of kernels of a large module.
    struct Entry {
        std::string_view name;
        Binding binding;
    };
    Entry& slotFor(std::string_view name);
    std::vector<Entry> names_;
};

/// A declaration that clashes with an earlier one in the same scope.
struct Redeclaration {
    SourceRange range;
    SourceRange previous;
    std::string_view name;
};

class FunctionSymbols {
public:
    /// Resolves every name in the instructions of function `functionIndex`.
    FunctionSymbols(const Module& module, const ModuleSymbols& globals,
                    std::uint32_t functionIndex);

    /// Resolves another function of the same module instead, reusing this object's storage
    /// (the analyzer lowers tens of thousands of small kernels one after another).
    void resolveFunction(std::uint32_t functionIndex);

    [[nodiscard]] std::uint32_t functionIndex() const { return function_; }
    [[nodiscard]] std::uint32_t registerCount() const { return registerCount_; }
    [[nodiscard]] std::span<const RegisterDecl> declarations() const { return decls_; }
    /// The declaration a register id belongs to.
    [[nodiscard]] const RegisterDecl& declarationOf(RegisterId id) const;
    /// Declared type and width of a register.
    [[nodiscard]] Keyword registerType(RegisterId id) const { return declarationOf(id).type; }
    [[nodiscard]] unsigned registerBits(RegisterId id) const { return declarationOf(id).bits; }
    /// The register's name as written ("%r5", "p").
    [[nodiscard]] std::string registerName(RegisterId id) const;

    /// Binding of an operand (by its index in Module::operands). Names inside addresses,
    /// vectors, pairs and call lists are bound too; other operands return kind None.
    [[nodiscard]] Binding binding(std::uint32_t operandIndex) const;
    /// Register of an operand, or kNoRegister.
    [[nodiscard]] RegisterId registerOf(std::uint32_t operandIndex) const {
        Binding b = binding(operandIndex);
        return b.kind == BindingKind::Register ? b.id : kNoRegister;
    }
    /// Operand indices whose names resolved to nothing, in source order.
    [[nodiscard]] std::span<const std::uint32_t> unresolved() const { return unresolved_; }
    [[nodiscard]] std::span<const Redeclaration> redeclarations() const { return redeclarations_; }

private:
    void bindOperand(std::uint32_t operandIndex, bool isBranchTarget);
    Binding resolve(std::string_view name, bool isRegisterToken, bool preferLabel) const;

    /// One slot of the scoped-name table (open addressing, linear probing; scope kNoIndex marks
    /// an empty slot). A flat table instead of std::unordered_map: a function's labels and
    /// locals cost one allocation instead of one per name, which dominated lowering of nvcc
    /// output with its thousands of small kernels.
    struct ScopedEntry {
        std::string_view name;
        std::uint32_t scope = kNoIndex;
        Binding binding;
    };
    /// Inserts (scope, name) → b unless present; returns the entry and whether it was inserted.
    std::pair<ScopedEntry*, bool> insertScoped(std::uint32_t scope, std::string_view name,
                                               Binding b);
    [[nodiscard]] const ScopedEntry* findScoped(std::uint32_t scope, std::string_view name) const;
    /// Empties the table, sized for `names` entries.
    void clearScoped(std::size_t names);
    void growScoped();

    const Module& module_;
    const ModuleSymbols& globals_;
    std::uint32_t function_ = 0;
    std::uint32_t registerCount_ = 0;
    std::vector<RegisterDecl> decls_;
    std::vector<ScopedEntry> scoped_; ///< registers, labels, locals (size: a power of two)
    std::size_t scopedCount_ = 0;
    std::vector<std::uint32_t> scopeStack_; ///< open scopes, innermost last
    /// `.reg %r<N>` ranges declared so far: "%r123" is resolved by scanning these few prefixes
    /// instead of hashing, which makes resolution of nvcc output cheap.
    struct RangePrefix {
        std::string_view prefix;
        std::uint64_t key; ///< prefixKey(prefix): most prefixes compare as one integer
        std::uint32_t scope;
        std::uint32_t decl;
    };
    /// The first 8 bytes of a prefix, zero-padded (equal keys and sizes: equal up to 8 bytes).
    static std::uint64_t prefixKey(std::string_view prefix) {
        std::uint64_t key = 0;
        const std::size_t n = prefix.size() < 8 ? prefix.size() : 8;
        for (std::size_t i = 0; i < n; ++i)
            key |= std::uint64_t{static_cast<unsigned char>(prefix[i])} << (8 * i);
        return key;
    }
    static bool samePrefix(const RangePrefix& r, std::string_view prefix, std::uint64_t key) {
        return r.key == key && r.prefix.size() == prefix.size() &&
               (prefix.size() <= 8 || r.prefix == prefix);
    }
    std::vector<RangePrefix> ranges_;
    bool digitSuffixedNames_ = false; ///< some non-range register name ends in a digit
    std::uint32_t operandBase_ = 0;
    std::vector<Binding> bindings_; ///< indexed by operand index - operandBase_
    std::vector<std::uint32_t> unresolved_;
    std::vector<Redeclaration> redeclarations_;
};

} // namespace ptxwb::ptx
