#include "ptx/printer.h"

#include <fmt/format.h>

namespace ptxwb::ptx {
namespace {

void appendInt(std::string& out, std::int64_t v) {
    char buf[24];
    auto r = fmt::format_to_n(buf, sizeof buf, "{}", v);
    out.append(buf, r.size);
}
void appendUint(std::string& out, std::uint64_t v) {
    char buf[24];
    auto r = fmt::format_to_n(buf, sizeof buf, "{}", v);
    out.append(buf, r.size);
}

class ModulePrinter {
public:
    explicit ModulePrinter(const Module& m) : m_(m) { out_.reserve(m.source.size() + 4096); }

    std::string run() {
        for (const TopLevelItem& item : m_.items)
            printItem(item);
        return std::move(out_);
    }

    void instruction(const Instruction& inst) {
        if (inst.guard != kNoIndex) {
            out_ += '@';
            if (inst.guardNegated) out_ += '!';
            out_ += m_.text(m_.operands[inst.guard].name);
            out_ += ' ';
        }
        out_ += m_.text(inst.opcodeText);
        for (const Modifier& mod : m_.modifiersOf(inst)) {
            out_ += '.';
            out_ += m_.text(mod.text);
        }
        bool firstOp = true;
        for (const Operand& op : m_.operandsOf(inst)) {
            out_ += firstOp ? "\t" : ", ";
            firstOp = false;
            appendOperand(out_, m_, op);
        }
        out_ += ';';
    }
    std::string& out() { return out_; }

private:
    void indent(unsigned depth) { out_.append(depth, '\t'); }

    void printItem(const TopLevelItem& item) {
        switch (item.kind) {
        case TopLevelKind::Version:
            out_ += fmt::format(".version {}.{}\n", m_.versionMajor, m_.versionMinor);
            break;
        case TopLevelKind::Target:
            out_ += ".target ";
            for (std::size_t i = 0; i < m_.targets.size(); ++i) {
                if (i) out_ += ", ";
                out_ += m_.text(m_.targets[i]);
            }
            out_ += '\n';
            break;
        case TopLevelKind::AddressSize:
            out_ += fmt::format(".address_size {}\n\n", m_.addressSize);
            break;
        case TopLevelKind::File: {
            const FileDirective& f = m_.files[item.index];
            out_ += fmt::format("\t.file\t{} {}", f.number, m_.text(f.path));
            if (f.hasTimestamp) out_ += fmt::format(", {}, {}", f.timestamp, f.size);
            out_ += '\n';
            break;
        }
        case TopLevelKind::Section:
            printSection(m_.sections[item.index]);
            break;
        case TopLevelKind::Variable:
            variable(m_.variables[item.index]);
            out_ += ";\n";
            break;
        case TopLevelKind::Function:
            printFunction(m_.functions[item.index]);
            break;
        case TopLevelKind::Pragma:
            pragma(m_.pragmas[item.index]);
            out_ += '\n';
            break;
        case TopLevelKind::Alias: {
            const Alias& a = m_.aliases[item.index];
            out_ += fmt::format(".alias {}, {};\n", m_.text(a.alias), m_.text(a.aliasee));
            break;
        }
        }
    }

    void pragma(const Pragma& p) {
        out_ += ".pragma ";
        for (std::uint32_t i = 0; i < p.stringCount; ++i) {
            if (i) out_ += ", ";
            out_ += m_.text(m_.strings[p.firstString + i]);
        }
        out_ += ';';
    }

    void linkage(std::uint8_t l) {
        if (l & kLinkExtern) out_ += ".extern ";
        if (l & kLinkVisible) out_ += ".visible ";
        if (l & kLinkWeak) out_ += ".weak ";
        if (l & kLinkCommon) out_ += ".common ";
    }

    void variable(const Variable& v) {
        linkage(v.linkage);
        out_ += '.';
        out_ += keywordSpelling(v.space);
        if (v.attributeText != kNoIndex) {
            out_ += ' ';
            out_ += m_.text(m_.rawTexts[v.attributeText]);
        }
        if (v.hasAlign) out_ += fmt::format(" .align {}", v.align);
        if (v.vectorWidth) out_ += fmt::format(" .v{}", v.vectorWidth);
        out_ += " .";
        out_ += keywordSpelling(v.type);
        if (v.isPtr) {
            out_ += " .ptr";
            if (v.ptrSpace != Keyword::Unknown) {
                out_ += " .";
                out_ += keywordSpelling(v.ptrSpace);
            }
            if (v.ptrAlign) out_ += fmt::format(" .align {}", v.ptrAlign);
        }
        out_ += ' ';
        out_ += m_.text(v.name);
        if (v.isRange) out_ += fmt::format("<{}>", v.rangeCount);
        for (std::uint32_t d = 0; d < v.dimensionCount; ++d) {
            std::uint32_t n = m_.dimensions[v.firstDimension + d];
            if (n)
                out_ += fmt::format("[{}]", n);
            else
                out_ += "[]";
        }
        if (v.initializer != kNoIndex) {
            out_ += " = ";
            appendOperand(out_, m_, m_.operands[v.initializer]);
        }
    }

    void paramList(std::uint32_t first, std::uint32_t count, bool multiline) {
        out_ += '(';
        for (std::uint32_t i = 0; i < count; ++i) {
            if (i) out_ += ',';
            if (multiline)
                out_ += "\n\t";
            else if (i)
                out_ += ' ';
            variable(m_.variables[first + i]);
        }
        if (multiline && count) out_ += '\n';
        out_ += ')';
    }

    void printFunction(const Function& f) {
        linkage(f.linkage);
        out_ += f.isEntry ? ".entry " : ".func ";
        if (f.returnCount) {
            paramList(f.firstReturn, f.returnCount, false);
            out_ += ' ';
        }
        out_ += m_.text(f.name);
        paramList(f.firstParam, f.paramCount, true);
        out_ += '\n';
        for (std::uint32_t i = 0; i < f.performanceCount; ++i) {
            const PerformanceDirective& d = m_.performance[f.firstPerformance + i];
            out_ += '.';
            out_ += keywordSpelling(d.directive);
            for (std::uint32_t k = 0; k < d.valueCount; ++k) {
                out_ += k ? ", " : " ";
                appendUint(out_, d.values[k]);
            }
            out_ += '\n';
        }
        if (f.noreturn) out_ += ".noreturn\n";
        if (!f.hasBody) {
            out_ += ";\n\n";
            return;
        }
        out_ += "{\n";
        unsigned depth = 1;
        for (const Statement& s : m_.bodyOf(f))
            statement(s, depth);
        out_ += "}\n\n";
    }

    void statement(const Statement& s, unsigned& depth) {
        switch (s.kind) {
        case StatementKind::Instruction:
            indent(depth);
            instruction(m_.instructions[s.index]);
            break;
        case StatementKind::Label:
            out_ += m_.text(m_.labels[s.index].name);
            out_ += ':';
            break;
        case StatementKind::Variable:
            indent(depth);
            variable(m_.variables[s.index]);
            out_ += ';';
            break;
        case StatementKind::ScopeBegin:
            indent(depth++);
            out_ += '{';
            break;
        case StatementKind::ScopeEnd:
            indent(--depth);
            out_ += '}';
            break;
        case StatementKind::Pragma:
            indent(depth);
            pragma(m_.pragmas[s.index]);
            break;
        case StatementKind::Loc:
            loc(m_.locs[s.index], depth);
            break;
        case StatementKind::CallPrototype: {
            const CallPrototype& p = m_.prototypes[s.index];
            indent(depth);
            out_ += m_.text(p.name);
            out_ += " : .callprototype ";
            if (p.returnCount) {
                paramList(p.firstReturn, p.returnCount, false);
                out_ += ' ';
            }
            out_ += "_ ";
            paramList(p.firstParam, p.paramCount, false);
            if (p.noreturn) out_ += " .noreturn";
            out_ += ';';
            break;
        }
        case StatementKind::TargetList: {
            const TargetList& t = m_.targetLists[s.index];
            out_ += m_.text(t.name);
            out_ += t.isCallTargets ? ": .calltargets " : ": .branchtargets ";
            for (std::uint32_t i = 0; i < t.targetCount; ++i) {
                if (i) out_ += ", ";
                out_ += m_.text(m_.operands[t.firstTarget + i].name);
            }
            out_ += ';';
            break;
        }
        }
        out_ += '\n';
    }

    void loc(const Loc& l, unsigned depth) {
        indent(depth);
        out_ += fmt::format(".loc\t{} {} {}", l.file, l.line, l.column);
        if (!l.functionName.empty()) {
            out_ += ", function_name ";
            out_ += m_.text(l.functionName);
            if (l.functionNameOffset) out_ += fmt::format("+{}", l.functionNameOffset);
        }
        if (l.hasInlinedAt)
            out_ +=
                fmt::format(", inlined_at {} {} {}", l.inlinedFile, l.inlinedLine, l.inlinedColumn);
    }

    void printSection(const Section& s) {
        out_ += "\t.section\t";
        out_ += m_.text(s.name);
        out_ += "\n\t{\n";
        for (std::uint32_t i = 0; i < s.entryCount; ++i) {
            const SectionEntry& e = m_.sectionEntries[s.firstEntry + i];
            if (e.isLabel) {
                out_ += m_.text(e.label);
                out_ += ":\n";
                continue;
            }
            out_ += '.';
            out_ += keywordSpelling(e.type);
            for (std::uint32_t k = 0; k < e.valueCount; ++k) {
                out_ += k ? "," : " ";
                appendOperand(out_, m_, m_.operands[e.firstValue + k]);
            }
            out_ += '\n';
        }
        out_ += "\t}\n";
    }

    const Module& m_;
    std::string out_;
};

} // namespace

void appendOperand(std::string& out, const Module& m, const Operand& op) {
    if (op.flags & kOperandNegated) out += '!';
    if (op.flags & kOperandNegatedSource) out += '-';
    switch (op.kind) {
    case OperandKind::Register:
        out += m.text(op.name);
        if (op.component) {
            out += '.';
            out += "xyzw"[op.component - 1];
        }
        break;
    case OperandKind::Symbol:
        if (op.flags & kOperandGeneric) {
            out += "generic(";
            out += m.text(op.name);
            out += ')';
        } else {
            out += m.text(op.name);
        }
        if (op.flags & kOperandHasOffset) {
            out += '+';
            appendInt(out, op.value);
        }
        break;
    case OperandKind::Integer:
        if (op.flags & kOperandLiteral)
            out += m.text(op.name);
        else
            appendInt(out, op.value);
        break;
    case OperandKind::Float:
        if (op.flags & kOperandNegative) out += '-';
        out += m.text(op.name);
        break;
    case OperandKind::Address: {
        out += '[';
        auto children = m.childrenOf(op);
        for (std::size_t i = 0; i < children.size(); ++i) {
            if (i) out += ", ";
            appendOperand(out, m, children[i]);
            if (i == 0 && (op.flags & kOperandHasOffset)) {
                out += '+';
                appendInt(out, op.value);
            }
        }
        out += ']';
        break;
    }
    case OperandKind::Vector:
    case OperandKind::List: {
        out += op.kind == OperandKind::Vector ? '{' : '(';
        auto children = m.childrenOf(op);
        for (std::size_t i = 0; i < children.size(); ++i) {
            if (i) out += ", ";
            appendOperand(out, m, children[i]);
        }
        out += op.kind == OperandKind::Vector ? '}' : ')';
        break;
    }
    case OperandKind::Pair: {
        auto children = m.childrenOf(op);
        appendOperand(out, m, children[0]);
        out += '|';
        appendOperand(out, m, children[1]);
        break;
    }
    case OperandKind::Sink:
        out += '_';
        break;
    case OperandKind::SectionRef:
        out += m.text(op.name);
        if (op.flags & kOperandHasOffset) {
            out += '+';
            appendInt(out, op.value);
        }
        break;
    case OperandKind::LabelDiff:
        out += m.text(op.name);
        out += '-';
        out += m.text(m.rawTexts[static_cast<std::size_t>(op.value)]);
        break;
    }
}

std::string printModule(const Module& module) {
    return ModulePrinter(module).run();
}

std::string printInstruction(const Module& module, const Instruction& inst) {
    ModulePrinter p(module);
    p.out().clear();
    p.instruction(inst);
    return std::move(p.out());
}

} // namespace ptxwb::ptx
