#include "analysis/dataflow.h"

#include <algorithm>

namespace ptxwb::analysis {
namespace {

/// Working arrays of the passes below, kept per thread: a module of 27,000 small kernels
/// otherwise spends more time allocating and freeing them than computing.
struct Scratch {
    std::vector<std::uint8_t> flags;
    std::vector<std::uint32_t> a, b, c, d;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;
    std::vector<std::uint64_t> w1, w2, w3, w4;
};

Scratch& scratch() {
    static thread_local Scratch s;
    return s;
}

/// `v` resized to `n` elements of `value`, keeping its capacity.
template <typename T>
std::vector<T>& reset(std::vector<T>& v, std::size_t n, T value) {
    v.assign(n, value);
    return v;
}

} // namespace

KernelDataflow::KernelDataflow(const KernelIR& kernel) : k_(kernel) {
    build();
}

KernelDataflow::KernelDataflow(const KernelIR& kernel, KernelDataflow&& recycled) : k_(kernel) {
    auto take = [](auto& mine, auto& theirs) {
        mine = std::move(theirs);
        mine.clear();
        theirs.clear();
    };
    take(blocks_, recycled.blocks_);
    take(successorList_, recycled.successorList_);
    take(predecessorList_, recycled.predecessorList_);
    take(blockOfInst_, recycled.blockOfInst_);
    take(rpo_, recycled.rpo_);
    take(rpoIndex_, recycled.rpoIndex_);
    take(idom_, recycled.idom_);
    take(ipdom_, recycled.ipdom_);
    take(postOrderIndex_, recycled.postOrderIndex_);
    take(loops_, recycled.loops_);
    take(defStart_, recycled.defStart_);
    take(defList_, recycled.defList_);
    take(useStart_, recycled.useStart_);
    take(useList_, recycled.useList_);
    take(multiDefIndex_, recycled.multiDefIndex_);
    take(multiDefSite_, recycled.multiDefSite_);
    take(multiDefReg_, recycled.multiDefReg_);
    take(firstBitOfReg_, recycled.firstBitOfReg_);
    take(reachIn_, recycled.reachIn_);
    take(domPre_, recycled.domPre_);
    take(domPost_, recycled.domPost_);
    take(writtenStamp_, recycled.writtenStamp_);
    build();
}

void KernelDataflow::build() {
    buildBlocks();
    computeOrder();
    computeDominators();
    computePostDominators();
    findLoops();
    indexDefinitions();
    computeReachingDefinitions();
}

void KernelDataflow::buildBlocks() {
    const auto& insts = k_.instructions;
    const auto n = static_cast<std::uint32_t>(insts.size());
    Scratch& tmp = scratch();
    auto& leader = reset<std::uint8_t>(tmp.flags, n + 1, 0);
    leader[0] = 1;
    for (std::uint32_t i = 0; i < n; ++i) {
        const auto& in = insts[i];
        if (in.branchTarget != kNoId) leader[in.branchTarget] = 1;
        if (in.has(kInstBranch) || in.has(kInstReturn)) leader[i + 1] = 1;
    }
    blockOfInst_.assign(n, 0);
    for (std::uint32_t i = 0; i < n;) {
        BasicBlock b;
        b.first = i;
        do {
            blockOfInst_[i] = static_cast<std::uint32_t>(blocks_.size());
            ++i;
        } while (i < n && !leader[i]);
        b.end = i;
        blocks_.push_back(std::move(b));
    }
    if (blocks_.empty()) blocks_.push_back(BasicBlock{}); // an empty body still has an entry
    const auto nb = static_cast<std::uint32_t>(blocks_.size());
    auto& succStart = reset<std::uint32_t>(tmp.a, nb + 1, 0);
    successorList_.clear();
    for (std::uint32_t b = 0; b < nb; ++b) {
        auto& blk = blocks_[b];
        succStart[b] = static_cast<std::uint32_t>(successorList_.size());
        if (blk.end == blk.first) continue;
        const auto& last = insts[blk.end - 1];
        auto addEdge = [&](std::uint32_t to) {
            if (std::find(successorList_.begin() + succStart[b], successorList_.end(), to) ==
                successorList_.end())
                successorList_.push_back(to);
        };
        const bool unconditional = last.has(kInstUnconditional);
        if (last.has(kInstBranch)) {
            if (last.branchTarget != kNoId && last.branchTarget < n)
                addEdge(blockOfInst_[last.branchTarget]);
            else if (last.opcode == ptx::Opcode::BrxIdx) // indirect: any label may follow
                for (std::uint32_t t = 0; t < n; ++t)
                    if (t > 0 && blockOfInst_[t] != blockOfInst_[t - 1]) addEdge(blockOfInst_[t]);
        }
        const bool fallsThrough =
            !(unconditional && (last.has(kInstBranch) || last.has(kInstReturn)));
        if (fallsThrough && blk.end < n) addEdge(blockOfInst_[blk.end]);
    }
    succStart[nb] = static_cast<std::uint32_t>(successorList_.size());
    // Predecessors in CSR form: count, prefix-sum, fill (in increasing block order).
    auto& predStart = reset<std::uint32_t>(tmp.b, nb + 1, 0);
    for (auto s : successorList_)
        ++predStart[s + 1];
    for (std::uint32_t b = 0; b < nb; ++b)
        predStart[b + 1] += predStart[b];
    predecessorList_.assign(successorList_.size(), 0);
    auto& fill = tmp.c;
    fill.assign(predStart.begin(), predStart.end() - 1);
    for (std::uint32_t b = 0; b < nb; ++b)
        for (auto i = succStart[b]; i < succStart[b + 1]; ++i)
            predecessorList_[fill[successorList_[i]]++] = b;
    for (std::uint32_t b = 0; b < nb; ++b) {
        blocks_[b].successors = {successorList_.data() + succStart[b],
                                 succStart[b + 1] - succStart[b]};
        blocks_[b].predecessors = {predecessorList_.data() + predStart[b],
                                   predStart[b + 1] - predStart[b]};
    }
}

void KernelDataflow::computeOrder() {
    const auto nb = static_cast<std::uint32_t>(blocks_.size());
    Scratch& tmp = scratch();
    auto& post = tmp.a;
    post.clear();
    auto& state = reset<std::uint8_t>(tmp.flags, nb, 0);
    auto& stack = tmp.stack;
    stack.assign(1, {0, 0});
    state[0] = 1;
    while (!stack.empty()) { // iterative DFS: kernels can have tens of thousands of blocks
        auto& [b, next] = stack.back();
        if (next < blocks_[b].successors.size()) {
            const auto s = blocks_[b].successors[next++];
            if (state[s] == 0) {
                state[s] = 1;
                stack.emplace_back(s, 0);
            }
        } else {
            post.push_back(b);
            stack.pop_back();
        }
    }
    rpo_.assign(post.rbegin(), post.rend());
    rpoIndex_.assign(nb, kNoId);
    for (std::uint32_t i = 0; i < rpo_.size(); ++i)
        rpoIndex_[rpo_[i]] = i;
}

void KernelDataflow::computeDominators() {
    const auto nb = static_cast<std::uint32_t>(blocks_.size());
    idom_.assign(nb, kNoId);
    idom_[0] = 0;
    auto intersect = [&](std::uint32_t a, std::uint32_t b) {
        while (a != b) {
            while (rpoIndex_[a] > rpoIndex_[b])
                a = idom_[a];
            while (rpoIndex_[b] > rpoIndex_[a])
                b = idom_[b];
        }
        return a;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 1; i < rpo_.size(); ++i) {
            const auto b = rpo_[i];
            std::uint32_t nd = kNoId;
            for (auto p : blocks_[b].predecessors) {
                if (idom_[p] == kNoId) continue;
                nd = nd == kNoId ? p : intersect(p, nd);
            }
            if (nd != idom_[b]) {
                idom_[b] = nd;
                changed = true;
            }
        }
    }
    // Pre/post numbers of the dominator tree make dominates() O(1).
    // Children lists in CSR form (in reverse post-order within each parent).
    const auto nb2 = static_cast<std::uint32_t>(blocks_.size());
    Scratch& tmp = scratch();
    auto& childStart = reset<std::uint32_t>(tmp.a, nb2 + 1, 0);
    for (auto b : rpo_)
        if (b != 0 && idom_[b] != kNoId) ++childStart[idom_[b] + 1];
    for (std::uint32_t b = 0; b < nb2; ++b)
        childStart[b + 1] += childStart[b];
    auto& children = reset<std::uint32_t>(tmp.b, childStart[nb2], 0);
    auto& childFill = tmp.c;
    childFill.assign(childStart.begin(), childStart.end() - 1);
    for (auto b : rpo_)
        if (b != 0 && idom_[b] != kNoId) children[childFill[idom_[b]]++] = b;
    domPre_.assign(nb2, 0);
    domPost_.assign(nb2, 0);
    std::uint32_t counter = 0;
    auto& stack = tmp.stack;
    stack.assign(1, {0, 0});
    domPre_[0] = counter++;
    while (!stack.empty()) {
        auto& [b, next] = stack.back();
        if (next < childStart[b + 1] - childStart[b]) {
            const auto c = children[childStart[b] + next++];
            domPre_[c] = counter++;
            stack.emplace_back(c, 0);
        } else {
            domPost_[b] = counter++;
            stack.pop_back();
        }
    }
}

void KernelDataflow::computePostDominators() {
    // Reverse CFG with a virtual exit (index nb) that every returning or dead-end block feeds.
    const auto nb = static_cast<std::uint32_t>(blocks_.size());
    const std::uint32_t exitNode = nb;
    // Successors in the reverse graph, CSR form: a block's CFG predecessors in increasing
    // order, and for the exit every block without successors.
    Scratch& tmp = scratch();
    auto& rStart = reset<std::uint32_t>(tmp.a, nb + 2, 0);
    for (std::uint32_t b = 0; b < nb; ++b) {
        if (blocks_[b].successors.empty()) ++rStart[exitNode + 1];
        for (auto s : blocks_[b].successors)
            ++rStart[s + 1];
    }
    for (std::uint32_t b = 0; b <= nb; ++b)
        rStart[b + 1] += rStart[b];
    auto& rsucc = reset<std::uint32_t>(tmp.b, rStart[nb + 1], 0);
    auto& rFill = tmp.c;
    rFill.assign(rStart.begin(), rStart.end() - 1);
    for (std::uint32_t b = 0; b < nb; ++b) {
        if (blocks_[b].successors.empty()) rsucc[rFill[exitNode]++] = b;
        for (auto s : blocks_[b].successors)
            rsucc[rFill[s]++] = b;
    }
    auto& post = tmp.d;
    post.clear();
    auto& seen = reset<std::uint8_t>(tmp.flags, nb + 1, 0);
    auto& stack = tmp.stack;
    stack.assign(1, {exitNode, 0});
    seen[exitNode] = 1;
    while (!stack.empty()) {
        auto& [b, next] = stack.back();
        if (next < rStart[b + 1] - rStart[b]) {
            const auto s = rsucc[rStart[b] + next++];
            if (!seen[s]) {
                seen[s] = 1;
                stack.emplace_back(s, 0);
            }
        } else {
            post.push_back(b);
            stack.pop_back();
        }
    }
    postOrderIndex_.assign(nb + 1, kNoId);
    for (std::uint32_t i = 0; i < post.size(); ++i)
        postOrderIndex_[post[i]] = i;
    auto& ip = reset<std::uint32_t>(tmp.a, nb + 1, kNoId); // rStart is no longer needed
    ip[exitNode] = exitNode;
    auto intersect = [&](std::uint32_t a, std::uint32_t b) {
        while (a != b) {
            while (postOrderIndex_[a] < postOrderIndex_[b])
                a = ip[a];
            while (postOrderIndex_[b] < postOrderIndex_[a])
                b = ip[b];
        }
        return a;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (auto it = post.rbegin(); it != post.rend(); ++it) {
            const auto b = *it;
            if (b == exitNode) continue;
            std::uint32_t nd = kNoId;
            // Predecessors in the reverse graph are the CFG successors (or the exit).
            const auto& succ = blocks_[b].successors;
            if (succ.empty()) nd = exitNode;
            for (auto s : succ) {
                if (ip[s] == kNoId) continue;
                nd = nd == kNoId ? s : intersect(s, nd);
            }
            if (nd != ip[b]) {
                ip[b] = nd;
                changed = true;
            }
        }
    }
    ipdom_.assign(nb, kNoId);
    for (std::uint32_t b = 0; b < nb; ++b)
        ipdom_[b] = ip[b] == exitNode ? kNoId : ip[b];
}

bool KernelDataflow::dominates(std::uint32_t a, std::uint32_t b) const {
    if (!reachable(a) || !reachable(b)) return false;
    return domPre_[a] <= domPre_[b] && domPost_[b] <= domPost_[a];
}

bool KernelDataflow::maybeUndefinedAt(std::uint32_t block, std::uint32_t inst,
                                      std::uint32_t reg) const {
    if (k_.registers[reg].isSpecial()) return false;
    const auto defs = definitionsOf(reg);
    if (defs.empty()) return true;
    if (firstBitOfReg_[reg] == kNoId) {
        const auto db = blockOfInst_[defs[0]];
        // An instruction reads its operands before it writes its result (add t, t, x).
        return db == block ? defs[0] >= inst : !dominates(db, block);
    }
    const auto bit = firstBitOfReg_[reg]; // the entry pseudo-definition
    return (reachIn_[block * words_ + bit / 64] >> (bit % 64)) & 1;
}

bool KernelDataflow::postDominates(std::uint32_t a, std::uint32_t b) const {
    for (std::uint32_t x = b, steps = 0; x != kNoId && steps <= blocks_.size();
         x = ipdom_[x], ++steps)
        if (x == a) return true;
    return false;
}

std::vector<std::uint32_t> KernelDataflow::controllingBranches(std::uint32_t block) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t a = 0; a < blocks_.size(); ++a) {
        if (blocks_[a].successors.size() < 2 || !reachable(a)) continue;
        for (auto s : blocks_[a].successors) {
            bool found = false;
            for (std::uint32_t r = s, steps = 0;
                 r != kNoId && r != ipdom_[a] && steps <= blocks_.size(); r = ipdom_[r], ++steps) {
                if (r == block) {
                    found = true;
                    break;
                }
            }
            if (found) {
                out.push_back(a);
                break;
            }
        }
    }
    return out;
}

void KernelDataflow::findLoops() {
    for (auto b : rpo_) {
        for (auto h : blocks_[b].successors) {
            if (!dominates(h, b)) continue;
            NaturalLoop loop;
            loop.header = h;
            loop.latch = b;
            Scratch& tmp = scratch();
            auto& in = reset<std::uint8_t>(tmp.flags, blocks_.size(), 0);
            in[h] = 1;
            auto& work = tmp.a;
            work.clear();
            if (!in[b]) {
                in[b] = 1;
                work.push_back(b);
            }
            while (!work.empty()) {
                const auto x = work.back();
                work.pop_back();
                for (auto p : blocks_[x].predecessors)
                    if (!in[p] && reachable(p)) {
                        in[p] = 1;
                        work.push_back(p);
                    }
            }
            for (std::uint32_t x = 0; x < blocks_.size(); ++x)
                if (in[x]) loop.blocks.push_back(x);
            loops_.push_back(std::move(loop));
        }
    }
    for (auto& l : loops_) {
        l.depth = 0;
        for (const auto& outer : loops_)
            if (std::binary_search(outer.blocks.begin(), outer.blocks.end(), l.header)) ++l.depth;
    }
}

void KernelDataflow::indexDefinitions() {
    const auto nr = k_.registers.size();
    Scratch& tmp = scratch();
    auto& defCount = reset<std::uint32_t>(tmp.a, nr + 1, 0);
    auto& useCount = reset<std::uint32_t>(tmp.b, nr + 1, 0);
    for (const auto& in : k_.instructions) {
        for (auto r : k_.defs(in))
            ++defCount[r];
        for (auto r : k_.uses(in))
            ++useCount[r];
    }
    defStart_.assign(nr + 1, 0);
    useStart_.assign(nr + 1, 0);
    for (std::size_t r = 0; r < nr; ++r) {
        defStart_[r + 1] = defStart_[r] + defCount[r];
        useStart_[r + 1] = useStart_[r] + useCount[r];
    }
    defList_.assign(defStart_[nr], 0);
    useList_.assign(useStart_[nr], 0);
    auto& dfill = tmp.c;
    dfill.assign(defStart_.begin(), defStart_.end() - 1);
    auto& ufill = tmp.d;
    ufill.assign(useStart_.begin(), useStart_.end() - 1);
    for (std::uint32_t i = 0; i < k_.instructions.size(); ++i) {
        const auto& in = k_.instructions[i];
        for (auto r : k_.defs(in))
            if (dfill[r] == defStart_[r] || defList_[dfill[r] - 1] != i) defList_[dfill[r]++] = i;
        for (auto r : k_.uses(in))
            if (ufill[r] == useStart_[r] || useList_[ufill[r] - 1] != i) useList_[ufill[r]++] = i;
    }
    // Close the gaps left where an instruction named a register twice, so that a register's
    // list is exactly [start[r], start[r + 1]) (entries only move towards the front).
    auto compact = [nr](std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& list,
                        const std::vector<std::uint32_t>& fillEnd) {
        std::uint32_t to = 0;
        for (std::size_t r = 0; r < nr; ++r) {
            const auto from = start[r];
            start[r] = to;
            for (auto x = from; x < fillEnd[r]; ++x)
                list[to++] = list[x];
        }
        start[nr] = to;
        list.resize(to);
    };
    compact(defStart_, defList_, dfill);
    compact(useStart_, useList_, ufill);
}

std::span<const std::uint32_t> KernelDataflow::definitionsOf(std::uint32_t reg) const {
    return {defList_.data() + defStart_[reg], defStart_[reg + 1] - defStart_[reg]};
}

std::span<const std::uint32_t> KernelDataflow::usesOf(std::uint32_t reg) const {
    return {useList_.data() + useStart_[reg], useStart_[reg + 1] - useStart_[reg]};
}

void KernelDataflow::computeReachingDefinitions() {
    const auto nr = static_cast<std::uint32_t>(k_.registers.size());
    firstBitOfReg_.assign(nr, kNoId);
    for (std::uint32_t r = 0; r < nr; ++r) {
        const auto defs = definitionsOf(r);
        if (defs.size() < 2) continue;
        firstBitOfReg_[r] = static_cast<std::uint32_t>(multiDefSite_.size());
        multiDefSite_.push_back(kEntryDefinition);
        multiDefReg_.push_back(r);
        for (auto d : defs) {
            multiDefSite_.push_back(d);
            multiDefReg_.push_back(r);
        }
    }
    const std::size_t bits = multiDefSite_.size();
    words_ = (bits + 63) / 64;
    const auto nb = blocks_.size();
    reachIn_.assign(nb * words_, 0);
    if (bits == 0) return;
    // Transfer of a block: for each register with several writes, the last write in the block
    // replaces every earlier definition.
    Scratch& tmp = scratch();
    auto& genB = reset<std::uint64_t>(tmp.w1, nb * words_, 0);
    auto& killB = reset<std::uint64_t>(tmp.w2, nb * words_, 0);
    auto setBit = [](std::uint64_t* w, std::size_t bit) { w[bit / 64] |= 1ull << (bit % 64); };
    for (std::size_t b = 0; b < nb; ++b) {
        std::uint64_t* gen = genB.data() + b * words_;
        std::uint64_t* kill = killB.data() + b * words_;
        for (auto i = blocks_[b].first; i < blocks_[b].end; ++i) {
            for (auto r : k_.defs(k_.instructions[i])) {
                const auto first = firstBitOfReg_[r];
                if (first == kNoId) continue;
                const auto count = static_cast<std::uint32_t>(definitionsOf(r).size()) + 1;
                for (std::uint32_t x = first; x < first + count; ++x) {
                    gen[x / 64] &= ~(1ull << (x % 64));
                    setBit(kill, x);
                }
                const auto defs = definitionsOf(r);
                const auto pos = static_cast<std::uint32_t>(std::find(defs.begin(), defs.end(), i) -
                                                            defs.begin());
                setBit(gen, first + 1 + pos);
            }
        }
    }
    auto& out = reset<std::uint64_t>(tmp.w3, nb * words_, 0);
    auto& entry = reset<std::uint64_t>(tmp.w4, words_, 0);
    for (std::uint32_t r = 0; r < nr; ++r)
        if (firstBitOfReg_[r] != kNoId) setBit(entry.data(), firstBitOfReg_[r]);
    for (bool changed = true; changed;) {
        changed = false;
        for (auto b : rpo_) {
            std::uint64_t* in = reachIn_.data() + b * words_;
            if (b == 0) std::copy(entry.begin(), entry.end(), in);
            for (auto p : blocks_[b].predecessors)
                for (std::size_t w = 0; w < words_; ++w)
                    in[w] |= out[p * words_ + w];
            for (std::size_t w = 0; w < words_; ++w) {
                const std::uint64_t o = genB[b * words_ + w] | (in[w] & ~killB[b * words_ + w]);
                if (o != out[b * words_ + w]) {
                    out[b * words_ + w] = o;
                    changed = true;
                }
            }
        }
    }
}

std::vector<std::uint32_t> KernelDataflow::reachingDefinitions(std::uint32_t inst,
                                                               std::uint32_t reg) const {
    const auto defs = definitionsOf(reg);
    const auto block = blockOfInst_[inst];
    if (k_.registers[reg].isSpecial()) return {};
    if (firstBitOfReg_[reg] == kNoId) {
        if (defs.empty()) return {kEntryDefinition};
        const auto d = defs[0];
        const auto db = blockOfInst_[d];
        const bool dominated = db == block ? d < inst : dominates(db, block);
        // In the def's own block but after the use: only a loop back edge can bring it.
        if (dominated) return {d};
        return {kEntryDefinition, d};
    }
    // Start from the block's in-set and replay the block up to `inst`.
    const auto first = firstBitOfReg_[reg];
    const auto count = static_cast<std::uint32_t>(defs.size()) + 1;
    std::vector<bool> live(count, false);
    for (std::uint32_t x = 0; x < count; ++x) {
        const auto bit = first + x;
        live[x] = (reachIn_[block * words_ + bit / 64] >> (bit % 64)) & 1;
    }
    for (auto i = blocks_[block].first; i < inst; ++i) {
        for (auto r : k_.defs(k_.instructions[i])) {
            if (r != reg) continue;
            std::fill(live.begin(), live.end(), false);
            live[1 + (std::find(defs.begin(), defs.end(), i) - defs.begin())] = true;
        }
    }
    std::vector<std::uint32_t> out;
    for (std::uint32_t x = 0; x < count; ++x)
        if (live[x]) out.push_back(x == 0 ? kEntryDefinition : defs[x - 1]);
    return out;
}

std::vector<std::uint64_t>
KernelDataflow::propagate(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& seeds,
                          bool throughLoads) const {
    std::vector<std::uint64_t> mask(k_.registers.size(), 0);
    for (auto [r, m] : seeds)
        mask[r] |= m;
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& in : k_.instructions) {
            if (in.defCount == 0) continue;
            // Unless asked, a loaded value does not carry the taint of its address: rule 2 asks
            // where pointers and indices go, not what memory holds.
            const bool load = in.space != MemorySpace::None && in.opcode != ptx::Opcode::Cvta &&
                              in.opcode != ptx::Opcode::Mov;
            if (load && (!throughLoads || in.space == MemorySpace::Param)) continue;
            std::uint64_t m = 0;
            for (auto r : k_.uses(in))
                m |= mask[r];
            if (m == 0) continue;
            for (auto r : k_.defs(in)) {
                if ((mask[r] | m) != mask[r]) {
                    mask[r] |= m;
                    changed = true;
                }
            }
        }
    }
    return mask;
}

std::uint64_t KernelDataflow::addressMask(const std::vector<std::uint64_t>& taint,
                                          const IrAddress& address) const {
    return address.baseRegister == kNoId ? 0 : taint[address.baseRegister];
}

} // namespace ptxwb::analysis
