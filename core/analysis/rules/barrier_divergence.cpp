// Rule barrier-divergence: bar.sync / barrier.sync that only some threads of the CTA reach,
// because the branch around it (or its own guard) depends on %tid or %laneid. Threads that
// skip a CTA barrier leave the others waiting (deadlock) or pair them with the wrong barrier.
//
// "Under a branch" is control dependence over the post-dominator tree, so a barrier after the
// join of an `if (tid < n)` is not reported. Early exits (`if (tid >= n) return;`) are not
// reported either: threads that have exited no longer count towards a CTA barrier.
#include "analysis/rule.h"

#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

/// True when one successor of the branch block is nothing but ret/exit (an early exit).
bool isEarlyExit(const KernelDataflow& flow, std::uint32_t block) {
    const KernelIR& k = flow.kernel();
    for (auto s : flow.blocks()[block].successors) {
        const auto& b = flow.blocks()[s];
        if (b.end == b.first + 1 && k.instructions[b.end - 1].has(kInstReturn) &&
            b.successors.empty())
            return true;
    }
    return false;
}

} // namespace

void checkBarrierDivergence(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    const KernelDataflow& flow = *unit.flow;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> seeds;
    std::uint32_t source = kNoId;
    for (std::uint32_t r = 0; r < k.registers.size(); ++r) {
        const auto sk = k.registers[r].special;
        if ((sk == SpecialKind::Tid || sk == SpecialKind::Laneid) && !flow.usesOf(r).empty()) {
            seeds.emplace_back(r, 1);
            if (source == kNoId || flow.usesOf(r)[0] < source) source = flow.usesOf(r)[0];
        }
    }
    bool anyBarrier = false;
    for (const auto& in : k.instructions)
        anyBarrier |= in.has(kInstBarrier);
    if (seeds.empty() || !anyBarrier) return;
    const auto taint = flow.propagate(seeds, /*throughLoads=*/true);

    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (!in.has(kInstBarrier) || !flow.reachable(flow.blockOf(i))) continue;
        std::uint32_t branch = kNoId;
        if (in.guard != kNoId && taint[in.guard]) {
            branch = i;
        } else {
            for (auto a : flow.controllingBranches(flow.blockOf(i))) {
                const auto& last = k.instructions[flow.blocks()[a].end - 1];
                if (last.guard == kNoId || !taint[last.guard] || isEarlyExit(flow, a)) continue;
                branch = flow.blocks()[a].end - 1;
                break;
            }
        }
        if (branch == kNoId) continue;
        const auto& br = k.instructions[branch];
        Finding& f = sink.report(
            *unit.source, k.name, in.range,
            branch == i
                ? fmt::format("{} is guarded by {}, which depends on the thread index: only some "
                              "threads of the CTA reach the barrier",
                              mnemonicOf(k, in), k.registers[br.guard].name)
                : fmt::format("{} is under a branch on {}, which depends on the thread index: "
                              "threads that take the other way never reach the barrier",
                              mnemonicOf(k, in), k.registers[br.guard].name));
        if (branch != i)
            FindingSink::relate(f, *unit.source, br.range, "thread-dependent branch here");
        for (auto d : flow.reachingDefinitions(branch, br.guard))
            if (d != kEntryDefinition) {
                FindingSink::relate(f, *unit.source, k.instructions[d].range,
                                    fmt::format("{} computed from the thread index here",
                                                k.registers[br.guard].name));
                break;
            }
        if (source != kNoId)
            FindingSink::relate(f, *unit.source, k.instructions[source].range,
                                "thread index read here");
    }
}

} // namespace ptxwb::analysis
