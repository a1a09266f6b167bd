#include "ptx/def_use.h"

#include <algorithm>

namespace ptxwb::ptx {

OperandRole operandRole(const Module& m, const Instruction& inst, unsigned position) {
    if (position != 0) {
        // setp/shfl/... write a second destination through a|b pairs only (handled as position
        // 0); wmma.mma/mma read their accumulator as a later operand.
        return OperandRole::Use;
    }
    switch (inst.opcode) {
    case Opcode::St:
    case Opcode::StAsync:
    case Opcode::StBulk:
    case Opcode::Red:
    case Opcode::RedAsync:
    case Opcode::Sust:
    case Opcode::Sured:
    case Opcode::Bra:
    case Opcode::BrxIdx:
    case Opcode::Call:
    case Opcode::Ret:
    case Opcode::Exit:
    case Opcode::Trap:
    case Opcode::Bar:
    case Opcode::BarWarpSync:
    case Opcode::Barrier:
    case Opcode::Membar:
    case Opcode::Fence:
    case Opcode::Prefetch:
    case Opcode::Prefetchu:
    case Opcode::CpAsync:
    case Opcode::CpAsyncBulk:
    case Opcode::CpAsyncBulkTensor:
    case Opcode::CpAsyncBulkPrefetch:
    case Opcode::CpAsyncBulkPrefetchTensor:
    case Opcode::CpReduceAsyncBulk:
    case Opcode::CpReduceAsyncBulkTensor:
    case Opcode::CpAsyncWaitGroup:
    case Opcode::CpAsyncBulkWaitGroup:
    case Opcode::CpAsyncMbarrierArrive:
    case Opcode::WmmaStore:
    case Opcode::Stmatrix:
    case Opcode::TensormapReplace:
    case Opcode::TensormapCpFenceproxy:
    case Opcode::Nanosleep:
    case Opcode::Pmevent:
    case Opcode::Setmaxnreg:
    case Opcode::Applypriority:
    case Opcode::Discard:
    case Opcode::WgmmaWaitGroup:
    case Opcode::Griddepcontrol:
    case Opcode::Stackrestore:
        return OperandRole::Use;
    case Opcode::WgmmaMmaAsync:
        return OperandRole::DefUse; // accumulator updated in place
    case Opcode::Multimem:
        return hasModifier(m, inst, Keyword::ModLd) ? OperandRole::Def : OperandRole::Use;
    default: {
        if (inst.operandCount == 0) return OperandRole::Use;
        const Operand& first = m.operands[inst.firstOperand];
        return first.kind == OperandKind::Address ? OperandRole::Use : OperandRole::Def;
    }
    }
}

namespace {

void collect(const Module& m, const FunctionSymbols& sym, std::uint32_t operand, std::uint32_t inst,
             bool def, std::vector<RegisterAccess>& out) {
    const Operand& o = m.operands[operand];
    switch (o.kind) {
    case OperandKind::Register:
    case OperandKind::Symbol: {
        RegisterId r = sym.registerOf(operand);
        if (r != kNoRegister) out.push_back({inst, operand, r});
        break;
    }
    case OperandKind::Address:
        if (!def)
            for (std::uint32_t c = 0; c < o.children.count; ++c)
                collect(m, sym, o.children.first + c, inst, false, out);
        break;
    case OperandKind::Vector:
    case OperandKind::Pair:
    case OperandKind::List:
        for (std::uint32_t c = 0; c < o.children.count; ++c)
            collect(m, sym, o.children.first + c, inst, def, out);
        break;
    default:
        break;
    }
}

} // namespace

DefUse::DefUse(const Module& m, const FunctionSymbols& sym, const ControlFlowGraph& cfg)
    : module_(m), symbols_(sym), cfg_(cfg) {
    auto order = cfg.instructions();
    accessBegin_.reserve(order.size() + 1);
    useBegin_.reserve(order.size());
    std::vector<RegisterAccess> uses;
    for (std::uint32_t idx : order) {
        const Instruction& inst = m.instructions[idx];
        accessBegin_.push_back(static_cast<std::uint32_t>(accesses_.size()));
        uses.clear();
        for (unsigned p = 0; p < inst.operandCount; ++p) {
            OperandRole role = operandRole(m, inst, p);
            std::uint32_t op = inst.firstOperand + p;
            if (role != OperandRole::Use) collect(m, sym, op, idx, true, accesses_);
            if (role != OperandRole::Def)
                collect(m, sym, op, idx, false, uses);
            else if (m.operands[op].kind == OperandKind::Address)
                collect(m, sym, op, idx, false, uses);
        }
        if (inst.guard != kNoIndex) collect(m, sym, inst.guard, idx, false, uses);
        useBegin_.push_back(static_cast<std::uint32_t>(accesses_.size()));
        accesses_.insert(accesses_.end(), uses.begin(), uses.end());
    }
    accessBegin_.push_back(static_cast<std::uint32_t>(accesses_.size()));

    // Group by register (counting sort keeps program order).
    std::uint32_t regs = sym.registerCount();
    regDefBegin_.assign(regs + 1, 0);
    regUseBegin_.assign(regs + 1, 0);
    for (std::size_t p = 0; p < order.size(); ++p) {
        for (std::uint32_t a = accessBegin_[p]; a < useBegin_[p]; ++a)
            ++regDefBegin_[accesses_[a].reg + 1];
        for (std::uint32_t a = useBegin_[p]; a < accessBegin_[p + 1]; ++a)
            ++regUseBegin_[accesses_[a].reg + 1];
    }
    for (std::uint32_t r = 0; r < regs; ++r) {
        regDefBegin_[r + 1] += regDefBegin_[r];
        regUseBegin_[r + 1] += regUseBegin_[r];
    }
    byRegDefs_.resize(regDefBegin_[regs]);
    byRegUses_.resize(regUseBegin_[regs]);
    std::vector<std::uint32_t> dn(regDefBegin_.begin(), regDefBegin_.end() - 1);
    std::vector<std::uint32_t> un(regUseBegin_.begin(), regUseBegin_.end() - 1);
    for (std::size_t p = 0; p < order.size(); ++p) {
        for (std::uint32_t a = accessBegin_[p]; a < useBegin_[p]; ++a)
            byRegDefs_[dn[accesses_[a].reg]++] = accesses_[a];
        for (std::uint32_t a = useBegin_[p]; a < accessBegin_[p + 1]; ++a)
            byRegUses_[un[accesses_[a].reg]++] = accesses_[a];
    }
}

std::span<const RegisterAccess> DefUse::definitionsBy(std::uint32_t instruction) const {
    std::uint32_t p = cfg_.positionOf(instruction);
    if (p == kNoIndex) return {};
    return {accesses_.data() + accessBegin_[p], useBegin_[p] - accessBegin_[p]};
}
std::span<const RegisterAccess> DefUse::usesBy(std::uint32_t instruction) const {
    std::uint32_t p = cfg_.positionOf(instruction);
    if (p == kNoIndex) return {};
    return {accesses_.data() + useBegin_[p], accessBegin_[p + 1] - useBegin_[p]};
}
std::span<const RegisterAccess> DefUse::definitionsOf(RegisterId reg) const {
    if (reg >= symbols_.registerCount()) return {};
    return {byRegDefs_.data() + regDefBegin_[reg], regDefBegin_[reg + 1] - regDefBegin_[reg]};
}
std::span<const RegisterAccess> DefUse::usesOf(RegisterId reg) const {
    if (reg >= symbols_.registerCount()) return {};
    return {byRegUses_.data() + regUseBegin_[reg], regUseBegin_[reg + 1] - regUseBegin_[reg]};
}

bool DefUse::defines(std::uint32_t position, RegisterId reg) const {
    for (std::uint32_t a = accessBegin_[position]; a < useBegin_[position]; ++a)
        if (accesses_[a].reg == reg) return true;
    return false;
}

ReachingDefinitions DefUse::reachingDefinitions(std::uint32_t instruction, RegisterId reg) const {
    ReachingDefinitions result;
    std::uint32_t pos = cfg_.positionOf(instruction);
    if (pos == kNoIndex || reg >= symbols_.registerCount()) return result;
    auto order = cfg_.instructions();
    // Walks a block backwards from `end` (exclusive); true if an unguarded definition kills.
    auto scan = [&](BlockId b, std::uint32_t end) {
        std::uint32_t begin = cfg_.blocks()[b].firstInstruction;
        for (std::uint32_t p = end; p > begin; --p) {
            if (!defines(p - 1, reg)) continue;
            result.definitions.push_back(order[p - 1]);
            if (module_.instructions[order[p - 1]].guard == kNoIndex) return true;
        }
        return false;
    };
    BlockId start = cfg_.blockOf(instruction);
    std::vector<char> visited(cfg_.blocks().size(), 0);
    std::vector<BlockId> work;
    if (!scan(start, pos)) {
        if (start == 0) result.mayBeUndefined = true;
        for (BlockId p : cfg_.predecessors(start))
            work.push_back(p);
    }
    while (!work.empty()) {
        BlockId b = work.back();
        work.pop_back();
        if (visited[b]) continue;
        visited[b] = 1;
        const BasicBlock& block = cfg_.blocks()[b];
        if (scan(b, block.firstInstruction + block.instructionCount)) continue;
        if (b == 0) result.mayBeUndefined = true;
        for (BlockId p : cfg_.predecessors(b))
            work.push_back(p);
    }
    std::sort(result.definitions.begin(), result.definitions.end());
    result.definitions.erase(std::unique(result.definitions.begin(), result.definitions.end()),
                             result.definitions.end());
    return result;
}

ReachingDefinitions DefUse::reachingDefinitionsOfOperand(std::uint32_t instruction,
                                                         std::uint32_t operandIndex) const {
    return reachingDefinitions(instruction, symbols_.registerOf(operandIndex));
}

} // namespace ptxwb::ptx
