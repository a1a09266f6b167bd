#include "ptx/register_file.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::ptx {

namespace {

/// FNV-1a over a name, mixed with `seed` (the scope for function-scope names).
std::size_t nameHash(std::uint64_t seed, std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (const char c : name)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return static_cast<std::size_t>(h ^ (h >> 29));
}

} // namespace

ModuleSymbols::ModuleSymbols(const Module& m) {
    std::size_t capacity = 16;
    while (capacity < 2 * (m.functions.size() + m.items.size()))
        capacity *= 2;
    names_.assign(capacity, Entry{});
    for (const TopLevelItem& item : m.items) {
        if (item.kind == TopLevelKind::Variable) {
            const std::string_view name = m.text(m.variables[item.index].name);
            Entry& e = slotFor(name);
            if (e.name.empty()) e = {name, Binding{BindingKind::Variable, item.index}};
        } else if (item.kind == TopLevelKind::Function) {
            // A definition wins over an earlier prototype of the same function.
            const std::string_view name = m.text(m.functions[item.index].name);
            Entry& e = slotFor(name);
            if (e.name.empty())
                e = {name, Binding{BindingKind::Function, item.index}};
            else if (m.functions[item.index].hasBody)
                e.binding.id = item.index;
        }
    }
}

ModuleSymbols::Entry& ModuleSymbols::slotFor(std::string_view name) {
    const std::size_t mask = names_.size() - 1;
    for (std::size_t i = nameHash(0, name) & mask;; i = (i + 1) & mask)
        if (names_[i].name.empty() || names_[i].name == name) return names_[i];
}

Binding ModuleSymbols::lookup(std::string_view name) const {
    if (name.empty()) return {};
    const std::size_t mask = names_.size() - 1;
    for (std::size_t i = nameHash(0, name) & mask;; i = (i + 1) & mask) {
        if (names_[i].name.empty()) return {};
        if (names_[i].name == name) return names_[i].binding;
    }
}

FunctionSymbols::FunctionSymbols(const Module& m, const ModuleSymbols& globals, std::uint32_t fn)
    : module_(m), globals_(globals) {
    resolveFunction(fn);
}

void FunctionSymbols::resolveFunction(std::uint32_t fn) {
    const Module& m = module_;
    function_ = fn;
    registerCount_ = 0;
    decls_.clear();
    ranges_.clear();
    digitSuffixedNames_ = false;
    operandBase_ = 0;
    bindings_.clear();
    unresolved_.clear();
    redeclarations_.clear();
    const Function& f = m.functions[fn];
    auto body = m.bodyOf(f);
    std::size_t names = f.returnCount + f.paramCount;
    for (const Statement& s : body)
        names += s.kind == StatementKind::Label || s.kind == StatementKind::Variable ||
                 s.kind == StatementKind::CallPrototype || s.kind == StatementKind::TargetList;
    clearScoped(names);
    // Parameters are visible in the outermost scope.
    for (std::uint32_t i = 0; i < f.returnCount; ++i)
        insertScoped(0, m.text(m.variables[f.firstReturn + i].name),
                     Binding{BindingKind::Variable, f.firstReturn + i});
    for (std::uint32_t i = 0; i < f.paramCount; ++i)
        insertScoped(0, m.text(m.variables[f.firstParam + i].name),
                     Binding{BindingKind::Variable, f.firstParam + i});

    // Pass 1: labels, prototypes and target lists (they may be referenced before they appear).
    scopeStack_.assign(1, 0);
    std::uint32_t firstOperand = kNoIndex, endOperand = 0;
    for (const Statement& s : body) {
        switch (s.kind) {
        case StatementKind::ScopeBegin:
            scopeStack_.push_back(1 + s.index);
            break;
        case StatementKind::ScopeEnd:
            if (scopeStack_.size() > 1) scopeStack_.pop_back();
            break;
        case StatementKind::Label: {
            const Label& l = m.labels[s.index];
            auto [it, inserted] = insertScoped(scopeStack_.back(), m.text(l.name),
                                               Binding{BindingKind::Label, s.index});
            if (!inserted && it->binding.kind == BindingKind::Label)
                redeclarations_.push_back(
                    {l.range, m.labels[it->binding.id].range, m.text(l.name)});
            break;
        }
        case StatementKind::CallPrototype:
            insertScoped(scopeStack_.back(), m.text(m.prototypes[s.index].name),
                         Binding{BindingKind::Prototype, s.index});
            break;
        case StatementKind::TargetList:
            insertScoped(scopeStack_.back(), m.text(m.targetLists[s.index].name),
                         Binding{BindingKind::TargetList, s.index});
            break;
        case StatementKind::Instruction: {
            const Instruction& inst = m.instructions[s.index];
            if (firstOperand == kNoIndex) firstOperand = inst.firstOperand;
            // Children of containers follow the roots; the guard is the last root.
            std::uint32_t end = inst.firstOperand + inst.operandCount + (inst.guard != kNoIndex);
            endOperand = std::max(endOperand, end);
            break;
        }
        default:
            break;
        }
    }
    operandBase_ = firstOperand == kNoIndex ? 0 : firstOperand;
    // Container children are laid out right after their instruction's roots; find the true end.
    if (firstOperand != kNoIndex) {
        std::uint32_t end = endOperand;
        for (std::uint32_t i = operandBase_; i < end; ++i) {
            const Operand& o = m.operands[i];
            if (o.kind == OperandKind::Address || o.kind == OperandKind::Vector ||
                o.kind == OperandKind::List || o.kind == OperandKind::Pair)
                end = std::max(end, o.children.first + o.children.count);
        }
        bindings_.assign(end - operandBase_, Binding{});
    }

    // Pass 2: registers and locals in declaration order, and every operand name.
    scopeStack_.assign(1, 0);
    for (const Statement& s : body) {
        switch (s.kind) {
        case StatementKind::ScopeBegin:
            scopeStack_.push_back(1 + s.index);
            break;
        case StatementKind::ScopeEnd:
            if (scopeStack_.size() > 1) scopeStack_.pop_back();
            break;
        case StatementKind::Variable: {
            const Variable& v = m.variables[s.index];
            Binding b{BindingKind::Variable, s.index};
            // Ids are dense: cap the total so hostile input cannot make dataflow allocate
            // gigabytes (each range is already capped by the parser).
            if (v.space == Keyword::SpaceReg &&
                registerCount_ + (v.isRange ? v.rangeCount : 1) <= (1u << 24)) {
                RegisterDecl d;
                d.firstId = registerCount_;
                d.count = v.isRange ? v.rangeCount : 1;
                d.variable = s.index;
                d.scope = scopeStack_.back();
                d.type = v.type;
                d.bits = typeBits(v.type) * (v.vectorWidth ? v.vectorWidth : 1);
                registerCount_ += d.count;
                decls_.push_back(d);
                std::string_view name = m.text(v.name);
                if (v.isRange)
                    ranges_.push_back({name, prefixKey(name), d.scope,
                                       static_cast<std::uint32_t>(decls_.size() - 1)});
                else if (!name.empty() && name.back() >= '0' && name.back() <= '9')
                    digitSuffixedNames_ = true;
                b = {BindingKind::Register, static_cast<std::uint32_t>(decls_.size() - 1)};
            }
            auto [it, inserted] = insertScoped(scopeStack_.back(), m.text(v.name), b);
            if (!inserted) {
                SourceRange prev = it->binding.kind == BindingKind::Register
                                       ? m.variables[decls_[it->binding.id].variable].range
                                   : it->binding.kind == BindingKind::Variable
                                       ? m.variables[it->binding.id].range
                                       : SourceRange{};
                redeclarations_.push_back({v.range, prev, m.text(v.name)});
                it->binding = b;
            }
            break;
        }
        case StatementKind::Instruction: {
            const Instruction& inst = m.instructions[s.index];
            bool branch = inst.opcode == Opcode::Bra;
            for (std::uint32_t i = 0; i < inst.operandCount; ++i)
                bindOperand(inst.firstOperand + i, branch);
            if (inst.guard != kNoIndex) bindOperand(inst.guard, false);
            break;
        }
        default:
            break;
        }
    }
}

namespace {

std::size_t scopedCapacityFor(std::size_t names) {
    std::size_t capacity = 16;
    while (capacity < names * 2)
        capacity *= 2;
    return capacity;
}

} // namespace

void FunctionSymbols::clearScoped(std::size_t names) {
    scoped_.assign(scopedCapacityFor(names), ScopedEntry{}); // keeps the buffer when it fits
    scopedCount_ = 0;
}

void FunctionSymbols::growScoped() {
    std::vector<ScopedEntry> old = std::move(scoped_);
    scoped_.assign(scopedCapacityFor(scopedCount_ + 1), ScopedEntry{});
    scopedCount_ = 0;
    for (const ScopedEntry& e : old)
        if (e.scope != kNoIndex) insertScoped(e.scope, e.name, e.binding);
}

std::pair<FunctionSymbols::ScopedEntry*, bool>
FunctionSymbols::insertScoped(std::uint32_t scope, std::string_view name, Binding b) {
    if ((scopedCount_ + 1) * 2 > scoped_.size()) growScoped();
    const std::size_t mask = scoped_.size() - 1;
    for (std::size_t i = nameHash(scope, name) & mask;; i = (i + 1) & mask) {
        ScopedEntry& e = scoped_[i];
        if (e.scope == kNoIndex) {
            e = {name, scope, b};
            ++scopedCount_;
            return {&e, true};
        }
        if (e.scope == scope && e.name == name) return {&e, false};
    }
}

const FunctionSymbols::ScopedEntry* FunctionSymbols::findScoped(std::uint32_t scope,
                                                                std::string_view name) const {
    if (scoped_.empty()) return nullptr;
    const std::size_t mask = scoped_.size() - 1;
    for (std::size_t i = nameHash(scope, name) & mask;; i = (i + 1) & mask) {
        const ScopedEntry& e = scoped_[i];
        if (e.scope == kNoIndex) return nullptr;
        if (e.scope == scope && e.name == name) return &e;
    }
}

Binding FunctionSymbols::resolve(std::string_view name, bool isRegisterToken,
                                 bool preferLabel) const {
    (void)preferLabel;
    // Split "%r123" into the prefix "%r" and element 123 (no leading zeros, at most 9 digits).
    std::size_t digits = name.size();
    while (digits > 1 && name[digits - 1] >= '0' && name[digits - 1] <= '9')
        --digits;
    bool hasElement = isRegisterToken && digits < name.size() && name.size() - digits <= 9 &&
                      !(name.size() - digits > 1 && name[digits] == '0');
    std::string_view prefix = name.substr(0, digits);
    const std::uint64_t key = hasElement ? prefixKey(prefix) : 0;
    std::uint32_t element = 0;
    if (hasElement)
        for (std::size_t i = digits; i < name.size(); ++i)
            element = element * 10 + static_cast<std::uint32_t>(name[i] - '0');
    for (auto it = scopeStack_.rbegin(); it != scopeStack_.rend(); ++it) {
        // Fast path for nvcc output: a range element, when no plain name could shadow it.
        if (hasElement) {
            for (auto r = ranges_.rbegin(); r != ranges_.rend(); ++r) {
                if (r->scope != *it || !samePrefix(*r, prefix, key)) continue;
                const RegisterDecl& d = decls_[r->decl];
                if (element < d.count && !digitSuffixedNames_)
                    return {BindingKind::Register, d.firstId + element};
                break;
            }
        }
        if (const ScopedEntry* found = findScoped(*it, name)) {
            Binding b = found->binding;
            if (b.kind == BindingKind::Register) {
                const RegisterDecl& d = decls_[b.id];
                if (module_.variables[d.variable].isRange) continue; // "%r" alone is not a register
                return {BindingKind::Register, d.firstId};
            }
            return b;
        }
        if (hasElement) {
            for (auto r = ranges_.rbegin(); r != ranges_.rend(); ++r) {
                if (r->scope != *it || !samePrefix(*r, prefix, key)) continue;
                const RegisterDecl& d = decls_[r->decl];
                if (element < d.count) return {BindingKind::Register, d.firstId + element};
                break;
            }
        }
    }
    if (isRegisterToken) {
        SpecialRegister sr = lookupSpecialRegister(name.substr(1));
        if (sr != SpecialRegister::Unknown)
            return {BindingKind::SpecialRegister, static_cast<std::uint32_t>(sr)};
    }
    Binding g = globals_.lookup(name);
    return g.kind == BindingKind::None ? Binding{BindingKind::Unresolved, 0} : g;
}

void FunctionSymbols::bindOperand(std::uint32_t index, bool isBranchTarget) {
    const Operand& o = module_.operands[index];
    switch (o.kind) {
    case OperandKind::Register:
    case OperandKind::Symbol: {
        Binding b = resolve(module_.text(o.name), o.kind == OperandKind::Register, isBranchTarget);
        bindings_[index - operandBase_] = b;
        if (b.kind == BindingKind::Unresolved) unresolved_.push_back(index);
        break;
    }
    case OperandKind::Address:
    case OperandKind::Vector:
    case OperandKind::List:
    case OperandKind::Pair:
        for (std::uint32_t c = 0; c < o.children.count; ++c)
            bindOperand(o.children.first + c, false);
        break;
    default:
        break;
    }
}

const RegisterDecl& FunctionSymbols::declarationOf(RegisterId id) const {
    auto it = std::upper_bound(decls_.begin(), decls_.end(), id,
                               [](RegisterId v, const RegisterDecl& d) { return v < d.firstId; });
    return *(it - 1);
}

std::string FunctionSymbols::registerName(RegisterId id) const {
    const RegisterDecl& d = declarationOf(id);
    const Variable& v = module_.variables[d.variable];
    if (!v.isRange) return std::string(module_.text(v.name));
    return fmt::format("{}{}", module_.text(v.name), id - d.firstId);
}

Binding FunctionSymbols::binding(std::uint32_t operandIndex) const {
    if (operandIndex < operandBase_ || operandIndex - operandBase_ >= bindings_.size()) return {};
    return bindings_[operandIndex - operandBase_];
}

} // namespace ptxwb::ptx
