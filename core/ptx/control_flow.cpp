#include "ptx/control_flow.h"

#include <algorithm>

namespace ptxwb::ptx {

namespace {

bool endsBlock(Opcode op) {
    return op == Opcode::Bra || op == Opcode::BrxIdx || op == Opcode::Ret || op == Opcode::Exit ||
           op == Opcode::Trap;
}

} // namespace

std::uint32_t countBasicBlocks(const Module& m, std::uint32_t functionIndex) {
    // Mirrors pass 1 of the ControlFlowGraph constructor.
    std::uint32_t blocks = 1, inBlock = 0;
    bool startNew = false;
    for (const Statement& s : m.bodyOf(m.functions[functionIndex])) {
        if (s.kind == StatementKind::Label) {
            if (inBlock > 0 || startNew) {
                ++blocks;
                inBlock = 0;
                startNew = false;
            }
            continue;
        }
        if (s.kind != StatementKind::Instruction) continue;
        if (startNew) {
            ++blocks;
            inBlock = 0;
            startNew = false;
        }
        ++inBlock;
        startNew = endsBlock(m.instructions[s.index].opcode);
    }
    return blocks;
}

ControlFlowGraph::ControlFlowGraph(const Module& m, const FunctionSymbols& symbols) {
    const Function& f = m.functions[symbols.functionIndex()];
    std::vector<std::pair<std::uint32_t, BlockId>> labelBlocks; // label index → block
    // Pass 1: split into blocks.
    blocks_.push_back(BasicBlock{});
    bool startNew = false;
    for (const Statement& s : m.bodyOf(f)) {
        if (s.kind == StatementKind::Label) {
            if (blocks_.back().instructionCount > 0 || startNew) {
                BasicBlock b;
                b.firstInstruction = static_cast<std::uint32_t>(order_.size());
                blocks_.push_back(b);
                startNew = false;
            }
            if (blocks_.back().label == kNoIndex) blocks_.back().label = s.index;
            labelBlocks.emplace_back(s.index, static_cast<BlockId>(blocks_.size() - 1));
            continue;
        }
        if (s.kind != StatementKind::Instruction) continue;
        if (startNew) {
            BasicBlock b;
            b.firstInstruction = static_cast<std::uint32_t>(order_.size());
            blocks_.push_back(b);
            startNew = false;
        }
        order_.push_back(s.index);
        ++blocks_.back().instructionCount;
        if (endsBlock(m.instructions[s.index].opcode)) startNew = true;
    }
    std::sort(labelBlocks.begin(), labelBlocks.end());
    auto blockOfLabelIndex = [&](std::uint32_t label) -> BlockId {
        auto it = std::lower_bound(labelBlocks.begin(), labelBlocks.end(),
                                   std::make_pair(label, BlockId{0}));
        return it != labelBlocks.end() && it->first == label ? it->second : kNoIndex;
    };

    // Pass 2: edges.
    std::vector<std::vector<BlockId>> succ(blocks_.size());
    for (BlockId b = 0; b < blocks_.size(); ++b) {
        BasicBlock& block = blocks_[b];
        bool fallsThrough = true;
        if (block.instructionCount > 0) {
            const Instruction& last =
                m.instructions[order_[block.firstInstruction + block.instructionCount - 1]];
            bool guarded = last.guard != kNoIndex;
            auto addTarget = [&](std::uint32_t operandIndex) {
                Binding t = symbols.binding(operandIndex);
                if (t.kind == BindingKind::Label) {
                    BlockId target = blockOfLabelIndex(t.id);
                    if (target != kNoIndex) succ[b].push_back(target);
                }
            };
            switch (last.opcode) {
            case Opcode::Bra:
                if (last.operandCount > 0) addTarget(last.firstOperand);
                fallsThrough = guarded;
                break;
            case Opcode::BrxIdx:
                if (last.operandCount > 1) {
                    Binding t = symbols.binding(last.firstOperand + 1);
                    if (t.kind == BindingKind::TargetList) {
                        const TargetList& list = m.targetLists[t.id];
                        for (std::uint32_t i = 0; i < list.targetCount; ++i)
                            addTarget(list.firstTarget + i);
                    }
                }
                fallsThrough = guarded;
                break;
            case Opcode::Ret:
            case Opcode::Exit:
            case Opcode::Trap:
                fallsThrough = guarded;
                block.exits = !guarded;
                break;
            default:
                break;
            }
        }
        if (fallsThrough) {
            if (b + 1 < blocks_.size())
                succ[b].push_back(b + 1);
            else
                block.exits = true;
        }
        std::sort(succ[b].begin(), succ[b].end());
        succ[b].erase(std::unique(succ[b].begin(), succ[b].end()), succ[b].end());
    }
    std::vector<std::vector<BlockId>> pred(blocks_.size());
    for (BlockId b = 0; b < blocks_.size(); ++b) {
        blocks_[b].firstSuccessor = static_cast<std::uint32_t>(edges_.size());
        blocks_[b].successorCount = static_cast<std::uint32_t>(succ[b].size());
        for (BlockId s : succ[b]) {
            edges_.push_back(s);
            pred[s].push_back(b);
        }
    }
    for (BlockId b = 0; b < blocks_.size(); ++b) {
        blocks_[b].firstPredecessor = static_cast<std::uint32_t>(preds_.size());
        blocks_[b].predecessorCount = static_cast<std::uint32_t>(pred[b].size());
        preds_.insert(preds_.end(), pred[b].begin(), pred[b].end());
    }
    blockOfPosition_.resize(order_.size());
    for (BlockId b = 0; b < blocks_.size(); ++b)
        for (std::uint32_t i = 0; i < blocks_[b].instructionCount; ++i)
            blockOfPosition_[blocks_[b].firstInstruction + i] = b;
    firstInstruction_ = order_.empty() ? 0 : order_.front();
}

std::uint32_t ControlFlowGraph::positionOf(std::uint32_t instruction) const {
    // Instructions of a function are numbered consecutively by the parser.
    if (order_.empty() || instruction < firstInstruction_) return kNoIndex;
    std::uint32_t pos = instruction - firstInstruction_;
    return pos < order_.size() && order_[pos] == instruction ? pos : kNoIndex;
}

BlockId ControlFlowGraph::blockOf(std::uint32_t instruction) const {
    std::uint32_t pos = positionOf(instruction);
    return pos == kNoIndex ? kNoIndex : blockOfPosition_[pos];
}

} // namespace ptxwb::ptx
