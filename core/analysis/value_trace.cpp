#include "analysis/value_trace.h"

#include <algorithm>

namespace ptxwb::analysis {
namespace {

bool isAddressArithmetic(ptx::Opcode op) {
    return op == ptx::Opcode::Add || op == ptx::Opcode::Sub || op == ptx::Opcode::Mov ||
           op == ptx::Opcode::Cvta;
}

} // namespace

std::vector<std::uint32_t> parameterReads(const KernelIR& k, std::uint32_t param) {
    const auto index = k.symbols[param].paramIndex;
    if (index == kNoId || index >= k.paramReads.size()) return {};
    return k.paramReads[index];
}

std::vector<std::uint32_t> definitionChain(const KernelDataflow& flow, std::uint32_t inst,
                                           std::uint32_t reg, std::uint16_t minBits,
                                           std::size_t limit) {
    const KernelIR& k = flow.kernel();
    std::vector<std::uint32_t> out;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> work{{inst, reg}}; // (reader, register)
    std::vector<std::pair<std::uint32_t, std::uint32_t>> seen;
    while (!work.empty() && out.size() < limit) {
        const auto [reader, r] = work.front();
        work.erase(work.begin());
        for (auto d : flow.reachingDefinitions(reader, r)) {
            if (d == kEntryDefinition || std::find(out.begin(), out.end(), d) != out.end())
                continue;
            out.push_back(d);
            if (out.size() >= limit) break;
            for (auto u : k.uses(k.instructions[d])) {
                if (u == k.instructions[d].guard) continue;
                if (minBits != 0 && k.registers[u].bits < minBits) continue;
                if (k.registers[u].isSpecial()) continue;
                const std::pair<std::uint32_t, std::uint32_t> key{d, u};
                if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
                seen.push_back(key);
                work.push_back(key);
            }
        }
    }
    return out;
}

std::optional<std::int64_t> constantValue(const KernelDataflow& flow, std::uint32_t inst,
                                          std::uint32_t reg, unsigned depth) {
    if (depth > 8) return std::nullopt;
    const KernelIR& k = flow.kernel();
    if (k.registers[reg].isSpecial()) return std::nullopt;
    const auto defs = flow.reachingDefinitions(inst, reg);
    std::optional<std::int64_t> result;
    for (auto d : defs) {
        if (d == kEntryDefinition) return std::nullopt;
        const auto& in = k.instructions[d];
        if (in.guard != kNoId) return std::nullopt;
        const auto vals = k.valuesOf(in);
        std::optional<std::int64_t> v;
        if (in.opcode == ptx::Opcode::Mov && vals.size() == 2 &&
            vals[1].kind == IrValue::Kind::Immediate)
            v = vals[1].immediate;
        else if (in.opcode == ptx::Opcode::Mov && vals.size() == 2 &&
                 vals[1].kind == IrValue::Kind::Register)
            v = constantValue(flow, d, vals[1].id, depth + 1);
        if (!v || (result && *result != *v)) return std::nullopt;
        result = v;
    }
    return result;
}

namespace {

std::optional<ConstantAddress> resolveRegister(const KernelDataflow& flow, std::uint32_t inst,
                                               std::uint32_t reg, unsigned depth) {
    if (depth > 12) return std::nullopt;
    const KernelIR& k = flow.kernel();
    if (k.registers[reg].isSpecial()) return std::nullopt;
    std::optional<ConstantAddress> result;
    for (auto d : flow.reachingDefinitions(inst, reg)) {
        if (d == kEntryDefinition) return std::nullopt;
        const auto& in = k.instructions[d];
        if (!isAddressArithmetic(in.opcode) || in.guard != kNoId) return std::nullopt;
        const auto vals = k.valuesOf(in);
        std::optional<ConstantAddress> here;
        if ((in.opcode == ptx::Opcode::Mov || in.opcode == ptx::Opcode::Cvta) && vals.size() == 2) {
            if (vals[1].kind == IrValue::Kind::Symbol && vals[1].id != kNoId)
                here = ConstantAddress{vals[1].id, vals[1].immediate, d};
            else if (vals[1].kind == IrValue::Kind::Register)
                here = resolveRegister(flow, d, vals[1].id, depth + 1);
        } else if (vals.size() == 3 && vals[1].kind == IrValue::Kind::Register) {
            auto base = resolveRegister(flow, d, vals[1].id, depth + 1);
            std::optional<std::int64_t> c;
            if (vals[2].kind == IrValue::Kind::Immediate)
                c = vals[2].immediate;
            else if (vals[2].kind == IrValue::Kind::Register)
                c = constantValue(flow, d, vals[2].id);
            if (base && c) {
                base->offset += in.opcode == ptx::Opcode::Sub ? -*c : *c;
                here = base;
            }
        }
        if (!here) return std::nullopt;
        if (result && (result->symbol != here->symbol || result->offset != here->offset))
            return std::nullopt;
        result = here;
    }
    return result;
}

void collectSymbols(const KernelDataflow& flow, std::uint32_t inst, std::uint32_t reg,
                    std::vector<std::uint32_t>& out, std::vector<std::uint32_t>& visited,
                    bool& unknown) {
    const KernelIR& k = flow.kernel();
    for (auto d : flow.reachingDefinitions(inst, reg)) {
        if (d == kEntryDefinition) {
            unknown = true;
            continue;
        }
        if (std::find(visited.begin(), visited.end(), d) != visited.end()) continue;
        visited.push_back(d);
        if (visited.size() > 64) {
            unknown = true;
            return;
        }
        const auto& in = k.instructions[d];
        // A loaded value (a dimension, an index) is an offset, not a base: it names no symbol.
        if (in.space != MemorySpace::None && in.opcode != ptx::Opcode::Cvta) continue;
        bool any = false;
        for (const auto& v : k.valuesOf(in)) {
            if (v.isDestination) continue;
            if (v.kind == IrValue::Kind::Symbol && v.id != kNoId) {
                if (std::find(out.begin(), out.end(), v.id) == out.end()) out.push_back(v.id);
                any = true;
            } else if (v.kind == IrValue::Kind::Register && k.registers[v.id].bits >= 32 &&
                       !k.registers[v.id].isSpecial()) {
                collectSymbols(flow, d, v.id, out, visited, unknown);
                any = true;
            }
        }
        (void)any;
    }
}

} // namespace

std::optional<ConstantAddress>
resolveConstantAddress(const KernelDataflow& flow, std::uint32_t inst, const IrAddress& address) {
    if (address.baseSymbol != kNoId)
        return ConstantAddress{address.baseSymbol, address.offset, inst};
    if (address.baseRegister == kNoId) return std::nullopt;
    auto r = resolveRegister(flow, inst, address.baseRegister, 0);
    if (r) r->offset += address.offset;
    return r;
}

std::vector<std::uint32_t> addressSymbols(const KernelDataflow& flow, std::uint32_t inst,
                                          const IrAddress& address) {
    if (address.baseSymbol != kNoId) return {address.baseSymbol};
    std::vector<std::uint32_t> out, visited;
    bool unknown = false;
    if (address.baseRegister != kNoId)
        collectSymbols(flow, inst, address.baseRegister, out, visited, unknown);
    if (unknown) return {};
    return out;
}

} // namespace ptxwb::analysis
