// Rule indirect-position: a kernel that takes its position or sequence length from device
// memory. Under CUDA-graph replay the launch parameters are frozen, so decode reads the position
// from a buffer; if the buffer is stale (the seed's PMAT-PREFILL bug: batched prefill took the
// indirect path and scattered every token to position 0), nothing in the launch shows it.
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

/// First global/generic access whose address derives from parameter `param`, or kNoId.
std::uint32_t firstAccessThrough(const KernelUnit& unit, std::uint32_t param) {
    const KernelIR& k = *unit.ir;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> seeds;
    for (auto r : parameterReads(k, param))
        for (auto d : k.defs(k.instructions[r]))
            seeds.emplace_back(d, 1);
    if (seeds.empty()) return kNoId;
    const auto taint = unit.flow->propagate(seeds);
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (in.space != MemorySpace::Global && in.space != MemorySpace::Generic) continue;
        for (const auto& a : k.addressesOf(in))
            if (unit.flow->addressMask(taint, a)) return i;
    }
    return kNoId;
}

} // namespace

std::string positionModeOf(const KernelUnit& unit) {
    const KernelIR& k = *unit.ir;
    bool direct = false, indirect = false, batched = false;
    for (auto p : k.params) {
        const auto role = unit.contract.roleOf(k.symbols[p].name);
        if (role == "position" && !parameterReads(k, p).empty()) direct = true;
        if (isIndirectPositionRole(role) && firstAccessThrough(unit, p) != kNoId) indirect = true;
        if (role == "positions" && firstAccessThrough(unit, p) != kNoId) batched = true;
    }
    std::string mode;
    auto add = [&](bool on, std::string_view word) {
        if (!on) return;
        if (!mode.empty()) mode += '+';
        mode += word;
    };
    add(direct, "direct");
    add(indirect, "indirect");
    add(batched, "batched-positions");
    return mode.empty() ? "none" : mode;
}

void checkIndirectPosition(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    for (auto p : k.params) {
        const IrSymbol& s = k.symbols[p];
        const auto role = unit.contract.roleOf(s.name);
        if (!isIndirectPositionRole(role)) continue;
        const auto at = firstAccessThrough(unit, p);
        if (at == kNoId) continue;
        Finding& f = sink.report(
            *unit.source, k.name, k.instructions[at].range,
            fmt::format("{} is read through pointer '{}' ({}): indirect mode, the value comes "
                        "from device memory at run time",
                        role == "seq_len_buf" ? "sequence length" : "position",
                        unit.contract.displayName(s.name), role));
        FindingSink::relate(f, *unit.source, s.declaration,
                            fmt::format("'{}' declared here", unit.contract.displayName(s.name)));
    }
}

} // namespace ptxwb::analysis
