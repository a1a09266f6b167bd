// Rule shared-out-of-bounds: an access to a .shared array at a constant offset (directly
// [smem+off], or through registers built from the array's address and constants) that ends
// past the array's declared size, or starts before it.
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

/// Bytes an instruction reads or writes at its shared address (0 when unknown).
std::uint64_t accessBytes(const KernelIR& k, const IrInstruction& in) {
    if (in.opcode == ptx::Opcode::CpAsync) { // cp.async [dst], [src], cp-size
        for (const auto& v : k.valuesOf(in))
            if (v.kind == IrValue::Kind::Immediate) return static_cast<std::uint64_t>(v.immediate);
        return 0;
    }
    if (in.opcode != ptx::Opcode::Ld && in.opcode != ptx::Opcode::St &&
        in.opcode != ptx::Opcode::Atom && in.opcode != ptx::Opcode::Red)
        return 0;
    return static_cast<std::uint64_t>(in.typeBits / 8) * in.vectorWidth;
}

} // namespace

void checkSharedOutOfBounds(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (in.space != MemorySpace::Shared || in.addressCount == 0 ||
            in.opcode == ptx::Opcode::Cvta)
            continue;
        const auto bytes = accessBytes(k, in);
        if (bytes == 0) continue;
        const auto addr = resolveConstantAddress(*unit.flow, i, k.addressesOf(in)[0]);
        if (!addr || addr->symbol == kNoId) continue;
        const IrSymbol& s = k.symbols[addr->symbol];
        if (s.space != MemorySpace::Shared || s.bytes == 0) continue;
        const bool before = addr->offset < 0;
        if (!before && static_cast<std::uint64_t>(addr->offset) + bytes <= s.bytes) continue;
        Finding& f = sink.report(
            *unit.source, k.name, k.addressesOf(in)[0].range,
            before ? fmt::format("shared access at offset {} is before the start of '{}'",
                                 addr->offset, s.name)
                   : fmt::format("shared access of {} bytes at offset {} is past the end of '{}' "
                                 "({} bytes)",
                                 bytes, addr->offset, s.name, s.bytes));
        FindingSink::relate(f, *unit.source, s.declaration,
                            fmt::format("'{}' declared here with {} bytes", s.name, s.bytes));
        if (addr->formedAt != i && addr->formedAt != kNoId)
            FindingSink::relate(f, *unit.source, k.instructions[addr->formedAt].range,
                                "address taken here");
    }
}

} // namespace ptxwb::analysis
