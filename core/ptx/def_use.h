#pragma once
// Register definitions and uses of one function, and reaching definitions on demand. This is
// what dataflow rules ask: "which instructions may have defined this operand's register when
// control reaches here, and can it be undefined on some path?"

#include "ptx/control_flow.h"

#include <cstdint>
#include <span>
#include <vector>

namespace ptxwb::ptx {

/// How an instruction operand touches registers.
enum class OperandRole : std::uint8_t { Use, Def, DefUse };

/// The role of top-level operand `position` of `inst` (registers inside addresses are always
/// uses). The first operand is the destination of most instructions; stores, branches, calls,
/// barriers and the like have none; wgmma/mma accumulators written in place are DefUse.
[[nodiscard]] OperandRole operandRole(const Module& module, const Instruction& inst,
                                      unsigned position);

/// One register access by an instruction.
struct RegisterAccess {
    std::uint32_t instruction = 0; ///< Module::instructions index
    std::uint32_t operand = 0;     ///< Module::operands index of the register operand
    RegisterId reg = kNoRegister;
};

/// Result of a reaching-definitions query.
struct ReachingDefinitions {
    /// Instructions (Module::instructions indices) whose definition may reach the point, in
    /// program order. A guarded definition does not hide earlier ones.
    std::vector<std::uint32_t> definitions;
    /// True if some path from the function entry reaches the point without any definition.
    bool mayBeUndefined = false;
};

class DefUse {
public:
    DefUse(const Module& module, const FunctionSymbols& symbols, const ControlFlowGraph& cfg);

    /// Registers written / read by an instruction (Module::instructions index).
    [[nodiscard]] std::span<const RegisterAccess> definitionsBy(std::uint32_t instruction) const;
    [[nodiscard]] std::span<const RegisterAccess> usesBy(std::uint32_t instruction) const;
    /// Every definition / use of a register in program order.
    [[nodiscard]] std::span<const RegisterAccess> definitionsOf(RegisterId reg) const;
    [[nodiscard]] std::span<const RegisterAccess> usesOf(RegisterId reg) const;
    /// Definitions of `reg` that may reach the point just before `instruction`.
    [[nodiscard]] ReachingDefinitions reachingDefinitions(std::uint32_t instruction,
                                                          RegisterId reg) const;
    /// Reaching definitions for a register operand of an instruction (the common question).
    [[nodiscard]] ReachingDefinitions
    reachingDefinitionsOfOperand(std::uint32_t instruction, std::uint32_t operandIndex) const;

private:
    bool defines(std::uint32_t position, RegisterId reg) const;

    const Module& module_;
    const FunctionSymbols& symbols_;
    const ControlFlowGraph& cfg_;
    // Per position in cfg.instructions(): [defBegin, useBegin) defs, [useBegin, next) uses.
    std::vector<RegisterAccess> accesses_;
    std::vector<std::uint32_t> accessBegin_; ///< per position + 1 sentinel
    std::vector<std::uint32_t> useBegin_;
    std::vector<RegisterAccess> byRegDefs_, byRegUses_;
    std::vector<std::uint32_t> regDefBegin_, regUseBegin_;
};

} // namespace ptxwb::ptx
