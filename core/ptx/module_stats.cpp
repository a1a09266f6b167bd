#include "ptx/module_stats.h"

#include "ptx/control_flow.h"

#include <algorithm>

namespace ptxwb::ptx {

std::uint64_t variableBytes(const Module& m, const Variable& v) {
    std::uint64_t bytes = (typeBits(v.type) + 7) / 8 * (v.vectorWidth ? v.vectorWidth : 1);
    for (std::uint32_t d = 0; d < v.dimensionCount; ++d)
        bytes *= m.dimensions[v.firstDimension + d];
    return bytes;
}

ModuleStats computeStats(const Module& m) {
    ModuleStats stats;
    for (const TopLevelItem& item : m.items) {
        if (item.kind != TopLevelKind::Variable) continue;
        const Variable& v = m.variables[item.index];
        Keyword space = baseStateSpace(v.space);
        std::uint64_t bytes = variableBytes(m, v);
        if (space == Keyword::SpaceGlobal)
            stats.globalBytes += bytes;
        else if (space == Keyword::SpaceShared) {
            stats.sharedBytes += bytes;
            if (v.linkage & kLinkExtern) stats.hasDynamicShared = true;
        } else if (space == Keyword::SpaceConst)
            stats.constBytes += bytes;
    }
    for (std::uint32_t fi = 0; fi < m.functions.size(); ++fi) {
        const Function& f = m.functions[fi];
        FunctionStats fs;
        fs.name = std::string(m.text(f.name));
        fs.isEntry = f.isEntry;
        fs.hasBody = f.hasBody;
        for (const Variable& p : m.paramsOf(f))
            fs.paramBytes += variableBytes(m, p);
        for (const Statement& s : m.bodyOf(f)) {
            if (s.kind == StatementKind::Variable) {
                const Variable& v = m.variables[s.index];
                Keyword space = baseStateSpace(v.space);
                if (space == Keyword::SpaceReg) {
                    std::string type = "." + std::string(keywordSpelling(v.type));
                    fs.registersByType[type] += v.isRange ? v.rangeCount : 1;
                } else if (space == Keyword::SpaceShared)
                    fs.sharedBytes += variableBytes(m, v);
                else if (space == Keyword::SpaceLocal)
                    fs.localBytes += variableBytes(m, v);
                else if (space == Keyword::SpaceConst)
                    fs.constBytes += variableBytes(m, v);
                continue;
            }
            if (s.kind != StatementKind::Instruction) continue;
            const Instruction& inst = m.instructions[s.index];
            ++fs.instructions;
            ++fs.byClass[static_cast<std::size_t>(opcodeClass(inst.opcode))];
            ++fs.byOpcode[std::string(m.text(inst.opcodeText))];
            if (inst.opcode == Opcode::Call) {
                ++fs.calls;
                // The callee is the first operand that is not a return list.
                for (const Operand& o : m.operandsOf(inst)) {
                    if (o.kind == OperandKind::List) continue;
                    if (o.kind == OperandKind::Symbol) fs.callees.emplace_back(m.text(o.name));
                    break;
                }
            }
        }
        std::sort(fs.callees.begin(), fs.callees.end());
        fs.callees.erase(std::unique(fs.callees.begin(), fs.callees.end()), fs.callees.end());
        if (f.hasBody) fs.basicBlocks = countBasicBlocks(m, fi);
        stats.instructions += fs.instructions;
        stats.functions.push_back(std::move(fs));
    }
    return stats;
}

} // namespace ptxwb::ptx
