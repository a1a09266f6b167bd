#include "ptx_token_source.h"

#include "ptx/lexer.h"
#include "ptx/tables.h"

#include <array>
#include <string_view>

// core/ptx's lexer and keyword/opcode tables (the parser's X-macro tables) classify the line;
// this file only maps tokens onto editor categories: opcodes at statement start, labels vs other
// identifiers, and registers split by width (nvcc's naming: %rs/%h 16-bit, %r/%f 32-bit,
// %rd/%fd 64-bit, %p predicates) so a 64-bit address register stands out.

namespace ptxwb::views {
namespace {

PtxTokenCategory registerCategory(std::string_view name) {
    std::string_view prefix = name.substr(1);
    while (!prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9')
        prefix.remove_suffix(1);
    if (prefix == "rd" || prefix == "fd" || prefix == "rq") return PtxTokenCategory::Register64;
    if (prefix == "rs" || prefix == "h") return PtxTokenCategory::Register16;
    if (prefix == "p") return PtxTokenCategory::RegisterPredicate;
    if (prefix == "r" || prefix == "f" || prefix == "hh") return PtxTokenCategory::Register32;
    if (ptx::lookupSpecialRegister(name.substr(1)) != ptx::SpecialRegister::Unknown)
        return PtxTokenCategory::SpecialRegister;
    return PtxTokenCategory::Register32;
}

PtxTokenCategory dotCategory(std::string_view text) {
    switch (ptx::keywordCategory(ptx::lookupKeyword(text.substr(1)))) {
    case ptx::KeywordCategory::Directive:
        return PtxTokenCategory::Directive;
    case ptx::KeywordCategory::StateSpace:
        return PtxTokenCategory::StateSpace;
    case ptx::KeywordCategory::Type:
        return PtxTokenCategory::Type;
    default:
        return PtxTokenCategory::Modifier;
    }
}

} // namespace

PtxLineState tokenizePtxLine(QStringView line, PtxLineState entry, std::vector<PtxTokenSpan>& out) {
    const QByteArray utf8 = line.toUtf8();
    const std::string_view bytes(utf8.constData(), std::size_t(utf8.size()));

    // Spans are byte offsets; columns are UTF-16. Equal for ASCII, which PTX nearly always is.
    std::vector<int> utf16At;
    if (utf8.size() != line.size()) {
        utf16At.resize(std::size_t(utf8.size()) + 1);
        int u = 0;
        for (qsizetype b = 0; b < utf8.size(); ++b) {
            const auto c = static_cast<unsigned char>(utf8[b]);
            if ((c & 0xC0) == 0x80) { // a continuation byte belongs to its code point
                utf16At[std::size_t(b)] = utf16At[std::size_t(b) - 1];
                continue;
            }
            utf16At[std::size_t(b)] = u;
            u += c >= 0xF0 ? 2 : 1; // 4-byte sequences are surrogate pairs in UTF-16
        }
        utf16At.back() = int(line.size());
    }
    auto column = [&](std::size_t byte) {
        return utf16At.empty() ? int(byte) : utf16At[std::min(byte, utf16At.size() - 1)];
    };
    auto push = [&](std::size_t begin, std::size_t end, PtxTokenCategory c) {
        if (end > begin) out.push_back({column(begin), column(end) - column(begin), c});
    };

    std::size_t start = 0;
    if (entry == PtxLineState::InBlockComment) {
        const std::size_t close = bytes.find("*/");
        if (close == std::string_view::npos) {
            push(0, bytes.size(), PtxTokenCategory::Comment);
            return PtxLineState::InBlockComment;
        }
        start = close + 2;
        push(0, start, PtxTokenCategory::Comment);
    }
    PtxLineState end = PtxLineState::Normal;
    ptx::Lexer lexer(bytes.substr(start), /*keepComments=*/true, std::uint32_t(start));
    bool statementStart = true; // the next identifier may be an opcode
    bool guard = false;         // after '@': the predicate register is followed by the opcode
    bool branchOperands = false;
    for (;;) {
        const ptx::Token t = lexer.next();
        if (t.kind == ptx::TokenKind::EndOfFile) break;
        PtxTokenCategory c = PtxTokenCategory::Punctuation;
        switch (t.kind) {
        case ptx::TokenKind::Comment:
            c = PtxTokenCategory::Comment;
            break;
        case ptx::TokenKind::Error:
            if (t.error == ptx::LexError::UnterminatedComment) {
                c = PtxTokenCategory::Comment;
                end = PtxLineState::InBlockComment;
            } else {
                c = PtxTokenCategory::Error;
            }
            break;
        case ptx::TokenKind::DotName:
            c = dotCategory(t.text);
            break;
        case ptx::TokenKind::Register:
            c = registerCategory(t.text);
            break;
        case ptx::TokenKind::Identifier: {
            const std::size_t next = bytes.find_first_not_of(" \t", t.end());
            const bool definition = next != std::string_view::npos && bytes[next] == ':';
            if (definition) {
                c = PtxTokenCategory::Label;
            } else if (statementStart && (ptx::lookupOpcode(t.text) != ptx::Opcode::Unknown ||
                                          ptx::isCompoundOpcodePrefix(t.text))) {
                c = PtxTokenCategory::Opcode;
                branchOperands = t.text == "bra" || t.text == "brx";
            } else {
                c = branchOperands ? PtxTokenCategory::Label : PtxTokenCategory::Identifier;
            }
            break;
        }
        case ptx::TokenKind::Integer:
        case ptx::TokenKind::Float:
            c = PtxTokenCategory::Number;
            break;
        case ptx::TokenKind::String:
            c = PtxTokenCategory::String;
            break;
        default:
            break;
        }
        push(t.offset, t.end(), c);

        if (t.kind == ptx::TokenKind::Identifier)
            statementStart = false;
        else if (t.kind == ptx::TokenKind::Register) {
            statementStart = guard;
            guard = false;
        } else if (t.kind == ptx::TokenKind::At)
            guard = true;
        else if (t.kind == ptx::TokenKind::Semicolon || t.kind == ptx::TokenKind::LBrace ||
                 t.kind == ptx::TokenKind::RBrace) {
            statementStart = true;
            branchOperands = false;
        } else if (t.kind == ptx::TokenKind::Colon)
            statementStart = true;
        else if (t.kind == ptx::TokenKind::DotName && c == PtxTokenCategory::Directive)
            statementStart = false;
    }
    return end;
}

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
