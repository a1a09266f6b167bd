// Rule shared-race: a shared store, then a shared load of a location another thread may have
// written, with a path between them that crosses no barrier. Evidence is stated in the finding:
// the store and load addresses differ in how they depend on the thread index (so the load reads
// another thread's element), or one thread writes a fixed location under a thread-dependent
// branch and all threads read it.
//
// The search from each store is bounded (kMaxVisitedInstructions) so huge unrolled kernels
// cannot make the rule quadratic; a bound hit means fewer findings, never a false one.
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

constexpr std::size_t kMaxVisitedInstructions = 20000;

bool isSharedStore(const IrInstruction& in) {
    return in.space == MemorySpace::Shared && in.opcode == ptx::Opcode::St;
}
bool isSharedLoad(const IrInstruction& in) {
    return in.space == MemorySpace::Shared &&
           (in.opcode == ptx::Opcode::Ld || in.opcode == ptx::Opcode::Ldmatrix);
}
bool isBarrier(const IrInstruction& in) {
    return in.has(kInstBarrier) || in.has(kInstWarpBarrier);
}

bool sameAddress(const IrAddress& a, const IrAddress& b) {
    if (a.offset != b.offset) return false;
    if (a.baseRegister != kNoId) return a.baseRegister == b.baseRegister;
    return a.baseSymbol != kNoId && a.baseSymbol == b.baseSymbol;
}

bool mayAlias(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    if (a.empty() || b.empty()) return true; // unknown base: assume the worst
    for (auto x : a)
        if (std::find(b.begin(), b.end(), x) != b.end()) return true;
    return false;
}

/// Loads reachable from `store` without crossing a barrier (first occurrence of each).
std::vector<std::uint32_t> loadsWithoutBarrier(const KernelDataflow& flow, std::uint32_t store) {
    const KernelIR& k = flow.kernel();
    std::vector<std::uint32_t> loads;
    std::vector<std::uint8_t> visited(flow.blocks().size(), 0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> work{{flow.blockOf(store), store + 1}};
    std::size_t budget = kMaxVisitedInstructions;
    while (!work.empty()) {
        auto [b, start] = work.back();
        work.pop_back();
        const auto& blk = flow.blocks()[b];
        bool blocked = false;
        for (auto i = start; i < blk.end && budget > 0; ++i, --budget) {
            const auto& in = k.instructions[i];
            if (isBarrier(in) && in.guard == kNoId) {
                blocked = true;
                break;
            }
            if (isSharedLoad(in) && std::find(loads.begin(), loads.end(), i) == loads.end())
                loads.push_back(i);
        }
        if (blocked || budget == 0) continue;
        for (auto s : blk.successors)
            if (!visited[s]) {
                visited[s] = 1;
                work.emplace_back(s, flow.blocks()[s].first);
            }
    }
    return loads;
}

} // namespace

void checkSharedRace(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    const KernelDataflow& flow = *unit.flow;
    if (std::none_of(k.instructions.begin(), k.instructions.end(), isSharedStore)) return;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> seeds;
    for (std::uint32_t r = 0; r < k.registers.size(); ++r)
        if (k.registers[r].special == SpecialKind::Tid ||
            k.registers[r].special == SpecialKind::Laneid)
            seeds.emplace_back(r, 1);
    const auto tid = flow.propagate(seeds, /*throughLoads=*/true);
    auto threadDependent = [&](std::uint32_t inst, const IrAddress& a) {
        (void)inst;
        return flow.addressMask(tid, a) != 0;
    };
    auto underThreadBranch = [&](std::uint32_t inst) {
        const auto& in = k.instructions[inst];
        if (in.guard != kNoId && tid[in.guard]) return true;
        for (auto a : flow.controllingBranches(flow.blockOf(inst))) {
            const auto& last = k.instructions[flow.blocks()[a].end - 1];
            if (last.guard != kNoId && tid[last.guard]) return true;
        }
        return false;
    };

    std::vector<std::uint32_t> reportedLoads;
    for (std::uint32_t s = 0; s < k.instructions.size(); ++s) {
        const auto& st = k.instructions[s];
        if (!isSharedStore(st) || st.addressCount == 0 || !flow.reachable(flow.blockOf(s)))
            continue;
        const IrAddress& sa = k.addressesOf(st)[0];
        const auto storeSymbols = addressSymbols(flow, s, sa);
        const bool storeTid = threadDependent(s, sa);
        for (auto l : loadsWithoutBarrier(flow, s)) {
            if (std::find(reportedLoads.begin(), reportedLoads.end(), l) != reportedLoads.end())
                continue;
            const IrAddress& la = k.addressesOf(k.instructions[l])[0];
            if (!mayAlias(storeSymbols, addressSymbols(flow, l, la))) continue;
            const bool loadTid = threadDependent(l, la);
            std::string evidence;
            if (sameAddress(sa, la)) {
                if (storeTid || !underThreadBranch(s)) continue; // each thread reads its own write
                evidence = "the store runs only for some threads (thread-dependent branch) and "
                           "every thread loads the same location";
            } else if (storeTid || loadTid) {
                if (!storeTid && !loadTid) continue;
                const auto cs = resolveConstantAddress(flow, s, sa);
                const auto cl = resolveConstantAddress(flow, l, la);
                if (cs && cl && (cs->symbol != cl->symbol || cs->offset != cl->offset)) continue;
                evidence = storeTid && loadTid
                               ? "both addresses depend on the thread index but differ, so a "
                                 "thread may load another thread's element"
                           : storeTid ? "the store address depends on the thread index and "
                                        "the load address does not"
                                      : "the load address depends on the thread index and "
                                        "the store address does not";
            } else {
                continue; // fixed, different addresses for every thread: no cross-thread flow
            }
            reportedLoads.push_back(l);
            Finding& f = sink.report(
                *unit.source, k.name, k.instructions[l].range,
                fmt::format("shared load may read a location another thread stored without a "
                            "barrier in between: {}",
                            evidence));
            FindingSink::relate(f, *unit.source, st.range, "shared store here");
        }
    }
}

} // namespace ptxwb::analysis
