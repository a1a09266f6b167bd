#include "ptx_outline.h"

#include "ptx_token_source.h"

#include <QByteArrayView>
#include <algorithm>

namespace ptxwb::views {
namespace {

bool isWordByte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

// True when `line` holds `.entry` or `.func` as a whole word outside a comment.
bool hasFunctionKeyword(QByteArrayView line, bool& isEntry) {
    for (const char* keyword : {".entry", ".func"}) {
        const QByteArrayView kw(keyword);
        qsizetype at = line.indexOf(kw);
        while (at >= 0) {
            const qsizetype end = at + kw.size();
            const qsizetype comment = line.indexOf("//");
            if ((comment < 0 || comment > at) && (end == line.size() || !isWordByte(line[end]))) {
                isEntry = kw == QByteArrayView(".entry");
                return true;
            }
            at = line.indexOf(kw, end);
        }
    }
    return false;
}

// The function name on a header line: the first identifier outside parentheses after the
// .entry/.func keyword (`.func (.param .b32 r) name(` names `name`, not `r`).
QString headerName(const QString& line) {
    std::vector<PtxTokenSpan> spans;
    tokenizePtxLine(line, PtxLineState::Normal, spans);
    int depth = 0;
    bool seenKeyword = false;
    for (const auto& s : spans) {
        const QStringView text = QStringView(line).sliced(s.start, s.length);
        if (text == u".entry" || text == u".func")
            seenKeyword = true;
        else if (text == u"(")
            ++depth;
        else if (text == u")")
            --depth;
        else if (seenKeyword && depth == 0 &&
                 (s.category == PtxTokenCategory::Identifier ||
                  s.category == PtxTokenCategory::Opcode || s.category == PtxTokenCategory::Label))
            return text.toString();
    }
    return {};
}

} // namespace

int PtxOutline::functionContaining(int line) const {
    auto it = std::upper_bound(functions.begin(), functions.end(), line,
                               [](int l, const PtxFunctionOutline& f) { return l < f.headerLine; });
    if (it == functions.begin()) return -1;
    --it;
    return line <= it->closeLine ? int(it - functions.begin()) : -1;
}

int PtxOutline::functionNamed(QStringView name) const {
    for (std::size_t i = 0; i < functions.size(); ++i)
        if (functions[i].name == name) return int(i);
    return -1;
}

PtxOutline scanPtxOutline(const TextLineBuffer& text) {
    PtxOutline outline;
    PtxFunctionOutline pending;
    bool havePending = false; // header seen, waiting for `{` (or `;` of a prototype)
    bool inBody = false;
    int depth = 0;
    bool inBlockComment = false;
    for (int l = 0; l < text.lineCount(); ++l) {
        const QByteArray bytes = text.lineUtf8(l);
        const QByteArrayView line(bytes);
        bool isEntry = false;
        if (!inBody && !inBlockComment && hasFunctionKeyword(line, isEntry)) {
            pending = PtxFunctionOutline{headerName(text.line(l)), isEntry, l, l, l};
            havePending = true;
        }
        for (qsizetype i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (inBlockComment) {
                if (c == '*' && i + 1 < line.size() && line[i + 1] == '/') {
                    inBlockComment = false;
                    ++i;
                }
                continue;
            }
            if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') break;
            if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
                inBlockComment = true;
                ++i;
            } else if (c == '"') {
                while (++i < line.size() && line[i] != '"') {
                }
            } else if (c == ';' && havePending && !inBody) {
                havePending = false; // a prototype: `.extern .func f(...);`
            } else if (c == '{') {
                if (havePending && !inBody) {
                    inBody = true;
                    depth = 0;
                    pending.openLine = l;
                }
                ++depth;
            } else if (c == '}' && inBody && --depth == 0) {
                pending.closeLine = l;
                outline.functions.push_back(pending);
                inBody = false;
                havePending = false;
            }
        }
    }
    return outline;
}

int findLabelDefinition(const TextLineBuffer& text, QStringView label, int fromLine, int toLine) {
    const QByteArray wanted = label.toUtf8();
    fromLine = std::max(0, fromLine);
    toLine = std::min(toLine, text.lineCount() - 1);
    for (int l = fromLine; l <= toLine; ++l) {
        const QByteArray line = text.lineUtf8(l);
        const QByteArrayView trimmed = QByteArrayView(line).trimmed();
        if (!trimmed.startsWith(wanted)) continue;
        const QByteArrayView rest = trimmed.sliced(wanted.size()).trimmed();
        if (rest.startsWith(':')) return l;
    }
    return -1;
}

} // namespace ptxwb::views
