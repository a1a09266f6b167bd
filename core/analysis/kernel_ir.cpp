#include "analysis/kernel_ir.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace ptxwb::analysis {
namespace {

using ptx::Keyword;
using ptx::Opcode;
using ptx::Operand;
using ptx::OperandKind;

/// Opcodes whose first operand is not a register result even when it looks like one.
bool hasNoDestination(const ptx::Instruction& inst, std::string_view text) {
    switch (inst.opcode) {
    case Opcode::Bra:
    case Opcode::BrxIdx:
    case Opcode::Bar:
    case Opcode::Barrier:
    case Opcode::BarWarpSync:
    case Opcode::Ret:
    case Opcode::Exit:
    case Opcode::Membar:
    case Opcode::Fence:
    case Opcode::Call:
    case Opcode::Trap:
    case Opcode::Nanosleep:
    case Opcode::Prefetch:
    case Opcode::Prefetchu:
    case Opcode::St:
    case Opcode::Red:
    case Opcode::CpAsync:
    case Opcode::CpAsyncWaitGroup:
    case Opcode::CpAsyncBulkWaitGroup:
    case Opcode::Stmatrix:
    case Opcode::WmmaStore:
        return true;
    default:
        break;
    }
    return text == "pmevent" || text == "griddepcontrol" || text == "setmaxnreg" ||
           text == "discard" || text == "applypriority";
}

MemorySpace spaceOf(Keyword k, bool& cluster) {
    if (ptx::isSharedSpace(k)) {
        cluster = k == Keyword::SpaceSharedCluster;
        return MemorySpace::Shared;
    }
    switch (ptx::baseStateSpace(k)) {
    case Keyword::SpaceGlobal:
        return MemorySpace::Global;
    case Keyword::SpaceLocal:
        return MemorySpace::Local;
    case Keyword::SpaceParam:
        return MemorySpace::Param;
    case Keyword::SpaceConst:
        return MemorySpace::Const;
    default:
        return MemorySpace::Other;
    }
}

bool touchesMemory(Opcode op) {
    switch (op) {
    case Opcode::Ld:
    case Opcode::Ldu:
    case Opcode::St:
    case Opcode::Atom:
    case Opcode::Red:
    case Opcode::Prefetch:
    case Opcode::CpAsync:
        return true;
    default:
        return false;
    }
}

SpecialKind specialKindOf(ptx::SpecialRegister r) {
    switch (r) {
    case ptx::SpecialRegister::Tid:
        return SpecialKind::Tid;
    case ptx::SpecialRegister::Ntid:
        return SpecialKind::Ntid;
    case ptx::SpecialRegister::Laneid:
        return SpecialKind::Laneid;
    case ptx::SpecialRegister::Ctaid:
        return SpecialKind::Ctaid;
    case ptx::SpecialRegister::Nctaid:
        return SpecialKind::Nctaid;
    case ptx::SpecialRegister::Unknown:
        return SpecialKind::None;
    default:
        return SpecialKind::Other;
    }
}

std::uint64_t variableBytes(const ptx::Module& m, const ptx::Variable& v) {
    std::uint64_t bytes = ptx::typeBits(v.type) / 8;
    if (v.vectorWidth > 1) bytes *= v.vectorWidth;
    for (std::uint32_t d = 0; d < v.dimensionCount; ++d) {
        const std::uint32_t idx = v.firstDimension + d;
        if (idx >= m.dimensions.size() || m.dimensions[idx] == 0) return 0; // `[]`: unknown
        bytes *= m.dimensions[idx];
    }
    return bytes;
}

/// Builds one KernelIR; holds the name tables that only live during lowering.
class Lowering {
public:
    Lowering(const ptx::Module& m, std::uint32_t fn, KernelIR& k,
             const std::vector<const ptx::Variable*>& moduleVariables)
        : m_(m), k_(k) {
        const ptx::Function& f = m.functions[fn];
        k.module = &m;
        k.functionIndex = fn;
        k.name = m.text(f.name);
        k.isEntry = f.isEntry;
        k.declaration = {f.name.offset, f.name.offset + f.name.length};
        for (const ptx::Variable* v : moduleVariables)
            addSymbol(*v);
        std::uint32_t p = 0;
        for (const auto& v : m.paramsOf(f)) {
            k.params.push_back(addSymbol(v));
            k.symbols.back().paramIndex = p++;
        }
        k.paramReads.resize(k.params.size());
    }

    void run() {
        const ptx::Function& f = m_.functions[k_.functionIndex];
        const auto body = m_.bodyOf(f);
        // Declarations first: PTX allows a register to be declared after a use in a nested
        // scope only in theory; nvcc declares all at the top, but be order-independent.
        for (const auto& s : body)
            if (s.kind == ptx::StatementKind::Variable) declare(m_.variables[s.index]);
        for (const auto& s : body) {
            if (s.kind == ptx::StatementKind::Label) {
                labels_.emplace(m_.text(m_.labels[s.index].name),
                                static_cast<std::uint32_t>(k_.instructions.size()));
            } else if (s.kind == ptx::StatementKind::Instruction) {
                lower(m_.instructions[s.index]);
            }
        }
        for (auto& [inst, label] : pendingBranches_) {
            auto it = labels_.find(label);
            if (it != labels_.end()) k_.instructions[inst].branchTarget = it->second;
        }
    }

private:
    std::uint32_t addSymbol(const ptx::Variable& v) {
        IrSymbol s;
        s.name = m_.text(v.name);
        bool cluster = false;
        s.space = spaceOf(v.space, cluster);
        s.bytes = variableBytes(m_, v);
        s.elementBits = static_cast<std::uint16_t>(ptx::typeBits(v.type));
        s.declaration = v.range;
        k_.symbols.push_back(s);
        const auto id = static_cast<std::uint32_t>(k_.symbols.size() - 1);
        symbolIds_[s.name] = id;
        return id;
    }

    void declare(const ptx::Variable& v) {
        if (v.space != Keyword::SpaceReg) {
            k_.symbols[addSymbol(v)].local = true;
            return;
        }
        const std::string_view name = m_.text(v.name);
        if (v.isRange)
            ranges_[name] = &v;
        else
            exact_[name] = &v;
    }

    const ptx::Variable* declarationOf(std::string_view name) const {
        if (auto it = exact_.find(name); it != exact_.end()) return it->second;
        std::size_t digits = name.size();
        while (digits > 0 && name[digits - 1] >= '0' && name[digits - 1] <= '9')
            --digits;
        if (digits == name.size()) return nullptr;
        if (auto it = ranges_.find(name.substr(0, digits)); it != ranges_.end()) return it->second;
        return nullptr;
    }

    std::uint32_t registerId(const Operand& op) {
        std::string_view name = m_.text(op.name);
        std::uint8_t component = op.component;
        if (auto dot = name.find('.'); dot != std::string_view::npos) { // "%tid.x" spelled whole
            const char c = dot + 1 < name.size() ? name[dot + 1] : 'x';
            component = static_cast<std::uint8_t>(c == 'x' ? 1 : c == 'y' ? 2 : c == 'z' ? 3 : 4);
            name = name.substr(0, dot);
        }
        const std::string_view bare = name.starts_with('%') ? name.substr(1) : name;
        const auto sreg = ptx::lookupSpecialRegister(bare);
        if (sreg != ptx::SpecialRegister::Unknown && !declarationOf(name)) {
            for (std::uint32_t i = 0; i < k_.registers.size(); ++i)
                if (k_.registers[i].isSpecial() && k_.registers[i].name == name &&
                    k_.registers[i].component == component)
                    return i;
            IrRegister r;
            r.name = name;
            r.special = specialKindOf(sreg);
            r.component = component;
            r.bits = static_cast<std::uint16_t>(ptx::specialRegisterBits(sreg));
            k_.registers.push_back(r);
            return static_cast<std::uint32_t>(k_.registers.size() - 1);
        }
        if (auto it = registerIds_.find(name); it != registerIds_.end()) return it->second;
        IrRegister r;
        r.name = name;
        if (const ptx::Variable* v = declarationOf(name)) {
            r.bits = static_cast<std::uint16_t>(ptx::typeBits(v->type));
            r.isPredicate = ptx::typeKind(v->type) == ptx::TypeKind::Predicate;
            r.isFloat = ptx::typeKind(v->type) == ptx::TypeKind::Float;
            r.declaration = v->range;
        }
        k_.registers.push_back(r);
        const auto id = static_cast<std::uint32_t>(k_.registers.size() - 1);
        registerIds_.emplace(name, id);
        return id;
    }

    void addValue(IrValue::Kind kind, bool dest, std::uint32_t id, std::int64_t imm) {
        k_.values.push_back({kind, dest, id, imm});
    }

    /// PTX lets a register be declared without '%' (`.reg .pred done;`, common in inline asm);
    /// the parser cannot tell such a name from a variable, so it is a Symbol operand.
    bool isRegister(const Operand& op) const {
        if (op.kind == OperandKind::Register) return true;
        return op.kind == OperandKind::Symbol && !symbolIds_.count(m_.text(op.name)) &&
               declarationOf(m_.text(op.name)) != nullptr;
    }

    /// Collects the registers inside an operand (vectors, lists, addresses) as uses.
    void collectUses(const Operand& op) {
        if (isRegister(op)) {
            k_.useRegisters.push_back(registerId(op));
            return;
        }
        if (op.kind == OperandKind::Vector || op.kind == OperandKind::List ||
            op.kind == OperandKind::Pair || op.kind == OperandKind::Address)
            for (const auto& child : m_.childrenOf(op))
                collectUses(child);
    }

    void lowerAddress(const Operand& op, std::uint8_t position) {
        IrAddress a;
        a.offset = op.value;
        a.operandPosition = position;
        a.range = op.range;
        for (const auto& child : m_.childrenOf(op)) {
            if (isRegister(child) && a.baseRegister == kNoId && a.baseSymbol == kNoId) {
                a.baseRegister = registerId(child);
            } else if (child.kind == OperandKind::Symbol && a.baseRegister == kNoId &&
                       a.baseSymbol == kNoId) {
                auto it = symbolIds_.find(m_.text(child.name));
                if (it != symbolIds_.end()) a.baseSymbol = it->second;
                if (child.flags & ptx::kOperandHasOffset) a.offset += child.value;
            }
        }
        k_.addresses.push_back(a);
        addValue(IrValue::Kind::Address, false, static_cast<std::uint32_t>(k_.addresses.size() - 1),
                 a.offset);
    }

    void lower(const ptx::Instruction& src) {
        IrInstruction inst;
        inst.range = src.range;
        inst.opcode = src.opcode;
        inst.opcodeText = m_.text(src.opcodeText);
        bool sawType = false;
        for (const auto& mod : m_.modifiersOf(src)) {
            const auto text = m_.text(mod.text);
            if (ptx::isStateSpace(mod.keyword) && inst.space == MemorySpace::None)
                inst.space = spaceOf(mod.keyword, inst.spaceIsCluster);
            else if (ptx::isType(mod.keyword)) {
                if (!sawType && ptx::typeKind(mod.keyword) == ptx::TypeKind::Float)
                    inst.flags |= kInstFloat;
                sawType = true;
                inst.typeBits = static_cast<std::uint16_t>(ptx::typeBits(mod.keyword));
            } else if (text == "v2" || text == "v4" || text == "v8") {
                inst.vectorWidth = static_cast<std::uint8_t>(text[1] - '0');
            } else if (text == "to") {
                inst.cvtaToSpace = true;
            } else if (text == "arrive" &&
                       (src.opcode == Opcode::Bar || src.opcode == Opcode::Barrier)) {
                arrive_ = true;
            }
        }
        if (inst.space == MemorySpace::None && touchesMemory(src.opcode))
            inst.space = MemorySpace::Generic;
        switch (src.opcode) {
        case Opcode::Bra:
        case Opcode::BrxIdx:
            inst.flags |= kInstBranch;
            break;
        case Opcode::Ret:
        case Opcode::Exit:
            inst.flags |= kInstReturn;
            break;
        case Opcode::Bar:
        case Opcode::Barrier:
            if (!arrive_) inst.flags |= kInstBarrier;
            break;
        case Opcode::BarWarpSync:
            inst.flags |= kInstWarpBarrier;
            break;
        case Opcode::Call:
            inst.flags |= kInstCall;
            break;
        default:
            break;
        }
        arrive_ = false;

        inst.firstUse = static_cast<std::uint32_t>(k_.useRegisters.size());
        inst.firstDef = static_cast<std::uint32_t>(k_.defRegisters.size());
        inst.firstValue = static_cast<std::uint32_t>(k_.values.size());
        inst.firstAddress = static_cast<std::uint32_t>(k_.addresses.size());
        if (src.guard != ptx::kNoIndex) {
            inst.guard = registerId(m_.operands[src.guard]);
            inst.guardNegated = src.guardNegated;
            k_.useRegisters.push_back(inst.guard);
        } else if (inst.flags & (kInstBranch | kInstReturn)) {
            inst.flags |= kInstUnconditional;
        }
        const auto ops = m_.operandsOf(src);
        const bool firstIsDest = !ops.empty() && ops[0].kind != OperandKind::Address &&
                                 !hasNoDestination(src, inst.opcodeText);
        for (std::size_t i = 0; i < ops.size(); ++i) {
            const Operand& op = ops[i];
            const bool dest = i == 0 && firstIsDest;
            switch (isRegister(op) ? OperandKind::Register : op.kind) {
            case OperandKind::Register: {
                const auto id = registerId(op);
                (dest ? k_.defRegisters : k_.useRegisters).push_back(id);
                addValue(IrValue::Kind::Register, dest, id, 0);
                break;
            }
            case OperandKind::Vector:
            case OperandKind::Pair:
                for (const auto& child : m_.childrenOf(op)) {
                    if (isRegister(child)) {
                        const auto id = registerId(child);
                        (dest ? k_.defRegisters : k_.useRegisters).push_back(id);
                        addValue(IrValue::Kind::Register, dest, id, 0);
                    } else if (!dest) {
                        collectUses(child);
                    }
                }
                break;
            case OperandKind::Integer:
                addValue(IrValue::Kind::Immediate, false, kNoId, op.value);
                break;
            case OperandKind::Symbol: {
                const auto name = m_.text(op.name);
                if (inst.flags & kInstBranch) {
                    pendingBranches_.emplace_back(k_.instructions.size(), name);
                    break;
                }
                auto it = symbolIds_.find(name);
                addValue(IrValue::Kind::Symbol, false, it == symbolIds_.end() ? kNoId : it->second,
                         (op.flags & ptx::kOperandHasOffset) ? op.value : 0);
                break;
            }
            case OperandKind::Address:
                collectUses(op);
                lowerAddress(op, static_cast<std::uint8_t>(i));
                break;
            case OperandKind::List:
                collectUses(op);
                break;
            default:
                addValue(IrValue::Kind::Other, dest, kNoId, 0);
                break;
            }
        }
        inst.useCount = static_cast<std::uint32_t>(k_.useRegisters.size()) - inst.firstUse;
        inst.defCount = static_cast<std::uint32_t>(k_.defRegisters.size()) - inst.firstDef;
        inst.valueCount = static_cast<std::uint32_t>(k_.values.size()) - inst.firstValue;
        inst.addressCount = static_cast<std::uint32_t>(k_.addresses.size()) - inst.firstAddress;
        const auto index = static_cast<std::uint32_t>(k_.instructions.size());
        auto noteParam = [&](std::uint32_t sym) {
            if (sym == kNoId || k_.symbols[sym].paramIndex == kNoId) return;
            auto& reads = k_.paramReads[k_.symbols[sym].paramIndex];
            if (reads.empty() || reads.back() != index) reads.push_back(index);
        };
        for (std::uint32_t a = inst.firstAddress; a < inst.firstAddress + inst.addressCount; ++a)
            noteParam(k_.addresses[a].baseSymbol);
        for (std::uint32_t v = inst.firstValue; v < inst.firstValue + inst.valueCount; ++v)
            if (k_.values[v].kind == IrValue::Kind::Symbol) noteParam(k_.values[v].id);
        k_.instructions.push_back(inst);
    }

    const ptx::Module& m_;
    KernelIR& k_;
    bool arrive_ = false;
    std::unordered_map<std::string_view, const ptx::Variable*> exact_, ranges_;
    std::unordered_map<std::string_view, std::uint32_t> registerIds_, symbolIds_, labels_;
    std::vector<std::pair<std::size_t, std::string_view>> pendingBranches_;
};

} // namespace

std::uint32_t KernelIR::findSpecial(SpecialKind kind, std::uint8_t component) const {
    for (std::uint32_t i = 0; i < registers.size(); ++i)
        if (registers[i].special == kind && registers[i].component == component) return i;
    return kNoId;
}

std::uint32_t KernelIR::findSymbol(std::string_view n) const {
    for (std::uint32_t i = 0; i < symbols.size(); ++i)
        if (symbols[i].name == n) return i;
    return kNoId;
}

std::string_view mnemonicOf(const KernelIR& k, const IrInstruction& inst) {
    std::string_view text = k.module->text(inst.range);
    if (text.starts_with('@')) { // skip the guard
        const auto space = text.find_first_of(" \t");
        text = space == std::string_view::npos ? std::string_view{} : text.substr(space);
    }
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return inst.opcodeText;
    text = text.substr(begin);
    return text.substr(0, text.find_first_of(" \t;"));
}

std::vector<KernelIR> lowerModule(const ptx::Module& module) {
    std::vector<KernelIR> kernels;
    // Module-scope variables (.shared/.global/.const) are visible in every function; collect them
    // once, not once per kernel (a 40 MB module has tens of thousands of items).
    std::vector<const ptx::Variable*> moduleVariables;
    for (const auto& item : module.items)
        if (item.kind == ptx::TopLevelKind::Variable)
            moduleVariables.push_back(&module.variables[item.index]);
    for (std::uint32_t f = 0; f < module.functions.size(); ++f) {
        if (!module.functions[f].hasBody) continue;
        KernelIR k;
        Lowering lowering(module, f, k, moduleVariables);
        lowering.run();
        kernels.push_back(std::move(k));
    }
    return kernels;
}

} // namespace ptxwb::analysis
