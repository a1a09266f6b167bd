// Module-level grammar and the token stream of the PTX parser.
#include "ptx/parser_impl.h"

#include <fmt/format.h>

namespace ptxwb::ptx {
namespace detail {

Parser::Parser(std::string_view text, Module& module, DiagnosticList& diags,
               const ParseOptions& opts)
    : lexer_(text), module_(module), diags_(diags), opts_(opts) {
    module_.source = text;
    // Rough sizes from nvcc output (~30 bytes per instruction) so the pools rarely regrow.
    std::size_t guess = text.size() / 32;
    module_.instructions.reserve(guess);
    module_.statements.reserve(guess + guess / 4);
    module_.operands.reserve(guess * 3);
    module_.modifiers.reserve(guess * 2);
    advance();
}

void Parser::reportLexError(const Token& t) {
    statementHasError_ = false; // a lexer error is always worth one diagnostic
    std::string msg;
    if (t.error == LexError::InvalidCharacter) {
        auto c = static_cast<unsigned char>(t.text.empty() ? 0 : t.text[0]);
        if (c >= 0x21 && c < 0x7f)
            msg = fmt::format("invalid character '{}'", static_cast<char>(c));
        else if (c >= 0xC2 && c < 0xF5 && t.text.size() > 1)
            msg = "non-ASCII character in PTX source";
        else
            msg = fmt::format("invalid byte 0x{:02x} in PTX source", c);
    } else if (t.error == LexError::MalformedNumber) {
        msg = fmt::format("malformed number '{}'", t.text.substr(0, 64));
    } else {
        msg = std::string(lexErrorMessage(t.error));
    }
    error(rangeOf(t), std::move(msg));
}

void Parser::advanceSlow() {
    // Reached with a peeked token to take, or with an Error token that advance() just lexed.
    bool haveError = !hasPeek_;
    for (;;) {
        if (!haveError) {
            if (hasPeek_) {
                tok_ = peek_;
                tokNewline_ = peekNewline_;
                hasPeek_ = false;
            } else {
                tok_ = lexer_.next();
                tokNewline_ = lexer_.sawNewline();
            }
            if (tok_.kind != TokenKind::Error) return;
        }
        haveError = false;
        reportLexError(tok_);
        // Keep going with a usable token where one is implied, so a bad literal is one error.
        if (tok_.error == LexError::MalformedNumber) {
            tok_.kind = TokenKind::Integer;
            badNumber_ = true;
            return;
        }
        if (tok_.error == LexError::UnterminatedString) {
            tok_.kind = TokenKind::String;
            return;
        }
    }
}

const Token& Parser::peek() {
    if (!hasPeek_) {
        // Lex errors in the peeked token are reported when it becomes current.
        peek_ = lexer_.next();
        peekNewline_ = lexer_.sawNewline();
        hasPeek_ = true;
    }
    return peek_;
}

Keyword Parser::dotKeyword() const {
    return lookupKeyword(tok_.text.substr(1));
}

void Parser::error(SourceRange where, std::string message) {
    if (statementHasError_) return;
    statementHasError_ = true;
    diags_.error(where, std::move(message));
}

void Parser::errorExpectedAfter(std::string message) {
    error({prevEnd_, prevEnd_ + 1}, std::move(message));
}

std::string Parser::describeToken() const {
    switch (tok_.kind) {
    case TokenKind::EndOfFile:
        return "end of file";
    case TokenKind::Error:
        return "invalid input";
    default:
        return fmt::format("'{}'", tok_.text.substr(0, 40));
    }
}

void Parser::skipStatement() {
    std::uint32_t depth = 0;
    while (!at(TokenKind::EndOfFile)) {
        if (at(TokenKind::LBrace)) ++depth;
        if (at(TokenKind::RBrace)) {
            if (depth == 0) return;
            --depth;
        }
        if (at(TokenKind::Semicolon) && depth == 0) {
            advance();
            return;
        }
        advance();
    }
}

void Parser::skipBracedGroup() {
    std::uint64_t depth = 0;
    do {
        if (at(TokenKind::LBrace)) ++depth;
        if (at(TokenKind::RBrace)) --depth;
        advance();
    } while (depth > 0 && !at(TokenKind::EndOfFile));
}

void Parser::expectSemicolon(const char* after) {
    if (consume(TokenKind::Semicolon)) return;
    errorExpectedAfter(fmt::format("expected ';' after {}", after));
    // A missing ';' at the end of a line: the next line is a fresh statement, keep it.
    if (tokNewline_ || at(TokenKind::RBrace) || at(TokenKind::EndOfFile)) return;
    skipStatement();
}

void Parser::parseModule() {
    // PTX requires .version before anything else; say so once, at the first thing found.
    bool lexErrorFirst = diags_.errorCount() > 0; // the first token was already reported
    if (at(TokenKind::EndOfFile)) {
        if (!lexErrorFirst)
            diags_.error({tok_.offset, tok_.offset}, "empty PTX module: expected '.version'");
        return;
    }
    bool first = true;
    if (!(at(TokenKind::DotName) && dotKeyword() == Keyword::Version) && !lexErrorFirst) {
        error(rangeOf(tok_),
              fmt::format("expected '.version' directive, found {}", describeToken()));
    }
    while (!at(TokenKind::EndOfFile)) {
        if (!first) statementHasError_ = false;
        first = false;
        parseTopLevel();
    }
}

std::uint8_t Parser::parseLinkage() {
    std::uint8_t linkage = 0;
    while (at(TokenKind::DotName)) {
        Keyword k = dotKeyword();
        if (k == Keyword::Visible)
            linkage |= kLinkVisible;
        else if (k == Keyword::Extern)
            linkage |= kLinkExtern;
        else if (k == Keyword::Weak)
            linkage |= kLinkWeak;
        else if (k == Keyword::Common)
            linkage |= kLinkCommon;
        else
            break;
        advance();
    }
    return linkage;
}

void Parser::parseTopLevel() {
    std::uint32_t begin = tok_.offset;
    switch (tok_.kind) {
    case TokenKind::Semicolon:
        advance();
        return;
    case TokenKind::LBrace:
        errorAtToken("unexpected '{' outside a function body");
        skipBracedGroup();
        return;
    case TokenKind::DotName:
        break;
    default:
        errorAtToken(fmt::format("expected a directive, found {}", describeToken()));
        if (at(TokenKind::RBrace))
            advance();
        else
            skipStatement();
        return;
    }
    Keyword k = dotKeyword();
    switch (k) {
    case Keyword::Version:
        parseVersion();
        return;
    case Keyword::Target:
        parseTarget();
        return;
    case Keyword::AddressSize:
        parseAddressSize();
        return;
    case Keyword::File:
        parseFile();
        return;
    case Keyword::Section:
        parseSection();
        return;
    case Keyword::Alias:
        parseAlias();
        return;
    case Keyword::Pragma:
        module_.items.push_back({TopLevelKind::Pragma, parsePragma()});
        return;
    case Keyword::Loc:
        parseLoc();
        return; // stray .loc outside a function: accepted, dropped
    default:
        break;
    }
    std::uint8_t linkage = parseLinkage();
    if (at(TokenKind::DotName)) {
        k = dotKeyword();
        if (k == Keyword::Entry || k == Keyword::Func) {
            parseFunction(linkage, begin);
            return;
        }
        if (isStateSpace(k)) {
            std::uint32_t first = 0, count = 0;
            parseVariableStatement(linkage, begin, first, count);
            for (std::uint32_t i = 0; i < count; ++i)
                module_.items.push_back({TopLevelKind::Variable, first + i});
            return;
        }
    }
    if (at(TokenKind::DotName))
        errorAtToken(fmt::format("unknown directive '{}'", tok_.text.substr(0, 40)));
    else
        errorAtToken(fmt::format("expected '.entry', '.func' or a variable declaration, found {}",
                                 describeToken()));
    skipStatement();
}

bool Parser::parseUnsigned(std::uint32_t& out, const char* what) {
    if (!at(TokenKind::Integer)) {
        errorAtToken(fmt::format("expected {}, found {}", what, describeToken()));
        return false;
    }
    std::int64_t v = 0;
    if (!parseIntegerLiteral(tok_, v)) {
        advance();
        return false;
    }
    if (v < 0 || v > 0xffffffffLL) {
        errorAtToken(fmt::format("{} is out of range", what));
        advance();
        return false;
    }
    out = static_cast<std::uint32_t>(v);
    advance();
    return true;
}

void Parser::parseVersion() {
    std::uint32_t begin = tok_.offset;
    advance();
    // ".version 9.0" lexes as a decimal float; split it at the dot.
    if (at(TokenKind::Float) && tok_.text.find('.') != std::string_view::npos) {
        std::string_view t = tok_.text;
        std::size_t dot = t.find('.');
        std::uint32_t major = 0, minor = 0;
        bool ok = dot > 0 && dot + 1 < t.size() && dot < 4 && t.size() - dot - 1 < 4;
        for (std::size_t i = 0; ok && i < t.size(); ++i)
            if (i != dot) ok = t[i] >= '0' && t[i] <= '9';
        for (std::size_t i = 0; ok && i < dot; ++i)
            major = major * 10 + static_cast<std::uint32_t>(t[i] - '0');
        for (std::size_t i = dot + 1; ok && i < t.size(); ++i)
            minor = minor * 10 + static_cast<std::uint32_t>(t[i] - '0');
        if (!ok) {
            errorAtToken("expected a version number such as 9.0");
        } else {
            module_.versionMajor = major;
            module_.versionMinor = minor;
        }
        advance();
    } else {
        errorAtToken(
            fmt::format("expected a version number such as 9.0, found {}", describeToken()));
        skipStatement();
        return;
    }
    module_.versionRange = from(begin);
    module_.items.push_back({TopLevelKind::Version, 0});
    if (at(TokenKind::Semicolon)) advance();
}

void Parser::parseTarget() {
    std::uint32_t begin = tok_.offset;
    advance();
    do {
        if (!at(TokenKind::Identifier)) {
            errorAtToken(
                fmt::format("expected a target name such as sm_90a, found {}", describeToken()));
            skipStatement();
            return;
        }
        module_.targets.push_back(nameOf(tok_));
        advance();
    } while (consume(TokenKind::Comma));
    module_.targetRange = from(begin);
    module_.items.push_back({TopLevelKind::Target, 0});
    if (at(TokenKind::Semicolon)) advance();
}

void Parser::parseAddressSize() {
    std::uint32_t begin = tok_.offset;
    advance();
    std::uint32_t size = 0;
    SourceRange where = rangeOf(tok_);
    if (!parseUnsigned(size, "an address size")) {
        skipStatement();
        return;
    }
    if (size != 32 && size != 64) error(where, "address size must be 32 or 64");
    module_.addressSize = size;
    module_.addressSizeRange = from(begin);
    module_.items.push_back({TopLevelKind::AddressSize, 0});
    if (at(TokenKind::Semicolon)) advance();
}

void Parser::parseFile() {
    FileDirective f;
    f.range.begin = tok_.offset;
    advance();
    if (!parseUnsigned(f.number, "a file number")) {
        skipStatement();
        return;
    }
    if (!at(TokenKind::String)) {
        errorAtToken(fmt::format("expected a quoted file name, found {}", describeToken()));
        skipStatement();
        return;
    }
    f.path = nameOf(tok_);
    advance();
    if (consume(TokenKind::Comma)) {
        std::int64_t ts = 0, size = 0;
        if (!at(TokenKind::Integer) || !parseIntegerLiteral(tok_, ts)) {
            errorAtToken("expected a timestamp after ','");
            skipStatement();
            return;
        }
        advance();
        if (!consume(TokenKind::Comma) || !at(TokenKind::Integer) ||
            !parseIntegerLiteral(tok_, size)) {
            errorAtToken("expected a file size after the timestamp");
            skipStatement();
            return;
        }
        advance();
        f.hasTimestamp = true;
        f.timestamp = static_cast<std::uint64_t>(ts);
        f.size = static_cast<std::uint64_t>(size);
    }
    f.range.end = prevEnd_;
    module_.files.push_back(f);
    module_.items.push_back(
        {TopLevelKind::File, static_cast<std::uint32_t>(module_.files.size() - 1)});
    if (at(TokenKind::Semicolon)) advance();
}

void Parser::parseAlias() {
    Alias a;
    a.range.begin = tok_.offset;
    advance();
    if (!at(TokenKind::Identifier)) {
        errorAtToken("expected an alias name");
        skipStatement();
        return;
    }
    a.alias = nameOf(tok_);
    advance();
    if (!consume(TokenKind::Comma) || !at(TokenKind::Identifier)) {
        errorAtToken("expected ', aliasee' in .alias");
        skipStatement();
        return;
    }
    a.aliasee = nameOf(tok_);
    advance();
    a.range.end = prevEnd_;
    module_.aliases.push_back(a);
    module_.items.push_back(
        {TopLevelKind::Alias, static_cast<std::uint32_t>(module_.aliases.size() - 1)});
    expectSemicolon("'.alias'");
}

std::uint32_t Parser::parsePragma() {
    Pragma p;
    p.range.begin = tok_.offset;
    advance();
    p.firstString = static_cast<std::uint32_t>(module_.strings.size());
    do {
        if (!at(TokenKind::String)) {
            errorAtToken(fmt::format("expected a quoted pragma string, found {}", describeToken()));
            skipStatement();
            break;
        }
        module_.strings.push_back(nameOf(tok_));
        ++p.stringCount;
        advance();
    } while (consume(TokenKind::Comma));
    p.range.end = prevEnd_;
    module_.pragmas.push_back(p);
    if (!statementHasError_) expectSemicolon("'.pragma'");
    return static_cast<std::uint32_t>(module_.pragmas.size() - 1);
}

std::uint32_t Parser::parseLoc() {
    Loc l;
    l.range.begin = tok_.offset;
    advance();
    if (!parseUnsigned(l.file, "a file number") || !parseUnsigned(l.line, "a line number") ||
        !parseUnsigned(l.column, "a column number")) {
        skipStatement();
        return kNoIndex;
    }
    while (consume(TokenKind::Comma)) {
        if (at(TokenKind::Identifier) && tok_.text == "function_name") {
            advance();
            if (!at(TokenKind::Identifier)) {
                errorAtToken("expected a label after function_name");
                skipStatement();
                return kNoIndex;
            }
            l.functionName = nameOf(tok_);
            advance();
            if (at(TokenKind::Plus)) {
                advance();
                if (!parseConstantExpression(l.functionNameOffset, 0)) return kNoIndex;
            }
        } else if (at(TokenKind::Identifier) && tok_.text == "inlined_at") {
            advance();
            l.hasInlinedAt = true;
            if (!parseUnsigned(l.inlinedFile, "a file number") ||
                !parseUnsigned(l.inlinedLine, "a line number") ||
                !parseUnsigned(l.inlinedColumn, "a column number")) {
                skipStatement();
                return kNoIndex;
            }
        } else {
            errorAtToken(fmt::format("expected 'function_name' or 'inlined_at' in .loc, found {}",
                                     describeToken()));
            skipStatement();
            return kNoIndex;
        }
    }
    l.range.end = prevEnd_;
    module_.locs.push_back(l);
    if (at(TokenKind::Semicolon)) advance();
    return static_cast<std::uint32_t>(module_.locs.size() - 1);
}

} // namespace detail

Module parseText(std::string_view text, DiagnosticList& diagnostics, const ParseOptions& options) {
    Module m;
    detail::Parser p(text, m, diagnostics, options);
    p.parseModule();
    return m;
}

Module parseModule(const SourceManager& sources, BufferId buffer, DiagnosticList& diagnostics,
                   const ParseOptions& options) {
    Module m = parseText(sources.text(buffer), diagnostics, options);
    m.buffer = buffer;
    return m;
}

} // namespace ptxwb::ptx
