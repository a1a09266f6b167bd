// Rule uninitialized-register: a register read on some path from the kernel entry that passes
// no write of it. Uses the must-be-written analysis of KernelDataflow (reaching definitions with
// an entry pseudo-definition); a predicated write counts as a write, so `@p mov` followed by an
// equally predicated read is not reported, and neither is a plain `mov` copy (see below).
#include "analysis/rule.h"

#include <fmt/format.h>

namespace ptxwb::analysis {

void checkUninitializedRegister(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    const KernelDataflow& flow = *unit.flow;
    std::vector<bool> reported(k.registers.size(), false);
    flow.forEachMaybeUndefinedUse([&](std::uint32_t inst, std::uint32_t reg) {
        // A copy is not a use: nvcc (notably with -G) lowers undefined phi inputs to `mov`
        // copies on paths where the value is never consumed.
        if (reported[reg] || k.instructions[inst].opcode == ptx::Opcode::Mov) return;
        reported[reg] = true;
        const IrRegister& r = k.registers[reg];
        const auto defs = flow.definitionsOf(reg);
        Finding& f = sink.report(
            *unit.source, k.name, k.instructions[inst].range,
            defs.empty() ? fmt::format("register {} is read but never written", r.name)
                         : fmt::format("register {} may be read before it is written: a path "
                                       "from the kernel entry reaches this read without a write",
                                       r.name));
        if (r.declaration.end > r.declaration.begin)
            FindingSink::relate(f, *unit.source, r.declaration,
                                fmt::format("{} declared here", r.name));
        if (!defs.empty() && defs[0] != inst)
            FindingSink::relate(f, *unit.source, k.instructions[defs[0]].range,
                                fmt::format("{} written here, on another path", r.name));
    });
}

} // namespace ptxwb::analysis
