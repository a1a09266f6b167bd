#include "ptx_token_source.h"

#include <QLatin1StringView>
#include <algorithm>
#include <array>

#if defined(PTXWB_HAVE_PTX)
#include "ptx/highlight.h"

#include <string_view>

// The project's PTX lexer and token tables (core/ptx) classify the line; this file only maps
// their categories onto the editor's, splitting registers by width and telling labels from
// other identifiers (ptx::TokenCategory::Label covers both).

namespace ptxwb::views {
namespace {

PtxTokenCategory registerCategory(ptx::RegisterClass c) {
    switch (c) {
    case ptx::RegisterClass::Predicate:
        return PtxTokenCategory::RegisterPredicate;
    case ptx::RegisterClass::Bits16:
    case ptx::RegisterClass::Half:
        return PtxTokenCategory::Register16;
    case ptx::RegisterClass::Bits64:
    case ptx::RegisterClass::Bits128:
    case ptx::RegisterClass::Float64:
        return PtxTokenCategory::Register64;
    default:
        return PtxTokenCategory::Register32;
    }
}

} // namespace

PtxLineState tokenizePtxLine(QStringView line, PtxLineState entry, std::vector<PtxTokenSpan>& out) {
    const QByteArray utf8 = line.toUtf8();
    const std::string_view bytes(utf8.constData(), std::size_t(utf8.size()));
    ptx::HighlightState state{entry == PtxLineState::InBlockComment};
    thread_local std::vector<ptx::HighlightSpan> spans;
    ptx::highlightLine(bytes, state, spans);

    // Spans are byte offsets; columns are UTF-16. Equal for ASCII, which PTX nearly always is.
    std::vector<int> utf16At;
    if (utf8.size() != line.size()) {
        utf16At.resize(std::size_t(utf8.size()) + 1);
        int u = 0;
        for (qsizetype b = 0; b < utf8.size(); ++b) {
            utf16At[std::size_t(b)] = u;
            const auto c = static_cast<unsigned char>(utf8[b]);
            if ((c & 0xC0) != 0x80)     // a lead byte starts a code point ...
                u += c >= 0xF0 ? 2 : 1; // ... and 4-byte ones are surrogate pairs
        }
        utf16At.back() = int(line.size());
        // Continuation bytes map to the code point they belong to.
        for (qsizetype b = 1; b < utf8.size(); ++b)
            if ((static_cast<unsigned char>(utf8[b]) & 0xC0) == 0x80)
                utf16At[std::size_t(b)] = utf16At[std::size_t(b) - 1];
    }
    auto column = [&](std::uint32_t byte) {
        return utf16At.empty() ? int(byte)
                               : utf16At[std::min<std::size_t>(byte, utf16At.size() - 1)];
    };

    bool afterBranch = false;
    for (const auto& s : spans) {
        PtxTokenCategory c = PtxTokenCategory::Text;
        const std::string_view text = bytes.substr(s.offset, s.length);
        switch (s.category) {
        case ptx::TokenCategory::Plain:
            c = PtxTokenCategory::Text;
            break;
        case ptx::TokenCategory::Comment:
            c = PtxTokenCategory::Comment;
            break;
        case ptx::TokenCategory::Directive:
            c = PtxTokenCategory::Directive;
            break;
        case ptx::TokenCategory::StateSpace:
            c = PtxTokenCategory::StateSpace;
            break;
        case ptx::TokenCategory::Type:
            c = PtxTokenCategory::Type;
            break;
        case ptx::TokenCategory::Modifier:
            c = PtxTokenCategory::Modifier;
            break;
        case ptx::TokenCategory::Opcode:
            c = PtxTokenCategory::Opcode;
            break;
        case ptx::TokenCategory::Register:
            c = registerCategory(s.registerClass);
            break;
        case ptx::TokenCategory::SpecialRegister:
            c = PtxTokenCategory::SpecialRegister;
            break;
        case ptx::TokenCategory::Label: {
            const std::size_t next = bytes.find_first_not_of(" \t", s.offset + s.length);
            const bool definition = next != std::string_view::npos && bytes[next] == ':';
            c = definition || afterBranch ? PtxTokenCategory::Label : PtxTokenCategory::Identifier;
            break;
        }
        case ptx::TokenCategory::Number:
            c = PtxTokenCategory::Number;
            break;
        case ptx::TokenCategory::String:
            c = PtxTokenCategory::String;
            break;
        case ptx::TokenCategory::Punctuation:
            c = PtxTokenCategory::Punctuation;
            break;
        case ptx::TokenCategory::Error:
            c = PtxTokenCategory::Error;
            break;
        }
        if (s.category == ptx::TokenCategory::Opcode)
            afterBranch = text == "bra" || text == "brx";
        else if (text == ";")
            afterBranch = false;
        const int start = column(s.offset);
        out.push_back({start, column(s.offset + s.length) - start, c});
    }
    return state.inBlockComment ? PtxLineState::InBlockComment : PtxLineState::Normal;
}

} // namespace ptxwb::views

#else // !PTXWB_HAVE_PTX

// Interim classifier until core/ptx's lexer lands: just enough of the PTX surface to colour
// nvcc and hand-written PTX. It is deliberately line-local (plus the block-comment state) so
// the highlighter can colour any visible line without looking at the rest of the file.

namespace ptxwb::views {
namespace {

bool isIdentStart(QChar c) {
    return c.isLetter() || c == u'_' || c == u'$';
}
bool isIdentChar(QChar c) {
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

template <std::size_t N>
bool contains(const std::array<QLatin1StringView, N>& words, QStringView word) {
    return std::any_of(words.begin(), words.end(), [&](QLatin1StringView w) { return w == word; });
}

// PTX ISA "Fundamental types" and packed types (without the leading dot).
constexpr std::array kTypes{
    QLatin1StringView("s8"),     QLatin1StringView("s16"),    QLatin1StringView("s32"),
    QLatin1StringView("s64"),    QLatin1StringView("u8"),     QLatin1StringView("u16"),
    QLatin1StringView("u32"),    QLatin1StringView("u64"),    QLatin1StringView("b8"),
    QLatin1StringView("b16"),    QLatin1StringView("b32"),    QLatin1StringView("b64"),
    QLatin1StringView("b128"),   QLatin1StringView("f16"),    QLatin1StringView("f16x2"),
    QLatin1StringView("bf16"),   QLatin1StringView("bf16x2"), QLatin1StringView("tf32"),
    QLatin1StringView("f32"),    QLatin1StringView("f64"),    QLatin1StringView("pred"),
    QLatin1StringView("e4m3"),   QLatin1StringView("e5m2"),   QLatin1StringView("e4m3x2"),
    QLatin1StringView("e5m2x2"), QLatin1StringView("v2"),     QLatin1StringView("v4"),
};
constexpr std::array kStateSpaces{
    QLatin1StringView("global"), QLatin1StringView("shared"), QLatin1StringView("local"),
    QLatin1StringView("param"),  QLatin1StringView("const"),  QLatin1StringView("tex"),
    QLatin1StringView("reg"),    QLatin1StringView("sreg"),   QLatin1StringView("generic"),
};
constexpr std::array kSpecialRegisters{
    QLatin1StringView("tid"),
    QLatin1StringView("ntid"),
    QLatin1StringView("ctaid"),
    QLatin1StringView("nctaid"),
    QLatin1StringView("laneid"),
    QLatin1StringView("warpid"),
    QLatin1StringView("nwarpid"),
    QLatin1StringView("smid"),
    QLatin1StringView("nsmid"),
    QLatin1StringView("gridid"),
    QLatin1StringView("clock"),
    QLatin1StringView("clock64"),
    QLatin1StringView("globaltimer"),
    QLatin1StringView("dynamic_smem_size"),
    QLatin1StringView("total_smem_size"),
    QLatin1StringView("clusterid"),
    QLatin1StringView("cluster_ctaid"),
    QLatin1StringView("cluster_ctarank"),
    QLatin1StringView("lanemask_eq"),
    QLatin1StringView("lanemask_lt"),
    QLatin1StringView("lanemask_le"),
    QLatin1StringView("lanemask_gt"),
    QLatin1StringView("lanemask_ge"),
};

// nvcc's register naming; a manifest-declared width would be better and comes with core/ptx.
PtxTokenCategory registerCategory(QStringView name) {
    QStringView base = name;
    while (!base.isEmpty() && base.back().isDigit())
        base.chop(1);
    if (contains(kSpecialRegisters, base) || base.startsWith(u"envreg") || base.startsWith(u"pm"))
        return PtxTokenCategory::SpecialRegister;
    if (base == u"rd" || base == u"fd") return PtxTokenCategory::Register64;
    if (base == u"rs" || base == u"h" || base == u"hh") return PtxTokenCategory::Register16;
    if (base == u"p") return PtxTokenCategory::RegisterPredicate;
    return PtxTokenCategory::Register32;
}

int scanNumber(QStringView s, int i) {
    const int n = int(s.size());
    if (i + 1 < n && s[i] == u'0' &&
        (s[i + 1] == u'x' || s[i + 1] == u'X' || s[i + 1] == u'f' || s[i + 1] == u'F' ||
         s[i + 1] == u'd' || s[i + 1] == u'D')) {
        i += 2;
        while (i < n && isxdigit(s[i].toLatin1()))
            ++i;
    } else {
        while (i < n && (s[i].isDigit() || s[i] == u'.'))
            ++i;
        if (i < n && (s[i] == u'e' || s[i] == u'E')) {
            ++i;
            if (i < n && (s[i] == u'+' || s[i] == u'-')) ++i;
            while (i < n && s[i].isDigit())
                ++i;
        }
    }
    if (i < n && (s[i] == u'U' || s[i] == u'u')) ++i;
    return i;
}

} // namespace

PtxLineState tokenizePtxLine(QStringView s, PtxLineState entry, std::vector<PtxTokenSpan>& out) {
    const int n = int(s.size());
    int i = 0;
    auto push = [&](int start, int end, PtxTokenCategory c) {
        if (end > start) out.push_back({start, end - start, c});
    };
    if (entry == PtxLineState::InBlockComment) {
        const auto close = s.indexOf(u"*/");
        if (close < 0) {
            push(0, n, PtxTokenCategory::Comment);
            return PtxLineState::InBlockComment;
        }
        push(0, int(close) + 2, PtxTokenCategory::Comment);
        i = int(close) + 2;
    }
    bool statementStart = true; // next word is an opcode or a directive
    bool inInstruction = false; // after an opcode: dotted words are modifiers
    bool branchOperands = false;
    bool guard = false; // after `@` / `@!`: the predicate is followed by the opcode
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const int start = i;
        if (c == u'/' && i + 1 < n && s[i + 1] == u'/') {
            push(i, n, PtxTokenCategory::Comment);
            return PtxLineState::Normal;
        }
        if (c == u'/' && i + 1 < n && s[i + 1] == u'*') {
            const auto close = s.indexOf(u"*/", i + 2);
            if (close < 0) {
                push(i, n, PtxTokenCategory::Comment);
                return PtxLineState::InBlockComment;
            }
            i = int(close) + 2;
            push(start, i, PtxTokenCategory::Comment);
            continue;
        }
        if (c == u'"') {
            ++i;
            while (i < n && s[i] != u'"')
                i += (s[i] == u'\\' && i + 1 < n) ? 2 : 1;
            i = std::min(n, i + 1);
            push(start, i, PtxTokenCategory::String);
            continue;
        }
        if (c == u'.' && i + 1 < n && isIdentStart(s[i + 1])) {
            ++i;
            while (i < n && isIdentChar(s[i]))
                ++i;
            const QStringView word = s.sliced(start + 1, i - start - 1);
            PtxTokenCategory cat = PtxTokenCategory::Directive;
            if (contains(kTypes, word))
                cat = PtxTokenCategory::Type;
            else if (contains(kStateSpaces, word))
                cat = PtxTokenCategory::StateSpace;
            else if (inInstruction)
                cat = PtxTokenCategory::Modifier;
            push(start, i, cat);
            statementStart = false;
            continue;
        }
        if (c == u'%') {
            ++i;
            while (i < n && isIdentChar(s[i]))
                ++i;
            // `%tid.x`: the component is lexed as a dotted modifier, as core/ptx does.
            push(start, i, registerCategory(s.sliced(start + 1, i - start - 1)));
            statementStart = guard;
            guard = false;
            continue;
        }
        if (c.isDigit()) {
            i = scanNumber(s, i);
            push(start, i, PtxTokenCategory::Number);
            continue;
        }
        if (isIdentStart(c)) {
            while (i < n && isIdentChar(s[i]))
                ++i;
            int after = i;
            while (after < n && s[after].isSpace())
                ++after;
            const QStringView word = s.sliced(start, i - start);
            PtxTokenCategory cat = PtxTokenCategory::Identifier;
            if (statementStart && after < n && s[after] == u':') {
                cat = PtxTokenCategory::Label;
            } else if (statementStart) {
                cat = PtxTokenCategory::Opcode;
                inInstruction = true;
                branchOperands = word == u"bra" || word == u"brx";
            } else if (branchOperands) {
                cat = PtxTokenCategory::Label;
            }
            push(start, i, cat);
            statementStart = false;
            continue;
        }
        ++i;
        if (c == u';' || c == u'{' || c == u'}') {
            statementStart = true;
            inInstruction = false;
            branchOperands = false;
        } else if (c == u':') {
            statementStart = true; // after a label
        } else if (c == u'@') {
            guard = statementStart;
        } else if (c != u'!') {
            guard = false;
        }
        const bool punct = QStringView(u",;{}[]()+-<>@!:|=*/&^~?").contains(c);
        push(start, i, punct ? PtxTokenCategory::Punctuation : PtxTokenCategory::Error);
    }
    return PtxLineState::Normal;
}

} // namespace ptxwb::views

#endif // PTXWB_HAVE_PTX

namespace ptxwb::views {

const char* ptxTokenCategoryName(PtxTokenCategory category) {
    static constexpr std::array<const char*, kPtxTokenCategoryCount> kNames{"text",
                                                                            "directive",
                                                                            "opcode",
                                                                            "modifier",
                                                                            "type",
                                                                            "stateSpace",
                                                                            "register16",
                                                                            "register32",
                                                                            "register64",
                                                                            "registerPredicate",
                                                                            "specialRegister",
                                                                            "label",
                                                                            "identifier",
                                                                            "number",
                                                                            "string",
                                                                            "comment",
                                                                            "punctuation",
                                                                            "error"};
    return kNames[static_cast<int>(category)];
}

} // namespace ptxwb::views
