#include "ptx/verifier.h"

#include "ptx/register_file.h"

#include <fmt/format.h>
#include <unordered_set>

namespace ptxwb::ptx {
namespace {

/// Opcodes whose register operands all have the instruction type's width (when the instruction
/// has exactly one type modifier); other forms (.wide, vector movs, cvt) are not checked.
bool operandsShareType(const Module& m, const Instruction& inst) {
    switch (inst.opcode) {
    case Opcode::Add:
    case Opcode::Sub:
    case Opcode::Min:
    case Opcode::Max:
    case Opcode::And:
    case Opcode::Or:
    case Opcode::Xor:
    case Opcode::Not:
    case Opcode::Neg:
    case Opcode::Abs:
    case Opcode::Div:
    case Opcode::Rem:
        return true;
    case Opcode::Mul:
    case Opcode::Mad:
        return !hasModifier(m, inst, Keyword::ModWide);
    default:
        return false;
    }
}

class ModuleVerifier {
public:
    ModuleVerifier(const Module& m, DiagnosticList& d, const VerifyOptions& o)
        : m_(m), diags_(d), opts_(o), globals_(m) {}

    void run() {
        for (std::uint32_t f = 0; f < m_.functions.size(); ++f)
            if (m_.functions[f].hasBody) verifyFunction(f);
    }

private:
    void verifyFunction(std::uint32_t fn) {
        std::size_t firstDiagnostic = diags_.all().size();
        checkFunction(fn);
        diags_.sortByLocation(firstDiagnostic); // one function's problems in source order
    }

    void checkFunction(std::uint32_t fn) {
        FunctionSymbols sym(m_, globals_, fn);
        for (const Redeclaration& r : sym.redeclarations()) {
            Diagnostic& d = diags_.error(r.range, fmt::format("redefinition of '{}'", r.name));
            if (r.previous.end > r.previous.begin)
                d.notes.push_back({r.previous, "previous definition is here"});
        }
        std::unordered_set<std::string_view> reported;
        for (std::uint32_t op : sym.unresolved()) {
            const Operand& o = m_.operands[op];
            std::string_view name = m_.text(o.name);
            if (!reported.insert(name).second) continue;
            diags_.error({o.name.offset, o.name.offset + o.name.length},
                         o.kind == OperandKind::Register
                             ? fmt::format("use of undeclared register '{}'", name)
                             : fmt::format("use of undeclared identifier '{}'", name));
        }
        for (const Statement& s : m_.bodyOf(m_.functions[fn]))
            if (s.kind == StatementKind::Instruction)
                verifyInstruction(sym, m_.instructions[s.index]);
    }

    void verifyInstruction(const FunctionSymbols& sym, const Instruction& inst) {
        std::string_view opText = m_.text(inst.opcodeText);
        SourceRange opRange{inst.opcodeText.offset,
                            inst.opcodeText.offset + inst.opcodeText.length};
        if (inst.opcode == Opcode::Unknown) {
            diags_.error(opRange, fmt::format("unknown instruction '{}'", opText));
            return;
        }
        unsigned lo = opcodeMinOperands(inst.opcode), hi = opcodeMaxOperands(inst.opcode);
        if (inst.operandCount < lo || inst.operandCount > hi) {
            std::string expect = lo == hi ? fmt::format("{}", lo) : fmt::format("{} to {}", lo, hi);
            diags_.error(opRange, fmt::format("'{}' takes {} operand{}, found {}", opText, expect,
                                              hi == 1 ? "" : "s", inst.operandCount));
        }
        if (opts_.warnUnknownModifiers)
            for (const Modifier& mod : m_.modifiersOf(inst))
                if (mod.keyword == Keyword::Unknown)
                    diags_.warning(
                        {mod.text.offset - 1, mod.text.offset + mod.text.length},
                        fmt::format("unknown modifier '.{}' on '{}'", m_.text(mod.text), opText));
        if (inst.guard != kNoIndex) {
            RegisterId r = sym.registerOf(inst.guard);
            if (r != kNoRegister && sym.registerType(r) != Keyword::TypePred) {
                const Operand& g = m_.operands[inst.guard];
                diags_.error(g.range,
                             fmt::format("guard '{}' is not a predicate register (declared .{})",
                                         m_.text(g.name), keywordSpelling(sym.registerType(r))));
            }
        }
        if (inst.opcode == Opcode::Bra && inst.operandCount == 1) {
            Binding b = sym.binding(inst.firstOperand);
            const Operand& t = m_.operands[inst.firstOperand];
            if (b.kind != BindingKind::Label && b.kind != BindingKind::Unresolved)
                diags_.error(t.range,
                             fmt::format("branch target '{}' is not a label", m_.text(t.name)));
        }
        checkWidths(sym, inst);
        checkStateSpace(sym, inst);
    }

    void checkWidths(const FunctionSymbols& sym, const Instruction& inst) {
        if (!operandsShareType(m_, inst)) return;
        Keyword type = singleInstructionType(m_, inst);
        if (type == Keyword::Unknown) return;
        unsigned bits = typeBits(type);
        for (unsigned p = 0; p < inst.operandCount; ++p) {
            std::uint32_t op = inst.firstOperand + p;
            RegisterId r = sym.registerOf(op);
            if (r == kNoRegister) continue;
            unsigned have = sym.registerBits(r);
            // .pred registers carry logical values of and/or/xor/not.pred; the declared 1 bit
            // matches .pred's width, so a mismatch is always a real error.
            if (have != bits) {
                const Operand& o = m_.operands[op];
                diags_.error(o.range,
                             fmt::format("operand '{}' is a {}-bit register but '{}' needs {} bits",
                                         m_.text(o.name), have, printOpcode(inst), bits));
            }
        }
    }

    void checkStateSpace(const FunctionSymbols& sym, const Instruction& inst) {
        if (inst.opcode != Opcode::Ld && inst.opcode != Opcode::St) return;
        Keyword space = Keyword::Unknown;
        for (const Modifier& mod : m_.modifiersOf(inst))
            if (isStateSpace(mod.keyword)) space = baseStateSpace(mod.keyword);
        if (space == Keyword::Unknown) return; // generic addressing: anything goes
        for (unsigned p = 0; p < inst.operandCount; ++p) {
            const Operand& o = m_.operands[inst.firstOperand + p];
            if (o.kind != OperandKind::Address || o.children.count == 0) continue;
            Binding b = sym.binding(o.children.first);
            if (b.kind != BindingKind::Variable) continue;
            const Variable& v = m_.variables[b.id];
            Keyword declared = baseStateSpace(v.space);
            if (declared == space || declared == Keyword::SpaceReg) continue;
            const Operand& base = m_.operands[o.children.first];
            Diagnostic& d =
                diags_.error(base.range, fmt::format("'{}' accesses '{}', which is declared in .{}",
                                                     printOpcode(inst), m_.text(base.name),
                                                     keywordSpelling(v.space)));
            d.notes.push_back({v.range, "declared here"});
        }
    }

    std::string printOpcode(const Instruction& inst) const {
        std::string s(m_.text(inst.opcodeText));
        for (const Modifier& mod : m_.modifiersOf(inst)) {
            s += '.';
            s += m_.text(mod.text);
        }
        return s;
    }

    const Module& m_;
    DiagnosticList& diags_;
    VerifyOptions opts_;
    ModuleSymbols globals_;
};

} // namespace

void verifyModule(const Module& module, DiagnosticList& diagnostics, const VerifyOptions& options) {
    ModuleVerifier(module, diagnostics, options).run();
}

} // namespace ptxwb::ptx
