#include "analysis/kernel_ir.h"

#include "ptx/register_file.h"

#include <algorithm>
#include <array>
#include <optional>

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

} // namespace

/// Per-module state shared (read-only) by the lowering of every function: core/ptx's
/// module-scope names and the module-scope variables every kernel can name.
struct ModuleLoweringContext {
    explicit ModuleLoweringContext(const ptx::Module& m) : globals(m) {
        for (const auto& item : m.items)
            if (item.kind == ptx::TopLevelKind::Variable) moduleVariables.push_back(item.index);
    }
    ptx::ModuleSymbols globals;
    std::vector<std::uint32_t> moduleVariables; ///< Module::variables of module scope
};

/// What lowering one kernel needs besides the KernelIR, kept per thread and reused kernel after
/// kernel: the name binding and the id maps would otherwise be a dozen allocations per kernel,
/// which for a module of 27,000 small kernels cost more than the lowering itself.
struct LoweringScratch {
    const ptx::Module* module = nullptr;
    const ptx::ModuleSymbols* globals = nullptr;
    std::optional<ptx::FunctionSymbols> symbols;
    std::vector<std::uint32_t> irRegisterOf;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> symbolOfVariable;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> instructionOfLabel;
    std::vector<std::uint32_t> specials;
    std::vector<std::pair<std::string_view, std::uint32_t>> undeclared;
    std::vector<std::pair<std::size_t, std::uint32_t>> pendingBranches;

    /// Binds the names of function `fn` and empties the maps.
    ptx::FunctionSymbols& prepare(const ptx::Module& m, const ptx::ModuleSymbols& g,
                                  std::uint32_t fn) {
        if (symbols && module == &m && globals == &g) {
            symbols->resolveFunction(fn);
        } else {
            symbols.emplace(m, g, fn);
            module = &m;
            globals = &g;
        }
        symbolOfVariable.clear();
        instructionOfLabel.clear();
        specials.clear();
        undeclared.clear();
        pendingBranches.clear();
        return *symbols;
    }
};

namespace {

/// Builds one KernelIR. Names are bound by core/ptx's FunctionSymbols (scopes, `%r<N>` ranges,
/// registers declared without '%'); this class only maps its dense ids to the IR's.
class Lowering {
public:
    Lowering(const ptx::Module& m, std::uint32_t fn, KernelIR& k, const ModuleLoweringContext& ctx,
             LoweringScratch& scratch)
        : m_(m), k_(k), symbols_(scratch.prepare(m, ctx.globals, fn)),
          irRegisterOf_(scratch.irRegisterOf), symbolOfVariable_(scratch.symbolOfVariable),
          instructionOfLabel_(scratch.instructionOfLabel), specials_(scratch.specials),
          undeclared_(scratch.undeclared), pendingBranches_(scratch.pendingBranches) {
        const ptx::Function& f = m.functions[fn];
        k.module = &m;
        k.functionIndex = fn;
        k.name = m.text(f.name);
        k.isEntry = f.isEntry;
        k.declaration = {f.name.offset, f.name.offset + f.name.length};
        for (const std::uint32_t v : ctx.moduleVariables)
            addSymbol(v);
        for (std::uint32_t p = 0; p < f.paramCount; ++p) {
            k.params.push_back(addSymbol(f.firstParam + p));
            k.symbols.back().paramIndex = p;
        }
        k.paramReads.resize(k.params.size()); // inner vectors were cleared by the caller
        irRegisterOf_.assign(symbols_.registerCount(), kNoId);
    }

    void run() {
        const ptx::Function& f = m_.functions[k_.functionIndex];
        const auto body = m_.bodyOf(f);
        for (const auto& s : body)
            if (s.kind == ptx::StatementKind::Variable &&
                m_.variables[s.index].space != Keyword::SpaceReg)
                k_.symbols[addSymbol(s.index)].local = true;
        // Every variable the body can name is known now: sort once, look up by binary search.
        std::sort(symbolOfVariable_.begin(), symbolOfVariable_.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        std::size_t instructionCount = 0;
        for (const auto& s : body)
            instructionCount += s.kind == ptx::StatementKind::Instruction;
        k_.instructions.reserve(instructionCount);
        k_.values.reserve(instructionCount * 3);
        k_.useRegisters.reserve(instructionCount * 2);
        k_.defRegisters.reserve(instructionCount);
        for (const auto& s : body) {
            if (s.kind == ptx::StatementKind::Label) {
                // Label indices grow in statement order, so this list stays sorted.
                instructionOfLabel_.emplace_back(
                    s.index, static_cast<std::uint32_t>(k_.instructions.size()));
            } else if (s.kind == ptx::StatementKind::Instruction) {
                lower(m_.instructions[s.index]);
            }
        }
        for (const auto& [inst, label] : pendingBranches_) {
            auto it = std::lower_bound(instructionOfLabel_.begin(), instructionOfLabel_.end(),
                                       std::pair{label, 0u});
            if (it != instructionOfLabel_.end() && it->first == label)
                k_.instructions[inst].branchTarget = it->second;
        }
    }

private:
    std::uint32_t addSymbol(std::uint32_t variable) {
        const ptx::Variable& v = m_.variables[variable];
        IrSymbol s;
        s.name = m_.text(v.name);
        bool cluster = false;
        s.space = spaceOf(v.space, cluster);
        s.bytes = variableBytes(m_, v);
        s.elementBits = static_cast<std::uint16_t>(ptx::typeBits(v.type));
        s.declaration = v.range;
        k_.symbols.push_back(s);
        const auto id = static_cast<std::uint32_t>(k_.symbols.size() - 1);
        symbolOfVariable_.emplace_back(variable, id);
        return id;
    }

    [[nodiscard]] std::uint32_t operandIndex(const Operand& op) const {
        return static_cast<std::uint32_t>(&op - m_.operands.data());
    }
    [[nodiscard]] ptx::Binding bindingOf(const Operand& op) const {
        return symbols_.binding(operandIndex(op));
    }
    /// IR symbol of a variable operand, or kNoId (functions, labels, unknown names).
    [[nodiscard]] std::uint32_t symbolOf(const Operand& op) const {
        const ptx::Binding b = bindingOf(op);
        if (b.kind != ptx::BindingKind::Variable) return kNoId;
        auto it = std::lower_bound(symbolOfVariable_.begin(), symbolOfVariable_.end(),
                                   std::pair{b.id, 0u},
                                   [](const auto& a, const auto& v) { return a.first < v.first; });
        return it != symbolOfVariable_.end() && it->first == b.id ? it->second : kNoId;
    }

    std::uint32_t specialRegister(std::string_view name, ptx::SpecialRegister sreg,
                                  std::uint8_t component) {
        for (const auto i : specials_)
            if (k_.registers[i].name == name && k_.registers[i].component == component) return i;
        IrRegister r;
        r.name = name;
        r.special = specialKindOf(sreg);
        r.component = component;
        r.bits = static_cast<std::uint16_t>(ptx::specialRegisterBits(sreg));
        k_.registers.push_back(r);
        specials_.push_back(static_cast<std::uint32_t>(k_.registers.size() - 1));
        return specials_.back();
    }

    std::uint32_t registerId(const Operand& op) {
        const ptx::Binding b = bindingOf(op);
        if (b.kind == ptx::BindingKind::Register) {
            auto& id = irRegisterOf_[b.id];
            if (id != kNoId) return id; // the common case: a register seen before
        }
        std::string_view name = m_.text(op.name);
        if (b.kind == ptx::BindingKind::Register) {
            auto& id = irRegisterOf_[b.id];
            const ptx::RegisterDecl& d = symbols_.declarationOf(b.id);
            const ptx::Variable& v = m_.variables[d.variable];
            IrRegister r;
            r.name = name;
            r.bits = static_cast<std::uint16_t>(ptx::typeBits(v.type));
            r.isPredicate = ptx::typeKind(v.type) == ptx::TypeKind::Predicate;
            r.isFloat = ptx::typeKind(v.type) == ptx::TypeKind::Float;
            r.declaration = v.range;
            k_.registers.push_back(r);
            id = static_cast<std::uint32_t>(k_.registers.size() - 1);
            return id;
        }
        if (b.kind == ptx::BindingKind::SpecialRegister)
            return specialRegister(name, static_cast<ptx::SpecialRegister>(b.id), op.component);
        // Not bound by core/ptx: a special register spelled whole ("%tid.x") or an undeclared
        // name (the verifier reports those). Give it an id by name so dataflow still sees it.
        std::uint8_t component = op.component;
        if (auto dot = name.find('.'); dot != std::string_view::npos) {
            const char c = dot + 1 < name.size() ? name[dot + 1] : 'x';
            component = static_cast<std::uint8_t>(c == 'x' ? 1 : c == 'y' ? 2 : c == 'z' ? 3 : 4);
            name = name.substr(0, dot);
        }
        const std::string_view bare = name.starts_with('%') ? name.substr(1) : name;
        if (const auto sreg = ptx::lookupSpecialRegister(bare);
            sreg != ptx::SpecialRegister::Unknown)
            return specialRegister(name, sreg, component);
        for (const auto& [n, id] : undeclared_)
            if (n == name) return id;
        IrRegister r;
        r.name = name;
        k_.registers.push_back(r);
        undeclared_.emplace_back(name, static_cast<std::uint32_t>(k_.registers.size() - 1));
        return undeclared_.back().second;
    }

    void addValue(IrValue::Kind kind, bool dest, std::uint32_t id, std::int64_t imm) {
        k_.values.push_back({kind, dest, id, imm});
    }

    /// PTX lets a register be declared without '%' (`.reg .pred done;`, common in inline asm);
    /// the parser cannot tell such a name from a variable, so it is a Symbol operand that
    /// core/ptx's name binding resolves to a register.
    bool isRegister(const Operand& op) const {
        if (op.kind == OperandKind::Register) return true;
        return op.kind == OperandKind::Symbol && bindingOf(op).kind == ptx::BindingKind::Register;
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
                a.baseSymbol = symbolOf(child);
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
            // Keywords are looked up from the exact spelling, so comparing them is comparing
            // the text.
            if (ptx::isStateSpace(mod.keyword) && inst.space == MemorySpace::None)
                inst.space = spaceOf(mod.keyword, inst.spaceIsCluster);
            else if (ptx::isType(mod.keyword)) {
                if (!sawType && ptx::typeKind(mod.keyword) == ptx::TypeKind::Float)
                    inst.flags |= kInstFloat;
                sawType = true;
                inst.typeBits = static_cast<std::uint16_t>(ptx::typeBits(mod.keyword));
            } else if (mod.keyword == Keyword::ModV2 || mod.keyword == Keyword::ModV4 ||
                       mod.keyword == Keyword::ModV8) {
                inst.vectorWidth = mod.keyword == Keyword::ModV2   ? 2
                                   : mod.keyword == Keyword::ModV4 ? 4
                                                                   : 8;
            } else if (mod.keyword == Keyword::ModTo) {
                inst.cvtaToSpace = true;
            } else if (mod.keyword == Keyword::ModArrive &&
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
                if (inst.flags & kInstBranch) {
                    const ptx::Binding b = bindingOf(op);
                    if (b.kind == ptx::BindingKind::Label)
                        pendingBranches_.emplace_back(k_.instructions.size(), b.id);
                    break;
                }
                addValue(IrValue::Kind::Symbol, false, symbolOf(op),
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
    const ptx::FunctionSymbols& symbols_;
    std::vector<std::uint32_t>& irRegisterOf_; ///< ptx::RegisterId → IR register (kNoId: none yet)
    /// (Module::variables index, IR symbol) sorted by variable once the body's are added.
    std::vector<std::pair<std::uint32_t, std::uint32_t>>& symbolOfVariable_;
    /// (Module::labels index, IR instruction) in label order.
    std::vector<std::pair<std::uint32_t, std::uint32_t>>& instructionOfLabel_;
    bool arrive_ = false;
    std::vector<std::uint32_t>& specials_; ///< IR ids of special registers (a handful)
    std::vector<std::pair<std::string_view, std::uint32_t>>& undeclared_;
    std::vector<std::pair<std::size_t, std::uint32_t>>& pendingBranches_; ///< instruction, label
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

ModuleLowerer::ModuleLowerer(const ptx::Module& module)
    : module_(module), context_(std::make_unique<ModuleLoweringContext>(module)) {}

ModuleLowerer::~ModuleLowerer() = default;

void ModuleLowerer::lower(std::uint32_t functionIndex, KernelIR& out) const {
    // Clear rather than reassign: a KernelIR reused for kernel after kernel keeps its capacity,
    // so streaming a module through the rules allocates almost nothing per kernel.
    out.params.clear();
    out.registers.clear();
    out.symbols.clear();
    out.instructions.clear();
    out.defRegisters.clear();
    out.useRegisters.clear();
    out.values.clear();
    out.addresses.clear();
    for (auto& reads : out.paramReads)
        reads.clear();
    static thread_local LoweringScratch scratch;
    Lowering lowering(module_, functionIndex, out, *context_, scratch);
    lowering.run();
}

std::vector<KernelIR> lowerModule(const ptx::Module& module) {
    std::vector<KernelIR> kernels;
    ModuleLowerer lowerer(module);
    for (std::uint32_t f = 0; f < module.functions.size(); ++f) {
        if (!module.functions[f].hasBody) continue;
        kernels.emplace_back();
        lowerer.lower(f, kernels.back());
    }
    return kernels;
}

} // namespace ptxwb::analysis
