#pragma once
// Control flow and dataflow over a KernelIR: basic blocks, dominators, post-dominators, natural
// loops, reaching definitions and forward taint. Built once per kernel and shared by all rules.
//
// Reaching definitions are exact (per CFG path) for registers with several writes; a register
// written once has that write as its only definition, which is what nvcc's SSA-like output
// makes the common case, so the bit sets stay small even for very large kernels.

#include "analysis/kernel_ir.h"

#include <cstdint>
#include <span>
#include <vector>

namespace ptxwb::analysis {

/// Edges are views into flat per-kernel arrays owned by KernelDataflow (one allocation for all
/// blocks instead of two per block).
struct BasicBlock {
    std::uint32_t first = 0; ///< first instruction index
    std::uint32_t end = 0;   ///< one past the last
    std::span<const std::uint32_t> successors;
    std::span<const std::uint32_t> predecessors;
};

/// A natural loop: the header and every block of its body (header included).
struct NaturalLoop {
    std::uint32_t header = 0;
    std::uint32_t latch = 0; ///< the block with the back edge
    std::vector<std::uint32_t> blocks;
    std::uint32_t depth = 1;
};

/// Special "definition" of a register that is read before any write on some path.
inline constexpr std::uint32_t kEntryDefinition = 0xfffffffeu;

class KernelDataflow {
public:
    explicit KernelDataflow(const KernelIR& kernel);
    /// The same, built in the storage of `recycled` (left empty), which a caller analysing
    /// kernel after kernel passes to save a few dozen allocations per kernel.
    KernelDataflow(const KernelIR& kernel, KernelDataflow&& recycled);
    KernelDataflow(const KernelDataflow&) = delete; // blocks hold views into its own arrays
    KernelDataflow& operator=(const KernelDataflow&) = delete;

    [[nodiscard]] const KernelIR& kernel() const { return k_; }
    [[nodiscard]] const std::vector<BasicBlock>& blocks() const { return blocks_; }
    [[nodiscard]] std::uint32_t blockOf(std::uint32_t inst) const { return blockOfInst_[inst]; }
    [[nodiscard]] bool reachable(std::uint32_t block) const { return rpoIndex_[block] != kNoId; }
    /// Blocks in reverse post-order from the entry (unreachable blocks omitted).
    [[nodiscard]] const std::vector<std::uint32_t>& reversePostOrder() const { return rpo_; }
    /// Immediate dominator (entry: itself; unreachable: kNoId).
    [[nodiscard]] std::uint32_t idom(std::uint32_t block) const { return idom_[block]; }
    [[nodiscard]] bool dominates(std::uint32_t a, std::uint32_t b) const;
    /// Immediate post-dominator; kNoId means the virtual exit.
    [[nodiscard]] std::uint32_t ipdom(std::uint32_t block) const { return ipdom_[block]; }
    [[nodiscard]] bool postDominates(std::uint32_t a, std::uint32_t b) const;
    [[nodiscard]] const std::vector<NaturalLoop>& loops() const { return loops_; }
    /// Blocks that decide whether `block` runs: the branch blocks it is control dependent on.
    [[nodiscard]] std::vector<std::uint32_t> controllingBranches(std::uint32_t block) const;

    /// Every instruction that writes `reg`.
    [[nodiscard]] std::span<const std::uint32_t> definitionsOf(std::uint32_t reg) const;
    /// Every instruction that reads `reg`.
    [[nodiscard]] std::span<const std::uint32_t> usesOf(std::uint32_t reg) const;
    /// The writes of `reg` that reach instruction `inst` (kEntryDefinition when a path from the
    /// entry reaches it without any write).
    [[nodiscard]] std::vector<std::uint32_t> reachingDefinitions(std::uint32_t inst,
                                                                 std::uint32_t reg) const;

    /// Calls `fn(inst, reg)` for every read of a register that some path from the entry reaches
    /// without a write (special registers excluded; unreachable code skipped). One pass.
    template <typename Fn>
    void forEachMaybeUndefinedUse(Fn&& fn) const {
        writtenStamp_.assign(k_.registers.size(), kNoId);
        for (auto b : rpo_) {
            for (auto i = blocks_[b].first; i < blocks_[b].end; ++i) {
                const auto& in = k_.instructions[i];
                for (auto r : k_.uses(in))
                    if (writtenStamp_[r] != b && maybeUndefinedAt(b, i, r)) fn(i, r);
                for (auto r : k_.defs(in))
                    writtenStamp_[r] = b;
            }
        }
    }

    /// Forward taint: starting from `seeds` (register → bit mask), a register's mask is the
    /// union over the masks of the registers its defining instructions read. Flow-insensitive
    /// through registers (an over-approximation that never misses a flow). With `throughLoads`
    /// a loaded value inherits its address's mask (what a thread reads depends on where).
    [[nodiscard]] std::vector<std::uint64_t>
    propagate(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& seeds,
              bool throughLoads = false) const;
    /// Mask of an instruction's address operand `address` under a taint result.
    [[nodiscard]] std::uint64_t addressMask(const std::vector<std::uint64_t>& taint,
                                            const IrAddress& address) const;

private:
    [[nodiscard]] bool maybeUndefinedAt(std::uint32_t block, std::uint32_t inst,
                                        std::uint32_t reg) const;
    void build();
    void buildBlocks();
    void computeOrder();
    void computeDominators();
    void computePostDominators();
    void findLoops();
    void indexDefinitions();
    void computeReachingDefinitions();

    const KernelIR& k_;
    std::vector<BasicBlock> blocks_;
    std::vector<std::uint32_t> successorList_, predecessorList_; ///< storage of the block edges
    std::vector<std::uint32_t> blockOfInst_;
    std::vector<std::uint32_t> rpo_, rpoIndex_, idom_, ipdom_, postOrderIndex_;
    std::vector<NaturalLoop> loops_;
    std::vector<std::uint32_t> defStart_, defList_, useStart_, useList_;
    // Reaching definitions for registers with several writes: one bit per such write.
    std::vector<std::uint32_t> multiDefIndex_; ///< instruction-def slot → bit, per def site
    std::vector<std::uint32_t> multiDefSite_;  ///< bit → instruction
    std::vector<std::uint32_t> multiDefReg_;   ///< bit → register
    std::vector<std::uint32_t>
        firstBitOfReg_; ///< register → first bit (bits of a register are contiguous)
    std::size_t words_ = 0;
    std::vector<std::uint64_t> reachIn_;              ///< blocks × words
    std::vector<std::uint32_t> domPre_, domPost_;     ///< dominator-tree DFS intervals
    mutable std::vector<std::uint32_t> writtenStamp_; ///< block that last wrote a register (scan)
};

} // namespace ptxwb::analysis
