#include "ptx/highlight.h"

#include "ptx/lexer.h"
#include "ptx/tables.h"

namespace ptxwb::ptx {

RegisterClass registerClassOf(std::string_view name) {
    if (name.size() < 2 || name[0] != '%') return RegisterClass::None;
    std::size_t end = name.size();
    while (end > 1 && name[end - 1] >= '0' && name[end - 1] <= '9')
        --end;
    std::string_view prefix = name.substr(1, end - 1);
    if (prefix == "p") return RegisterClass::Predicate;
    if (prefix == "rs") return RegisterClass::Bits16;
    if (prefix == "r") return RegisterClass::Bits32;
    if (prefix == "rd") return RegisterClass::Bits64;
    if (prefix == "rq") return RegisterClass::Bits128;
    if (prefix == "f") return RegisterClass::Float32;
    if (prefix == "fd") return RegisterClass::Float64;
    if (prefix == "h") return RegisterClass::Half;
    if (prefix == "hh") return RegisterClass::Half2;
    return RegisterClass::None;
}

namespace {

TokenCategory dotCategory(std::string_view text) {
    switch (keywordCategory(lookupKeyword(text.substr(1)))) {
    case KeywordCategory::Directive:
        return TokenCategory::Directive;
    case KeywordCategory::StateSpace:
        return TokenCategory::StateSpace;
    case KeywordCategory::Type:
        return TokenCategory::Type;
    default:
        return TokenCategory::Modifier;
    }
}

} // namespace

void highlightLine(std::string_view line, HighlightState& state, std::vector<HighlightSpan>& out) {
    out.clear();
    std::size_t start = 0;
    if (state.inBlockComment) {
        std::size_t close = line.find("*/");
        if (close == std::string_view::npos) {
            if (!line.empty())
                out.push_back({0, static_cast<std::uint32_t>(line.size()), TokenCategory::Comment});
            return;
        }
        start = close + 2;
        out.push_back({0, static_cast<std::uint32_t>(start), TokenCategory::Comment});
        state.inBlockComment = false;
    }
    Lexer lexer(line.substr(start), true, static_cast<std::uint32_t>(start));
    bool statementStart = true; // the next identifier could be an opcode
    for (;;) {
        Token t = lexer.next();
        if (t.kind == TokenKind::EndOfFile) break;
        HighlightSpan span{t.offset, static_cast<std::uint32_t>(t.text.size())};
        switch (t.kind) {
        case TokenKind::Comment:
            span.category = TokenCategory::Comment;
            break;
        case TokenKind::Error:
            if (t.error == LexError::UnterminatedComment) {
                span.category = TokenCategory::Comment;
                state.inBlockComment = true;
            } else {
                span.category = TokenCategory::Error;
            }
            break;
        case TokenKind::DotName:
            span.category = dotCategory(t.text);
            break;
        case TokenKind::Register:
            span.registerClass = registerClassOf(t.text);
            span.category =
                span.registerClass == RegisterClass::None &&
                        lookupSpecialRegister(t.text.substr(1)) != SpecialRegister::Unknown
                    ? TokenCategory::SpecialRegister
                    : TokenCategory::Register;
            break;
        case TokenKind::Identifier: {
            // An identifier opening a statement is an opcode unless a ':' makes it a label.
            std::string_view rest = line.substr(t.offset + t.text.size());
            std::size_t k = rest.find_first_not_of(" \t");
            bool label = k != std::string_view::npos && rest[k] == ':';
            if (statementStart && !label && lookupOpcode(t.text) != Opcode::Unknown)
                span.category = TokenCategory::Opcode;
            else if (statementStart && !label && isCompoundOpcodePrefix(t.text))
                span.category = TokenCategory::Opcode;
            else
                span.category = TokenCategory::Label;
            break;
        }
        case TokenKind::Integer:
        case TokenKind::Float:
            span.category = TokenCategory::Number;
            break;
        case TokenKind::String:
            span.category = TokenCategory::String;
            break;
        default:
            span.category = TokenCategory::Punctuation;
            break;
        }
        if (t.kind == TokenKind::Identifier || t.kind == TokenKind::Register)
            statementStart = false;
        if (t.kind == TokenKind::Semicolon || t.kind == TokenKind::LBrace ||
            t.kind == TokenKind::RBrace || t.kind == TokenKind::Colon)
            statementStart = true;
        if (t.kind == TokenKind::At) statementStart = false;
        if (t.kind == TokenKind::Register && !out.empty() &&
            out.back().category == TokenCategory::Punctuation && line[out.back().offset] == '@')
            statementStart = true; // "@%p1 bra": the opcode follows the guard
        out.push_back(span);
    }
}

} // namespace ptxwb::ptx
