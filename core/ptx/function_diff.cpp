#include "ptx/function_diff.h"

#include "ptx/printer.h"
#include "ptx/register_file.h"

#include <algorithm>
#include <unordered_map>

namespace ptxwb::ptx {

const char* diffKindName(DiffKind k) {
    switch (k) {
    case DiffKind::Same:
        return "same";
    case DiffKind::Changed:
        return "changed";
    case DiffKind::OnlyLeft:
        return "only-left";
    case DiffKind::OnlyRight:
        return "only-right";
    }
    return "?";
}

namespace {

/// One side of the comparison: its lines (instructions and labels) with shape hashes.
struct Side {
    struct Line {
        bool isLabel;
        std::uint32_t index; ///< instruction or label index
        std::uint64_t shape;
    };
    const Module& m;
    ModuleSymbols globals;
    FunctionSymbols sym;
    std::vector<Line> lines;

    Side(const Module& module, std::uint32_t fn)
        : m(module), globals(module), sym(module, globals, fn) {
        for (const Statement& s : m.bodyOf(m.functions[fn])) {
            if (s.kind == StatementKind::Label)
                lines.push_back({true, s.index, 0x1abe1});
            else if (s.kind == StatementKind::Instruction)
                lines.push_back({false, s.index, shapeOf(m.instructions[s.index])});
        }
    }

    static std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
        h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        return h;
    }
    static std::uint64_t hashText(std::string_view s) {
        std::uint64_t h = 1469598103934665603ull;
        for (char c : s)
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        return h;
    }

    std::uint64_t operandShape(std::uint32_t index) const {
        const Operand& o = m.operands[index];
        std::uint64_t h = mix(static_cast<std::uint64_t>(o.kind) + 1, o.flags);
        Binding b = sym.binding(index);
        switch (o.kind) {
        case OperandKind::Register:
        case OperandKind::Symbol:
            if (b.kind == BindingKind::Register) return mix(h, 0x100 + sym.registerBits(b.id));
            if (b.kind == BindingKind::Label) return mix(h, 0x200);
            h = mix(h, o.component);
            h = mix(h, static_cast<std::uint64_t>(o.value));
            return mix(h, hashText(m.text(o.name))); // globals, special registers, params
        case OperandKind::Integer:
        case OperandKind::Float:
            return mix(h, static_cast<std::uint64_t>(o.value));
        default:
            h = mix(h, static_cast<std::uint64_t>(o.value));
            if (o.isContainer()) {
                for (std::uint32_t c = 0; c < o.children.count; ++c)
                    h = mix(h, operandShape(o.children.first + c));
            } else if (o.kind != OperandKind::Sink) {
                h = mix(h, hashText(m.text(o.name))); // SectionRef, LabelDiff
            }
            return h;
        }
    }

    std::uint64_t shapeOf(const Instruction& inst) const {
        std::uint64_t h = hashText(m.text(inst.opcodeText));
        for (const Modifier& mod : m.modifiersOf(inst))
            h = mix(h, hashText(m.text(mod.text)));
        h = mix(h, inst.guardNegated);
        if (inst.guard != kNoIndex) h = mix(h, operandShape(inst.guard));
        for (std::uint32_t i = 0; i < inst.operandCount; ++i)
            h = mix(h, operandShape(inst.firstOperand + i));
        return h;
    }

    std::string text(const Line& l) const {
        if (l.isLabel) return std::string(m.text(m.labels[l.index].name)) + ":";
        return printInstruction(m, m.instructions[l.index]);
    }
    SourceRange range(const Line& l) const {
        return l.isLabel ? m.labels[l.index].range : m.instructions[l.index].range;
    }
};

/// Longest common subsequence of shape hashes, as (left, right) position pairs. Quadratic
/// dynamic programming on the part between the common prefix and suffix; if that is too large
/// the middle is left unaligned (reported as only-left/only-right).
std::vector<std::pair<std::uint32_t, std::uint32_t>> align(const Side& a, const Side& b) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    auto n = static_cast<std::uint32_t>(a.lines.size()),
         m = static_cast<std::uint32_t>(b.lines.size());
    std::uint32_t pre = 0;
    while (pre < n && pre < m && a.lines[pre].shape == b.lines[pre].shape)
        pairs.emplace_back(pre, pre), ++pre;
    std::uint32_t suf = 0;
    while (suf < n - pre && suf < m - pre &&
           a.lines[n - 1 - suf].shape == b.lines[m - 1 - suf].shape)
        ++suf;
    std::uint32_t rn = n - pre - suf, rm = m - pre - suf;
    if (rn > 0 && rm > 0 && static_cast<std::uint64_t>(rn) * rm <= 32'000'000ull) {
        std::vector<std::uint32_t> dp(static_cast<std::size_t>(rn + 1) * (rm + 1), 0);
        auto at = [&](std::uint32_t i, std::uint32_t j) -> std::uint32_t& {
            return dp[static_cast<std::size_t>(i) * (rm + 1) + j];
        };
        for (std::uint32_t i = rn; i-- > 0;)
            for (std::uint32_t j = rm; j-- > 0;)
                at(i, j) = a.lines[pre + i].shape == b.lines[pre + j].shape
                               ? at(i + 1, j + 1) + 1
                               : std::max(at(i + 1, j), at(i, j + 1));
        std::uint32_t i = 0, j = 0;
        while (i < rn && j < rm) {
            if (a.lines[pre + i].shape == b.lines[pre + j].shape)
                pairs.emplace_back(pre + i++, pre + j++);
            else if (at(i + 1, j) >= at(i, j + 1))
                ++i;
            else
                ++j;
        }
    }
    for (std::uint32_t k = suf; k > 0; --k)
        pairs.emplace_back(n - k, m - k);
    return pairs;
}

/// Tracks the register and label renaming between the two sides.
class Renaming {
public:
    bool matchInstruction(const Side& a, const Instruction& x, const Side& b,
                          const Instruction& y) {
        bool ok = true;
        for (std::uint32_t i = 0; i < x.operandCount && i < y.operandCount; ++i)
            ok &= matchOperand(a, x.firstOperand + i, b, y.firstOperand + i);
        if (x.guard != kNoIndex && y.guard != kNoIndex) ok &= matchOperand(a, x.guard, b, y.guard);
        return ok;
    }
    bool bindLabel(std::uint32_t l, std::uint32_t r) { return bind(labels_, labelsBack_, l, r); }

private:
    bool matchOperand(const Side& a, std::uint32_t i, const Side& b, std::uint32_t j) {
        const Operand& x = a.m.operands[i];
        const Operand& y = b.m.operands[j];
        Binding bx = a.sym.binding(i), by = b.sym.binding(j);
        if (bx.kind == BindingKind::Register && by.kind == BindingKind::Register)
            return bind(regs_, regsBack_, bx.id, by.id);
        if (bx.kind == BindingKind::Label && by.kind == BindingKind::Label)
            return bindLabel(bx.id, by.id);
        bool ok = true;
        if (x.kind != y.kind || !x.isContainer()) return ok;
        for (std::uint32_t c = 0; c < x.children.count && c < y.children.count; ++c)
            ok &= matchOperand(a, x.children.first + c, b, y.children.first + c);
        return ok;
    }
    static bool bind(std::unordered_map<std::uint32_t, std::uint32_t>& fwd,
                     std::unordered_map<std::uint32_t, std::uint32_t>& back, std::uint32_t l,
                     std::uint32_t r) {
        auto f = fwd.find(l);
        auto g = back.find(r);
        if (f == fwd.end() && g == back.end()) {
            fwd.emplace(l, r);
            back.emplace(r, l);
            return true;
        }
        return f != fwd.end() && f->second == r;
    }
    std::unordered_map<std::uint32_t, std::uint32_t> regs_, regsBack_, labels_, labelsBack_;
};

} // namespace

FunctionDiff diffFunctions(const Module& left, std::uint32_t lf, const Module& right,
                           std::uint32_t rf) {
    Side a(left, lf), b(right, rf);
    auto pairs = align(a, b);
    // Labels are bound up front from aligned label lines so forward branches match.
    Renaming renaming;
    for (auto [i, j] : pairs)
        if (a.lines[i].isLabel) renaming.bindLabel(a.lines[i].index, b.lines[j].index);

    FunctionDiff diff;
    auto emit = [&](DiffKind kind, const Side::Line* l, const Side::Line* r) {
        DiffLine d;
        d.kind = kind;
        d.isLabel = (l ? l : r)->isLabel;
        if (l) {
            d.left = l->index;
            d.leftRange = a.range(*l);
            d.leftText = a.text(*l);
        }
        if (r) {
            d.right = r->index;
            d.rightRange = b.range(*r);
            d.rightText = b.text(*r);
        }
        switch (kind) {
        case DiffKind::Same:
            ++diff.same;
            break;
        case DiffKind::Changed:
            ++diff.changed;
            break;
        case DiffKind::OnlyLeft:
            ++diff.onlyLeft;
            break;
        case DiffKind::OnlyRight:
            ++diff.onlyRight;
            break;
        }
        diff.lines.push_back(std::move(d));
    };
    // Unaligned stretches: lines with the same opcode at the same offset are "changed"
    // versions of each other; the rest appear on one side only.
    auto gap = [&](std::uint32_t i0, std::uint32_t i1, std::uint32_t j0, std::uint32_t j1) {
        while (i0 < i1 || j0 < j1) {
            if (i0 < i1 && j0 < j1 && !a.lines[i0].isLabel && !b.lines[j0].isLabel &&
                a.m.instructions[a.lines[i0].index].opcode ==
                    b.m.instructions[b.lines[j0].index].opcode) {
                renaming.matchInstruction(a, a.m.instructions[a.lines[i0].index], b,
                                          b.m.instructions[b.lines[j0].index]);
                emit(DiffKind::Changed, &a.lines[i0++], &b.lines[j0++]);
            } else if (i0 < i1) {
                emit(DiffKind::OnlyLeft, &a.lines[i0++], nullptr);
            } else {
                emit(DiffKind::OnlyRight, nullptr, &b.lines[j0++]);
            }
        }
    };
    std::uint32_t i = 0, j = 0;
    for (auto [pi, pj] : pairs) {
        gap(i, pi, j, pj);
        const Side::Line& l = a.lines[pi];
        const Side::Line& r = b.lines[pj];
        bool same = l.isLabel || renaming.matchInstruction(a, a.m.instructions[l.index], b,
                                                           b.m.instructions[r.index]);
        emit(same ? DiffKind::Same : DiffKind::Changed, &l, &r);
        i = pi + 1;
        j = pj + 1;
    }
    gap(i, static_cast<std::uint32_t>(a.lines.size()), j,
        static_cast<std::uint32_t>(b.lines.size()));
    return diff;
}

} // namespace ptxwb::ptx
