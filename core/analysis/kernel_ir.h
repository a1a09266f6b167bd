#pragma once
// The analyzer's view of one kernel: the PTX AST lowered to flat instructions whose operands are
// register ids, immediates and address expressions, plus the symbols (.shared arrays, params)
// they name. Rules and dataflow work on this form only, so they never re-resolve names or walk
// operand trees, and the cost of analysis stays linear in the size of the kernel.
//
// Everything is stored in flat per-kernel vectors (instructions refer to ranges of them), so a
// 40 MB module does not turn into millions of small allocations.

#include "ptx/ast.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::analysis {

inline constexpr std::uint32_t kNoId = 0xffffffffu;

/// The state space an instruction touches (reduced to what the rules distinguish).
enum class MemorySpace : std::uint8_t { None, Generic, Global, Shared, Local, Param, Const, Other };

/// Special registers the rules care about; everything else is Other.
enum class SpecialKind : std::uint8_t { None, Tid, Ntid, Laneid, Ctaid, Nctaid, Other };

/// One register of the kernel (declared or special).
struct IrRegister {
    std::string_view name;  ///< as spelled, e.g. "%rd4" or "%ctaid" (component separate)
    std::uint16_t bits = 0; ///< declared width; 0 when the declaration was not found
    bool isPredicate = false;
    bool isFloat = false;
    SpecialKind special = SpecialKind::None;
    std::uint8_t component = 0; ///< 1..3 for .x/.y/.z of special registers
    ptx::SourceRange declaration;
    [[nodiscard]] bool isSpecial() const { return special != SpecialKind::None; }
};

/// A variable an instruction can name: a .shared/.global/.const array or a kernel parameter.
struct IrSymbol {
    std::string_view name;
    MemorySpace space = MemorySpace::Other;
    std::uint64_t bytes = 0;          ///< total size; 0 when unknown (extern .shared, [] arrays)
    std::uint32_t paramIndex = kNoId; ///< position among the kernel's parameters
    std::uint16_t elementBits = 0;
    bool local = false; ///< declared inside the function body
    ptx::SourceRange declaration;
};

/// [base + offset]: base is a register or a symbol (or neither for an absolute address).
struct IrAddress {
    std::uint32_t baseRegister = kNoId;
    std::uint32_t baseSymbol = kNoId;
    std::int64_t offset = 0;
    std::uint8_t operandPosition = 0; ///< which top-level operand (0 = first)
    ptx::SourceRange range;
};

/// One operand value in source order, for rules that need positions (e.g. shift amounts).
struct IrValue {
    enum class Kind : std::uint8_t { Register, Immediate, Symbol, Address, Other };
    Kind kind = Kind::Other;
    bool isDestination = false;
    std::uint32_t id = kNoId; ///< register, symbol or address index
    std::int64_t immediate = 0;
};

enum InstructionFlags : std::uint16_t {
    kInstBranch = 1,      ///< bra / brx.idx
    kInstReturn = 2,      ///< ret / exit (ends the thread's path)
    kInstBarrier = 4,     ///< bar.sync / barrier.sync / bar.red / barrier.cta.* that waits
    kInstWarpBarrier = 8, ///< bar.warp.sync
    kInstFloat = 16,      ///< operates on a floating-point type
    kInstCall = 32,
    kInstUnconditional = 64, ///< a branch/return without guard (or .uni with no guard)
};

struct IrInstruction {
    ptx::SourceRange range;
    ptx::Opcode opcode = ptx::Opcode::Unknown;
    std::string_view opcodeText; ///< without modifiers
    MemorySpace space = MemorySpace::None;
    bool spaceIsCluster = false;
    std::uint16_t flags = 0;
    std::uint16_t typeBits = 0;   ///< of the last type modifier (ld.shared.v2.f32 → 32)
    std::uint8_t vectorWidth = 1; ///< .v2/.v4 → 2/4
    bool cvtaToSpace = false; ///< cvta.to.<space> (generic → space) rather than space → generic
    std::uint32_t guard = kNoId; ///< predicate register
    bool guardNegated = false;
    std::uint32_t branchTarget = kNoId; ///< instruction index a bra jumps to
    std::uint32_t firstDef = 0, defCount = 0;
    std::uint32_t firstUse = 0, useCount = 0; ///< includes address base registers and the guard
    std::uint32_t firstValue = 0, valueCount = 0;
    std::uint32_t firstAddress = 0, addressCount = 0;

    [[nodiscard]] bool has(InstructionFlags f) const { return (flags & f) != 0; }
};

/// A kernel (or device function) in lowered form.
struct KernelIR {
    const ptx::Module* module = nullptr;
    std::uint32_t functionIndex = 0;
    std::string_view name;
    bool isEntry = false;
    ptx::SourceRange declaration;      ///< the function's header range (name)
    std::vector<std::uint32_t> params; ///< symbol ids of the parameters in order
    std::vector<IrRegister> registers;
    std::vector<IrSymbol> symbols;
    std::vector<IrInstruction> instructions;
    std::vector<std::uint32_t> defRegisters;
    std::vector<std::uint32_t> useRegisters;
    std::vector<IrValue> values;
    std::vector<IrAddress> addresses;
    /// For each parameter (by position), the instructions that read it (ld.param or taking its
    /// address), in order: built during lowering so rules need not rescan the kernel.
    std::vector<std::vector<std::uint32_t>> paramReads;

    [[nodiscard]] std::span<const std::uint32_t> defs(const IrInstruction& i) const {
        return {defRegisters.data() + i.firstDef, i.defCount};
    }
    [[nodiscard]] std::span<const std::uint32_t> uses(const IrInstruction& i) const {
        return {useRegisters.data() + i.firstUse, i.useCount};
    }
    [[nodiscard]] std::span<const IrValue> valuesOf(const IrInstruction& i) const {
        return {values.data() + i.firstValue, i.valueCount};
    }
    [[nodiscard]] std::span<const IrAddress> addressesOf(const IrInstruction& i) const {
        return {addresses.data() + i.firstAddress, i.addressCount};
    }
    /// Register id of a special register (e.g. Ctaid component 2 = %ctaid.y), or kNoId when the
    /// kernel never reads it.
    [[nodiscard]] std::uint32_t findSpecial(SpecialKind kind, std::uint8_t component) const;
    /// Symbol id by name, or kNoId.
    [[nodiscard]] std::uint32_t findSymbol(std::string_view name) const;
};

/// The opcode with its modifiers as written ("bar.sync", "ld.shared.f32"), for messages.
[[nodiscard]] std::string_view mnemonicOf(const KernelIR& k, const IrInstruction& inst);

struct ModuleLoweringContext;

/// Lowers functions of one module one at a time (the analyzer streams kernels through rules so
/// a 40 MB module never holds every kernel's IR at once). Module-wide name tables are built
/// once here and only read afterwards; `module` must outlive the lowerer and every KernelIR it
/// fills.
class ModuleLowerer {
public:
    explicit ModuleLowerer(const ptx::Module& module);
    ~ModuleLowerer();
    ModuleLowerer(const ModuleLowerer&) = delete;
    ModuleLowerer& operator=(const ModuleLowerer&) = delete;
    /// Replaces `out` with the lowered form of function `functionIndex` (which has a body).
    /// Safe to call from several threads at once (with different `out`).
    void lower(std::uint32_t functionIndex, KernelIR& out) const;

private:
    const ptx::Module& module_;
    std::unique_ptr<const ModuleLoweringContext> context_;
};

/// Lowers every function with a body (entries and device functions) of a parsed module.
[[nodiscard]] std::vector<KernelIR> lowerModule(const ptx::Module& module);

} // namespace ptxwb::analysis
