#include "function_alignment.h"

#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "ptx/source_manager.h"

#include <algorithm>

namespace ptxwb::views {
namespace {

struct ParsedText {
    ptx::SourceManager sources;
    ptx::BufferId buffer = 0;
    ptx::Module module;
};

void parseInto(ParsedText& parsed, const std::string& name, std::string_view text) {
    parsed.buffer = parsed.sources.addBuffer(name, std::string(text));
    ptx::DiagnosticList diagnostics;
    parsed.module = ptx::parseModule(parsed.sources, parsed.buffer, diagnostics);
}

std::uint32_t findFunction(const ptx::Module& module, std::string_view name) {
    for (std::uint32_t i = 0; i < module.functions.size(); ++i)
        if (module.functions[i].hasBody && module.text(module.functions[i].name) == name) return i;
    return ptx::kNoIndex;
}

int lineOf(const ParsedText& parsed, std::uint32_t offset) {
    return int(parsed.sources.lineColumn(parsed.buffer, offset).line) - 1;
}

/// Emits rows in order, advancing a cursor per side so no line is shown twice.
class RowBuilder {
public:
    RowBuilder(std::vector<AlignedRow>& rows, int leftFirst, int rightFirst)
        : rows_(rows), left_(leftFirst), right_(rightFirst) {}

    /// Pairs the context lines before `leftUntil` / `rightUntil` (exclusive; -1 = no move on
    /// that side), filling the shorter side.
    void context(int leftUntil, int rightUntil) {
        const int nl = leftUntil < 0 ? 0 : std::max(0, leftUntil - left_);
        const int nr = rightUntil < 0 ? 0 : std::max(0, rightUntil - right_);
        for (int i = 0; i < std::max(nl, nr); ++i)
            rows_.push_back(
                {i < nl ? left_ + i : -1, i < nr ? right_ + i : -1, ptx::DiffKind::Same, false});
        left_ += nl;
        right_ += nr;
    }
    /// One aligned line; a side whose line was already shown (two statements on one line)
    /// becomes a filler.
    void line(int left, int right, ptx::DiffKind kind) {
        if (left >= 0 && left < left_) left = -1;
        if (right >= 0 && right < right_) right = -1;
        if (left < 0 && right < 0) return;
        rows_.push_back({left, right, kind, true});
        if (left >= 0) left_ = left + 1;
        if (right >= 0) right_ = right + 1;
    }

private:
    std::vector<AlignedRow>& rows_;
    int left_;
    int right_;
};

} // namespace

std::vector<std::string> ptxFunctionNames(std::string_view ptxText) {
    ParsedText parsed;
    parseInto(parsed, "<text>", ptxText);
    std::vector<std::string> names;
    for (const auto& f : parsed.module.functions)
        if (f.hasBody) names.emplace_back(parsed.module.text(f.name));
    return names;
}

Expected<FunctionAlignment> alignFunctions(const std::string& leftName, std::string_view leftText,
                                           const std::string& leftFunction,
                                           const std::string& rightName, std::string_view rightText,
                                           const std::string& rightFunction) {
    ParsedText left, right;
    parseInto(left, leftName, leftText);
    parseInto(right, rightName, rightText);
    const std::uint32_t lf = findFunction(left.module, leftFunction);
    if (lf == ptx::kNoIndex)
        return makeError(ErrorKind::BadInput,
                         leftName + ": no function '" + leftFunction + "' with a body");
    const std::uint32_t rf = findFunction(right.module, rightFunction);
    if (rf == ptx::kNoIndex)
        return makeError(ErrorKind::BadInput,
                         rightName + ": no function '" + rightFunction + "' with a body");

    const ptx::FunctionDiff diff = ptx::diffFunctions(left.module, lf, right.module, rf);
    FunctionAlignment out;
    out.same = diff.same;
    out.changed = diff.changed;
    out.onlyLeft = diff.onlyLeft;
    out.onlyRight = diff.onlyRight;
    const auto& lfn = left.module.functions[lf];
    const auto& rfn = right.module.functions[rf];
    out.leftFirstLine = lineOf(left, lfn.range.begin);
    out.leftLastLine = lineOf(left, std::max(lfn.range.begin, lfn.range.end - 1));
    out.rightFirstLine = lineOf(right, rfn.range.begin);
    out.rightLastLine = lineOf(right, std::max(rfn.range.begin, rfn.range.end - 1));

    RowBuilder rows(out.rows, out.leftFirstLine, out.rightFirstLine);
    for (const ptx::DiffLine& d : diff.lines) {
        const bool hasLeft = d.left != ptx::kNoIndex;
        const bool hasRight = d.right != ptx::kNoIndex;
        const int l = hasLeft ? lineOf(left, d.leftRange.begin) : -1;
        const int r = hasRight ? lineOf(right, d.rightRange.begin) : -1;
        rows.context(l, r);
        rows.line(l, r, d.kind);
    }
    rows.context(out.leftLastLine + 1, out.rightLastLine + 1);
    return out;
}

} // namespace ptxwb::views
