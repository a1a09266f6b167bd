// Rule batched-row-selection: a batched kernel must pick its batch row for every batch-indexed
// pointer. The check that motivated ptxwb passed whenever the text contained "ctaid.y"; this
// rule follows the row index through the registers into each pointer's address instead.
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

constexpr std::uint64_t kIndexBit = 1;

struct PointerParam {
    std::uint32_t symbol;
    std::string_view role;
    std::uint64_t bit;
    std::uint32_t firstAccess = kNoId;
    std::uint32_t indexedAccess = kNoId;
};

std::string_view roleWord(std::string_view role) {
    if (role.starts_with("output")) return "output";
    if (role == "positions") return "positions";
    return "input";
}

std::uint8_t axisComponent(BatchAxis a) {
    return a == BatchAxis::GridX ? 1 : a == BatchAxis::GridZ ? 3 : 2;
}

/// A natural loop whose exit test depends on the M parameter, and the index registers it tests.
struct BatchLoop {
    const NaturalLoop* loop = nullptr;
    std::uint32_t branch = kNoId;
    std::vector<std::uint32_t> indexRegisters;
    bool boundIsM = false;
};

std::vector<BatchLoop> findBatchLoops(const KernelDataflow& flow,
                                      const std::vector<std::uint64_t>& mTaint) {
    const KernelIR& k = flow.kernel();
    std::vector<BatchLoop> out;
    for (const auto& loop : flow.loops()) {
        std::vector<BatchLoop> candidates;
        for (auto b : loop.blocks) {
            const auto& blk = flow.blocks()[b];
            if (blk.end == blk.first) continue;
            const auto& last = k.instructions[blk.end - 1];
            if (!last.has(kInstBranch) || last.guard == kNoId) continue;
            BatchLoop bl;
            bl.loop = &loop;
            bl.branch = blk.end - 1;
            bl.boundIsM = mTaint[last.guard] != 0;
            // The index: registers compared by the predicate's setp that the loop itself updates.
            // Compilers combine tests (and.pred of "m < M" with another condition), so the walk
            // goes through predicate definitions to the setp instructions behind them; a
            // predicate is never the index itself.
            std::vector<std::pair<std::uint32_t, std::uint32_t>> work = {{blk.end - 1, last.guard}};
            std::vector<std::uint32_t> seenPredicates;
            while (!work.empty()) {
                const auto [at, reg] = work.back();
                work.pop_back();
                for (auto d : flow.reachingDefinitions(at, reg)) {
                    if (d == kEntryDefinition) continue;
                    for (auto u : k.uses(k.instructions[d])) {
                        if (k.registers[u].isPredicate) {
                            if (seenPredicates.size() < 8 &&
                                std::find(seenPredicates.begin(), seenPredicates.end(), u) ==
                                    seenPredicates.end()) {
                                seenPredicates.push_back(u);
                                work.emplace_back(d, u);
                            }
                            continue;
                        }
                        if (mTaint[u] != 0 || k.registers[u].isSpecial()) continue;
                        for (auto ud : flow.definitionsOf(u)) {
                            if (std::binary_search(loop.blocks.begin(), loop.blocks.end(),
                                                   flow.blockOf(ud))) {
                                if (std::find(bl.indexRegisters.begin(), bl.indexRegisters.end(),
                                              u) == bl.indexRegisters.end())
                                    bl.indexRegisters.push_back(u);
                                break;
                            }
                        }
                    }
                }
            }
            candidates.push_back(std::move(bl));
        }
        // A batch loop tests M more than once (the latch "m0 < M" and guards such as
        // "m0 + m < M" before a store); the registers of every test against M index the batch,
        // so they are merged. Without such a test, keep one to name in the finding.
        auto best = std::find_if(candidates.begin(), candidates.end(),
                                 [](const BatchLoop& c) { return c.boundIsM; });
        if (best == candidates.end() && !candidates.empty()) best = candidates.begin();
        if (best == candidates.end()) continue;
        for (const auto& c : candidates) {
            if (&c == &*best || !c.boundIsM) continue;
            for (auto r : c.indexRegisters)
                if (std::find(best->indexRegisters.begin(), best->indexRegisters.end(), r) ==
                    best->indexRegisters.end())
                    best->indexRegisters.push_back(r);
        }
        out.push_back(std::move(*best));
    }
    return out;
}

} // namespace

void checkBatchedRowSelection(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    const KernelDataflow& flow = *unit.flow;
    const KernelContract& c = unit.contract;
    if (c.variant != KernelVariant::Batched || !k.isEntry) return;

    std::vector<PointerParam> pointers;
    std::uint32_t mParam = kNoId;
    bool rolesKnown = false;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> seeds;
    for (auto p : k.params) {
        const IrSymbol& s = k.symbols[p];
        const auto role = c.roleOf(s.name);
        if (role == "dim:M") mParam = p;
        if (role != "unknown" && !role.empty()) rolesKnown = true;
        const bool candidate = isBatchIndexedRole(role) ||
                               ((role == "unknown" || role.empty()) && s.elementBits == 64);
        if (!candidate || pointers.size() >= 62) continue;
        const std::uint64_t bit = 1ull << (pointers.size() + 1);
        pointers.push_back({p, role, bit});
        for (auto r : parameterReads(k, p))
            for (auto d : k.defs(k.instructions[r]))
                seeds.emplace_back(d, bit);
    }

    std::vector<std::uint32_t> mReads;
    // The dim:M parameter must bound the rows; reported on every path out of this function.
    auto checkM = [&] {
        if (mParam != kNoId) {
            const auto& m = k.symbols[mParam];
            if (mReads.empty()) {
                Finding& f = sink.report(*unit.source, k.name, m.declaration,
                                         fmt::format("dimension parameter '{}' (dim:M) is never "
                                                     "loaded: rows past M are not guarded",
                                                     c.displayName(m.name)));
                f.severity = Severity::Warning;
            } else {
                bool used = false;
                for (auto r : mReads)
                    for (auto d : k.defs(k.instructions[r]))
                        used |= !flow.usesOf(d).empty();
                if (!used) {
                    Finding& f =
                        sink.report(*unit.source, k.name, k.instructions[mReads[0]].range,
                                    fmt::format("dimension parameter '{}' (dim:M) is loaded "
                                                "but never used",
                                                c.displayName(m.name)));
                    f.severity = Severity::Warning;
                }
            }
        }
    };

    // Decide the batch walk: declared, or grid.y when %ctaid.y is read, else a loop over M.
    const auto axisReg = k.findSpecial(SpecialKind::Ctaid, axisComponent(c.batchAxis));
    const bool axisRead = axisReg != kNoId && !flow.usesOf(axisReg).empty();
    std::vector<std::uint64_t> mTaint(k.registers.size(), 0);
    if (mParam != kNoId) {
        mReads = parameterReads(k, mParam);
        std::vector<std::pair<std::uint32_t, std::uint64_t>> mSeeds;
        for (auto r : mReads)
            for (auto d : k.defs(k.instructions[r]))
                mSeeds.emplace_back(d, 1);
        mTaint = flow.propagate(mSeeds);
    }
    const bool loopDesign =
        c.batchAxis == BatchAxis::Loop || (!c.batchAxisDeclared && !axisRead && mParam != kNoId);

    std::string indexName;
    ptx::SourceRange indexRange{};
    if (loopDesign) {
        const auto loops = findBatchLoops(flow, mTaint);
        // Kernels specialise the batch walk by M (a tile of 1, 2, 4 or 8 rows, each its own
        // loop): every loop bounded by M is a batch walk, and a pointer is batch-indexed when
        // any of them reaches its address. Paths specialised for one M (under "m == 1") read
        // fixed rows legitimately and are covered by parity at that M.
        const BatchLoop* chosen = nullptr;
        for (const auto& l : loops) {
            if (!l.boundIsM || l.indexRegisters.empty()) continue;
            if (!chosen) chosen = &l;
            for (auto r : l.indexRegisters)
                seeds.emplace_back(r, kIndexBit);
        }
        if (!chosen) {
            const bool declared = c.batchAxis == BatchAxis::Loop && c.batchAxisDeclared;
            const auto range =
                loops.empty() || !declared ? k.declaration : k.instructions[loops[0].branch].range;
            Finding& f = sink.report(
                *unit.source, k.name, range,
                !declared ? std::string("batched kernel never reads %ctaid.y and has no loop "
                                        "bounded by M: every batch row computes row 0")
                : loops.empty()
                    ? std::string(
                          "batched kernel declares a batch loop but has no loop bounded by M")
                    : std::string("batch loop is not bounded by M"));
            if (mParam != kNoId)
                FindingSink::relate(f, *unit.source, k.symbols[mParam].declaration,
                                    fmt::format("'{}' (dim:M) declared here",
                                                c.displayName(k.symbols[mParam].name)));
            checkM();
            return;
        }
        indexName = fmt::format("batch loop index {}", k.registers[chosen->indexRegisters[0]].name);
        indexRange = k.instructions[chosen->branch].range;
    } else {
        if (!axisRead) {
            Finding& f = sink.report(
                *unit.source, k.name, k.declaration,
                fmt::format("batched kernel never reads %ctaid.{}: every batch row computes row 0",
                            "xyz"[axisComponent(c.batchAxis) - 1]));
            if (mParam != kNoId)
                FindingSink::relate(f, *unit.source, k.symbols[mParam].declaration,
                                    fmt::format("'{}' (dim:M) declared here",
                                                c.displayName(k.symbols[mParam].name)));
            checkM();
            return;
        }
        seeds.emplace_back(axisReg, kIndexBit);
        indexName = fmt::format("batch row index %ctaid.{}", "xyz"[axisComponent(c.batchAxis) - 1]);
        indexRange = k.instructions[flow.usesOf(axisReg)[0]].range;
    }

    const auto taint = flow.propagate(seeds);
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (in.space != MemorySpace::Global && in.space != MemorySpace::Generic) continue;
        for (const auto& a : k.addressesOf(in)) {
            const auto mask = flow.addressMask(taint, a);
            for (auto& p : pointers) {
                if (!(mask & p.bit)) continue;
                if (p.firstAccess == kNoId) p.firstAccess = i;
                if ((mask & kIndexBit) && p.indexedAccess == kNoId) p.indexedAccess = i;
            }
        }
    }

    if (rolesKnown) {
        for (const auto& p : pointers) {
            if (p.firstAccess == kNoId || p.indexedAccess != kNoId) continue;
            const auto word = roleWord(p.role);
            Finding& f = sink.report(
                *unit.source, k.name, k.instructions[p.firstAccess].range,
                fmt::format("{} does not reach the address of {} '{}': every batch row {} row 0",
                            indexName, word, c.displayName(k.symbols[p.symbol].name),
                            word == "output" ? "writes" : "reads"));
            FindingSink::relate(f, *unit.source, indexRange,
                                loopDesign ? "batch loop tested here"
                                           : "batch row index read here");
            FindingSink::relate(f, *unit.source, k.symbols[p.symbol].declaration,
                                fmt::format("{} parameter '{}' declared here", word,
                                            c.displayName(k.symbols[p.symbol].name)));
        }
    } else {
        // Without roles (nvcc names parameters _param_N and no manifest was given) weights and
        // inputs look alike: only a row index that reaches no pointer at all is certain.
        bool any = false;
        std::uint32_t firstAccess = kNoId;
        for (const auto& p : pointers) {
            any |= p.indexedAccess != kNoId;
            if (p.firstAccess != kNoId && firstAccess == kNoId) firstAccess = p.firstAccess;
        }
        if (!any && firstAccess != kNoId) {
            Finding& f =
                sink.report(*unit.source, k.name, k.instructions[firstAccess].range,
                            fmt::format("{} reaches no pointer parameter's address", indexName));
            FindingSink::relate(f, *unit.source, indexRange, "batch row index read here");
        }
    }

    checkM();
}

} // namespace ptxwb::analysis
