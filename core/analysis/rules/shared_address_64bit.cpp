// Rule shared-address-64bit: shared memory addressed through 64-bit registers.
//
// A .shared address is an offset into the CTA's shared window, 32 bits on every target. ptxas
// accepts [%rd] operands for ld.shared and truncates them, which happens to work on some
// architectures and driver versions and silently breaks on others (the seed's batched RMSNorm
// built %rd addresses from a 64-bit zero base; its single-row twin used %r). The finding names
// the access and follows the definitions back to where the 64-bit value was formed.
//
// Severity follows the evidence. NVRTC (unlike nvcc, which uses 32-bit shared pointers) emits
// every shared address as `mov.u64 %rd, sym` plus 64-bit arithmetic: a consistent layout whose
// addresses all come from the shared symbols, which ptxas handles. That is a single note per
// kernel. An error is reported where a 64-bit address does not come from a shared symbol (a
// constant base, a parameter, a generic pointer), or where the kernel mixes 64-bit and 32-bit
// shared addressing, which is the seed's "u64 here, u32 elsewhere".
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

/// Words for what one instruction of the chain did to the 64-bit value.
std::string describeDefinition(const KernelIR& k, const IrInstruction& in) {
    const auto vals = k.valuesOf(in);
    const auto dest = vals.empty() || vals[0].kind != IrValue::Kind::Register
                          ? std::string("the value")
                          : std::string(k.registers[vals[0].id].name);
    if (in.opcode == ptx::Opcode::Mov && vals.size() == 2) {
        if (vals[1].kind == IrValue::Kind::Immediate)
            return fmt::format("64-bit base {} formed here from the constant {}", dest,
                               vals[1].immediate);
        if (vals[1].kind == IrValue::Kind::Symbol && vals[1].id != kNoId)
            return fmt::format("64-bit address {} of '{}' formed here", dest,
                               k.symbols[vals[1].id].name);
    }
    if (in.opcode == ptx::Opcode::Cvta && !in.cvtaToSpace)
        return fmt::format("shared address converted to the 64-bit generic address {} here", dest);
    if (in.opcode == ptx::Opcode::Cvta)
        return fmt::format("generic address converted back to a 64-bit shared address {} here",
                           dest);
    if (in.opcode == ptx::Opcode::Cvt || in.opcode == ptx::Opcode::Mul ||
        in.opcode == ptx::Opcode::Mad)
        return fmt::format("value widened to 64 bits in {} here", dest);
    return fmt::format("64-bit address {} computed here ({})", dest, in.opcodeText);
}

void relateSharedDeclaration(const KernelUnit& unit, const std::vector<std::uint32_t>& chain,
                             Finding& f) {
    const KernelIR& k = *unit.ir;
    for (auto d : chain)
        for (const auto& v : k.valuesOf(k.instructions[d]))
            if (v.kind == IrValue::Kind::Symbol && v.id != kNoId &&
                k.symbols[v.id].space == MemorySpace::Shared) {
                FindingSink::relate(
                    f, *unit.source, k.symbols[v.id].declaration,
                    fmt::format("shared variable '{}' declared here", k.symbols[v.id].name));
                return;
            }
}

} // namespace

namespace {

bool formedFromSharedSymbol(const KernelIR& k, const std::vector<std::uint32_t>& chain) {
    for (auto d : chain) {
        const auto& in = k.instructions[d];
        if (in.opcode == ptx::Opcode::Cvta) return false; // through a generic pointer
        for (const auto& v : k.valuesOf(in))
            if (v.kind == IrValue::Kind::Symbol && v.id != kNoId &&
                k.symbols[v.id].space == MemorySpace::Shared)
                return true;
    }
    return false;
}

struct SharedAccess {
    std::uint32_t instruction = 0;
    const IrAddress* address = nullptr;
    const IrRegister* base = nullptr;
};

} // namespace

void checkSharedAddress64(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    std::vector<SharedAccess> wide, narrow;
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (in.space != MemorySpace::Shared || in.opcode == ptx::Opcode::Cvta ||
            in.addressCount == 0)
            continue;
        const IrAddress& addr = k.addressesOf(in)[0]; // the shared operand comes first
        if (addr.baseRegister == kNoId) continue;
        const IrRegister& base = k.registers[addr.baseRegister];
        // A 32-bit address truncated from a generic pointer (cvta.to.shared.u64 + cvt.u32.u64)
        // is nvcc's own idiom for generic-to-shared conversion and is correct: not reported.
        (base.bits == 64 ? wide : narrow).push_back({i, &addr, &base});
    }
    bool layoutNoted = false;
    for (const auto& access : wide) {
        const auto& in = k.instructions[access.instruction];
        const auto chain =
            definitionChain(*unit.flow, access.instruction, access.address->baseRegister, 64);
        const bool fromSymbol = formedFromSharedSymbol(k, chain);
        if (fromSymbol && narrow.empty()) {
            if (layoutNoted) continue;
            layoutNoted = true;
            Finding& f = sink.report(
                *unit.source, k.name, access.address->range,
                fmt::format("all {} register-addressed shared accesses of this kernel use 64-bit "
                            "registers formed from shared symbols (NVRTC's 64-bit data layout; "
                            "nvcc uses 32-bit): consistent, but a 32-bit twin of this kernel "
                            "will differ",
                            wide.size()));
            f.severity = Severity::Note;
            for (auto d : chain)
                FindingSink::relate(f, *unit.source, k.instructions[d].range,
                                    describeDefinition(k, k.instructions[d]));
            relateSharedDeclaration(unit, chain, f);
            continue;
        }
        Finding& f = sink.report(
            *unit.source, k.name, access.address->range,
            fmt::format("{}.shared addresses shared memory through the 64-bit register {}; "
                        "shared addresses are 32-bit offsets{}",
                        in.opcodeText, access.base->name,
                        fromSymbol ? ", and this kernel addresses shared memory through 32-bit "
                                     "registers elsewhere"
                                   : ""));
        f.severity = Severity::Error;
        for (auto d : chain)
            FindingSink::relate(f, *unit.source, k.instructions[d].range,
                                describeDefinition(k, k.instructions[d]));
        relateSharedDeclaration(unit, chain, f);
        if (fromSymbol)
            FindingSink::relate(
                f, *unit.source, narrow.front().address->range,
                fmt::format("32-bit shared address {} used here", narrow.front().base->name));
    }
}

} // namespace ptxwb::analysis
