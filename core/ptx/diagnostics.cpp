#include "ptx/diagnostics.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::ptx {

Diagnostic& DiagnosticList::report(Severity severity, SourceRange range, std::string message) {
    if (severity == Severity::Error) ++errors_;
    if (severity == Severity::Warning) ++warnings_;
    if (list_.size() >= limit_) {
        overflow_ = Diagnostic{};
        return overflow_;
    }
    list_.push_back(Diagnostic{severity, range, std::move(message), {}});
    return list_.back();
}

void DiagnosticList::append(const DiagnosticList& other) {
    for (const auto& d : other.list_) {
        Diagnostic& copy = report(d.severity, d.range, d.message);
        copy.notes = d.notes;
    }
}

void DiagnosticList::sortByLocation(std::size_t fromIndex) {
    if (fromIndex >= list_.size()) return;
    std::stable_sort(
        list_.begin() + static_cast<std::ptrdiff_t>(fromIndex), list_.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return a.range.begin < b.range.begin; });
}

namespace {

const char* severityName(Severity s) {
    switch (s) {
    case Severity::Note:
        return "note";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "error";
}

// The source line (tabs kept so the caret lines up in a terminal) and a caret + tildes under the
// range. Very long lines (a 10 MB line) are cut to a window around the column.
void appendCaret(std::string& out, const SourceManager& sm, BufferId buffer, SourceRange range) {
    LineColumn lc = sm.lineColumn(buffer, range.begin);
    std::string_view line = sm.lineText(buffer, lc.line);
    std::size_t col = lc.column - 1;
    std::size_t windowStart = col > 80 ? col - 40 : 0;
    std::string_view shown = line.substr(std::min(windowStart, line.size()), 160);
    std::string text;
    text.reserve(shown.size());
    for (char c : shown) {
        auto u = static_cast<unsigned char>(c);
        text.push_back(u < 0x20 && c != '\t' ? ' ' : (u >= 0x7f ? '?' : c));
    }
    out += text;
    out += '\n';
    std::string caret;
    for (std::size_t i = windowStart; i < col && i - windowStart < shown.size(); ++i)
        caret.push_back(shown[i - windowStart] == '\t' ? '\t' : ' ');
    caret.push_back('^');
    std::size_t width = range.end > range.begin ? range.end - range.begin : 1;
    for (std::size_t i = 1; i < width && col + i < line.size() && i < 80; ++i)
        caret.push_back('~');
    out += caret;
    out += '\n';
}

} // namespace

std::string formatDiagnostic(const SourceManager& sm, BufferId buffer, const Diagnostic& d) {
    std::string out = fmt::format("{}: {}: {}\n", sm.formatLocation(buffer, d.range.begin),
                                  severityName(d.severity), d.message);
    appendCaret(out, sm, buffer, d.range);
    for (const auto& n : d.notes) {
        out += fmt::format("{}: note: {}\n", sm.formatLocation(buffer, n.range.begin), n.message);
        appendCaret(out, sm, buffer, n.range);
    }
    return out;
}

Error toError(const SourceManager& sm, BufferId buffer, const Diagnostic& d) {
    LineColumn lc = sm.lineColumn(buffer, d.range.begin);
    Error e(ErrorKind::BadInput, d.message,
            ErrorLocation::text(sm.name(buffer), lc.line, lc.column));
    for (const auto& n : d.notes)
        e.withNote(fmt::format("{}: {}", sm.formatLocation(buffer, n.range.begin), n.message));
    return e;
}

} // namespace ptxwb::ptx
