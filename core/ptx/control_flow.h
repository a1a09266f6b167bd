#pragma once
// Basic blocks and the control-flow graph of one function. A block starts at a label or after a
// branch; edges come from bra (guarded: also fall through), brx.idx (its .branchtargets table),
// and fall-through. ret, exit and trap (unguarded) end a path. Instruction indices are indices
// into Module::instructions.

#include "ptx/register_file.h"

#include <cstdint>
#include <span>
#include <vector>

namespace ptxwb::ptx {

using BlockId = std::uint32_t;

/// Number of basic blocks ControlFlowGraph would build for a function, without resolving names
/// (cheap enough for statistics over huge modules).
[[nodiscard]] std::uint32_t countBasicBlocks(const Module& module, std::uint32_t functionIndex);

struct BasicBlock {
    std::uint32_t label = kNoIndex;     ///< index into Module::labels of its first label, if any
    std::uint32_t firstInstruction = 0; ///< into ControlFlowGraph::instructions()
    std::uint32_t instructionCount = 0;
    std::uint32_t firstSuccessor = 0, successorCount = 0;
    std::uint32_t firstPredecessor = 0, predecessorCount = 0;
    bool exits = false; ///< ends in ret/exit/trap (or falls off the end of the body)
};

class ControlFlowGraph {
public:
    ControlFlowGraph(const Module& module, const FunctionSymbols& symbols);

    /// Block 0 is the entry block (there is always at least one, possibly empty).
    [[nodiscard]] std::span<const BasicBlock> blocks() const { return blocks_; }
    /// The instructions of a block, in order (Module::instructions indices).
    [[nodiscard]] std::span<const std::uint32_t> instructionsOf(BlockId b) const {
        return {order_.data() + blocks_[b].firstInstruction, blocks_[b].instructionCount};
    }
    [[nodiscard]] std::span<const BlockId> successors(BlockId b) const {
        return {edges_.data() + blocks_[b].firstSuccessor, blocks_[b].successorCount};
    }
    [[nodiscard]] std::span<const BlockId> predecessors(BlockId b) const {
        return {preds_.data() + blocks_[b].firstPredecessor, blocks_[b].predecessorCount};
    }
    /// Every instruction of the function in program order.
    [[nodiscard]] std::span<const std::uint32_t> instructions() const { return order_; }
    /// Block containing an instruction (Module::instructions index); kNoIndex if not in it.
    [[nodiscard]] BlockId blockOf(std::uint32_t instruction) const;
    /// Position of an instruction inside instructions() (program order), or kNoIndex.
    [[nodiscard]] std::uint32_t positionOf(std::uint32_t instruction) const;

private:
    std::vector<BasicBlock> blocks_;
    std::vector<std::uint32_t> order_;
    std::vector<BlockId> edges_;
    std::vector<BlockId> preds_;
    std::vector<BlockId> blockOfPosition_;
    std::uint32_t firstInstruction_ = 0;
};

} // namespace ptxwb::ptx
