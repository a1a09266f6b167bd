// Declarations: functions (headers, parameter lists, performance directives), variables and
// registers, and .section blocks of debug data.
#include "ptx/parser_impl.h"

#include <fmt/format.h>

namespace ptxwb::ptx::detail {

void Parser::parseFunction(std::uint8_t linkage, std::uint32_t begin) {
    Function f;
    f.range.begin = begin;
    f.linkage = linkage;
    f.isEntry = dotKeyword() == Keyword::Entry;
    advance();
    if (!f.isEntry && at(TokenKind::LParen)) {
        if (!parseParamList(f.firstReturn, f.returnCount, false)) {
            skipStatement();
            return;
        }
    }
    if (!at(TokenKind::Identifier)) {
        errorAtToken(fmt::format("expected a function name, found {}", describeToken()));
        skipStatement();
        return;
    }
    f.name = nameOf(tok_);
    advance();
    if (at(TokenKind::LParen) && !parseParamList(f.firstParam, f.paramCount, false)) {
        skipStatement();
        return;
    }
    f.firstPerformance = static_cast<std::uint32_t>(module_.performance.size());
    while (at(TokenKind::DotName)) {
        Keyword k = dotKeyword();
        if (k == Keyword::Noreturn) {
            f.noreturn = true;
            advance();
            continue;
        }
        if (k == Keyword::Pragma) { // .pragma between header and body applies to the function
            parsePragma();
            continue;
        }
        if (!parsePerformanceDirective()) {
            skipStatement();
            return;
        }
    }
    f.performanceCount =
        static_cast<std::uint32_t>(module_.performance.size()) - f.firstPerformance;
    auto index = static_cast<std::uint32_t>(module_.functions.size());
    if (at(TokenKind::Semicolon)) {
        advance();
    } else if (at(TokenKind::LBrace)) {
        f.hasBody = true;
        parseBody(f);
    } else {
        errorExpectedAfter("expected '{' or ';' after function header");
        skipStatement();
        return;
    }
    f.range.end = prevEnd_;
    module_.functions.push_back(f);
    module_.items.push_back({TopLevelKind::Function, index});
}

bool Parser::parseParamList(std::uint32_t& first, std::uint32_t& count, bool allowNameless) {
    advance(); // '('
    first = static_cast<std::uint32_t>(module_.variables.size());
    count = 0;
    if (consume(TokenKind::RParen)) return true;
    for (;;) {
        Variable v;
        v.range.begin = tok_.offset;
        if (!at(TokenKind::DotName) || !isStateSpace(dotKeyword())) {
            errorAtToken(
                fmt::format("expected '.param' or '.reg' parameter, found {}", describeToken()));
            return false;
        }
        if (!parseVariableHead(v) || !parseVariableName(v, allowNameless)) return false;
        v.range.end = prevEnd_;
        module_.variables.push_back(v);
        ++count;
        if (consume(TokenKind::RParen)) return true;
        if (!consume(TokenKind::Comma)) {
            errorExpectedAfter("expected ',' or ')' in parameter list");
            return false;
        }
    }
}

bool Parser::parsePerformanceDirective() {
    PerformanceDirective d;
    d.range.begin = tok_.offset;
    d.directive = dotKeyword();
    unsigned maxValues = 0;
    switch (d.directive) {
    case Keyword::Maxntid:
    case Keyword::Reqntid:
    case Keyword::Reqnctapercluster:
        maxValues = 3;
        break;
    case Keyword::Minnctapersm:
    case Keyword::Maxnctapersm:
    case Keyword::Maxnreg:
    case Keyword::Maxclusterrank:
        maxValues = 1;
        break;
    case Keyword::Explicitcluster:
    case Keyword::Blocksareclusters:
    case Keyword::AbiPreserve:
    case Keyword::AbiPreserveControl:
        maxValues = 0;
        break;
    default:
        errorAtToken(fmt::format("expected '{{', ';' or a performance directive, found '{}'",
                                 tok_.text.substr(0, 40)));
        return false;
    }
    advance();
    if (d.directive == Keyword::AbiPreserve || d.directive == Keyword::AbiPreserveControl)
        maxValues = 1;
    if (maxValues > 0) {
        do {
            if (d.valueCount == maxValues) {
                errorAtToken(
                    fmt::format("too many values for '.{}'", keywordSpelling(d.directive)));
                return false;
            }
            if (!parseUnsigned(d.values[d.valueCount], "a number")) return false;
            ++d.valueCount;
        } while (consume(TokenKind::Comma));
    }
    d.range.end = prevEnd_;
    module_.performance.push_back(d);
    return true;
}

bool Parser::parseVariableHead(Variable& v) {
    v.space = dotKeyword();
    advance();
    while (at(TokenKind::DotName)) {
        Keyword k = dotKeyword();
        std::string_view spelling = tok_.text.substr(1);
        if (k == Keyword::Align) {
            advance();
            std::uint32_t a = 0;
            if (!parseUnsigned(a, "an alignment")) return false;
            if (a == 0 || (a & (a - 1)) != 0) {
                error({prevEnd_ - 1, prevEnd_}, "alignment must be a power of two");
                return false;
            }
            if (v.isPtr)
                v.ptrAlign = a;
            else {
                v.align = a;
                v.hasAlign = true;
            }
            continue;
        }
        if (k == Keyword::Ptr) {
            v.isPtr = true;
            advance();
            continue;
        }
        if (isStateSpace(k) && v.isPtr) {
            v.ptrSpace = k;
            advance();
            continue;
        }
        if (isType(k)) {
            v.type = k;
            advance();
            continue;
        }
        if (spelling.size() == 2 && spelling[0] == 'v' &&
            (spelling[1] == '2' || spelling[1] == '4' || spelling[1] == '8')) {
            v.vectorWidth = static_cast<std::uint8_t>(spelling[1] - '0');
            advance();
            continue;
        }
        if (k == Keyword::Attribute) {
            // .attribute(.managed) / .attribute(.unified(...)): kept as text for the printer.
            std::uint32_t begin = tok_.offset;
            advance();
            if (!at(TokenKind::LParen)) {
                errorAtToken("expected '(' after .attribute");
                return false;
            }
            std::uint32_t depth = 0;
            do {
                if (at(TokenKind::LParen)) ++depth;
                if (at(TokenKind::RParen)) --depth;
                advance();
            } while (depth > 0 && !at(TokenKind::EndOfFile));
            module_.rawTexts.push_back({begin, prevEnd_ - begin});
            v.attributeText = static_cast<std::uint32_t>(module_.rawTexts.size() - 1);
            continue;
        }
        if (k == Keyword::Extern || k == Keyword::Visible || k == Keyword::Weak ||
            k == Keyword::Common) {
            v.linkage |= k == Keyword::Extern    ? kLinkExtern
                         : k == Keyword::Visible ? kLinkVisible
                         : k == Keyword::Weak    ? kLinkWeak
                                                 : kLinkCommon;
            advance();
            continue;
        }
        errorAtToken(fmt::format("unexpected '{}' in declaration", tok_.text.substr(0, 40)));
        return false;
    }
    if (v.type == Keyword::Unknown) {
        errorAtToken(fmt::format("expected a type in declaration, found {}", describeToken()));
        return false;
    }
    return true;
}

bool Parser::parseVariableName(Variable& v, bool allowNameless) {
    (void)allowNameless;
    if (!at(TokenKind::Identifier) && !at(TokenKind::Register)) {
        errorAtToken(fmt::format("expected a name in declaration, found {}", describeToken()));
        return false;
    }
    v.name = nameOf(tok_);
    advance();
    if (at(TokenKind::Less)) {
        advance();
        SourceRange countRange = rangeOf(tok_);
        if (!parseUnsigned(v.rangeCount, "a register count")) return false;
        // Register ids are dense per function: an absurd count would allocate gigabytes.
        if (v.rangeCount > kMaxRegisterRange) {
            error(countRange, fmt::format("register count {} is too large (the limit is {})",
                                          v.rangeCount, kMaxRegisterRange));
            return false;
        }
        if (!consume(TokenKind::Greater)) {
            errorExpectedAfter("expected '>' after register count");
            return false;
        }
        v.isRange = true;
    }
    while (at(TokenKind::LBracket)) {
        if (v.dimensionCount == 0)
            v.firstDimension = static_cast<std::uint32_t>(module_.dimensions.size());
        advance();
        std::uint32_t n = 0;
        if (!at(TokenKind::RBracket) && !parseUnsigned(n, "an array size")) return false;
        if (!consume(TokenKind::RBracket)) {
            errorExpectedAfter("expected ']' after array size");
            return false;
        }
        module_.dimensions.push_back(n);
        ++v.dimensionCount;
    }
    if (consume(TokenKind::Equal)) {
        v.initializer = parseInitializer(0);
        if (v.initializer == kNoIndex) return false;
    }
    return true;
}

std::uint32_t Parser::parseInitializer(std::uint32_t depth) {
    scratch_.clear();
    std::uint32_t root = parseOperand(depth, false);
    if (root == kNoIndex) return kNoIndex;
    return commitOperands(&root, 1);
}

void Parser::parseVariableStatement(std::uint8_t linkage, std::uint32_t begin, std::uint32_t& first,
                                    std::uint32_t& count) {
    first = static_cast<std::uint32_t>(module_.variables.size());
    count = 0;
    Variable head;
    head.linkage = linkage;
    if (!parseVariableHead(head)) {
        skipStatement();
        return;
    }
    for (;;) {
        Variable v = head;
        v.range.begin = count == 0 ? begin : tok_.offset;
        if (!parseVariableName(v, false)) {
            skipStatement();
            return;
        }
        v.range.end = prevEnd_;
        module_.variables.push_back(v);
        ++count;
        if (!consume(TokenKind::Comma)) break;
    }
    expectSemicolon("declaration");
}

void Parser::parseSection() {
    Section s;
    s.range.begin = tok_.offset;
    advance();
    if (!at(TokenKind::DotName) && !at(TokenKind::Identifier)) {
        errorAtToken(fmt::format("expected a section name, found {}", describeToken()));
        skipStatement();
        return;
    }
    s.name = nameOf(tok_);
    advance();
    if (!at(TokenKind::LBrace)) {
        errorExpectedAfter("expected '{' after section name");
        skipStatement();
        return;
    }
    advance();
    s.firstEntry = static_cast<std::uint32_t>(module_.sectionEntries.size());
    while (!at(TokenKind::RBrace)) {
        statementHasError_ = false;
        SectionEntry e;
        e.range.begin = tok_.offset;
        if (at(TokenKind::EndOfFile)) {
            error({prevEnd_, prevEnd_ + 1}, "expected '}' at end of section");
            return;
        }
        if (at(TokenKind::Identifier) && peek().kind == TokenKind::Colon) {
            e.isLabel = true;
            e.label = nameOf(tok_);
            advance();
            advance();
        } else if (at(TokenKind::DotName) && isType(dotKeyword())) {
            e.type = dotKeyword();
            advance();
            e.firstValue = static_cast<std::uint32_t>(module_.operands.size());
            // Values are committed one by one so they stay contiguous (no nesting here).
            do {
                Operand o;
                o.range.begin = tok_.offset;
                if (at(TokenKind::DotName)) {
                    o.kind = OperandKind::SectionRef;
                    o.name = nameOf(tok_);
                    advance();
                    if (at(TokenKind::Plus) || at(TokenKind::Minus)) { // .debug_loc+581
                        o.flags |= kOperandHasOffset;
                        if (!parseOffset(o.value, 0)) break;
                    }
                } else if (at(TokenKind::Identifier)) {
                    o.kind = OperandKind::Symbol;
                    o.name = nameOf(tok_);
                    advance();
                    if (at(TokenKind::Minus) && peek().kind == TokenKind::Identifier) {
                        // label difference: only the two names are kept, in rawTexts
                        advance();
                        o.kind = OperandKind::LabelDiff;
                        o.value = static_cast<std::int64_t>(module_.rawTexts.size());
                        module_.rawTexts.push_back(nameOf(tok_));
                        advance();
                    } else if (at(TokenKind::Plus) || at(TokenKind::Minus)) {
                        o.flags |= kOperandHasOffset;
                        if (!parseOffset(o.value, 0)) break;
                    }
                } else if (at(TokenKind::Integer) || at(TokenKind::Minus)) {
                    o.kind = OperandKind::Integer;
                    bool single = at(TokenKind::Integer);
                    if (single) o.name = nameOf(tok_);
                    if (!parseConstantExpression(o.value, 0)) break;
                    if (single && prevEnd_ == o.name.offset + o.name.length)
                        o.flags |= kOperandLiteral;
                } else {
                    errorAtToken(
                        fmt::format("expected a value in section data, found {}", describeToken()));
                    break;
                }
                o.range.end = prevEnd_;
                module_.operands.push_back(o);
                ++e.valueCount;
            } while (consume(TokenKind::Comma));
            consume(TokenKind::Semicolon);
        } else {
            errorAtToken(fmt::format(
                "expected a label or '.b8'/'.b16'/'.b32'/'.b64' data in section, found {}",
                describeToken()));
        }
        if (statementHasError_) {
            // Skip the rest of the line's data.
            do
                advance();
            while (!at(TokenKind::EndOfFile) && !at(TokenKind::RBrace) && !tokNewline_);
            continue;
        }
        e.range.end = prevEnd_;
        module_.sectionEntries.push_back(e);
    }
    advance();
    s.entryCount = static_cast<std::uint32_t>(module_.sectionEntries.size()) - s.firstEntry;
    s.range.end = prevEnd_;
    module_.sections.push_back(s);
    module_.items.push_back(
        {TopLevelKind::Section, static_cast<std::uint32_t>(module_.sections.size() - 1)});
}

} // namespace ptxwb::ptx::detail
