// Operands (registers, symbols, vectors, addresses, call lists) and integer constant
// expressions. Operand trees are built in a scratch pool and then laid out breadth-first in
// Module::operands so every node's children are contiguous.
#include "ptx/parser_impl.h"

#include <charconv>
#include <cstring>
#include <fmt/format.h>

namespace ptxwb::ptx::detail {

std::uint32_t Parser::newScratch(OperandKind kind, SourceRange range) {
    ScratchOperand s;
    s.node.kind = kind;
    s.node.range = range;
    scratch_.push_back(s);
    return static_cast<std::uint32_t>(scratch_.size() - 1);
}

std::uint32_t Parser::commitOperands(const std::uint32_t* roots, std::uint32_t count) {
    auto base = static_cast<std::uint32_t>(module_.operands.size());
    if (scratch_.size() == count) { // no containers: the common case, copy the roots in order
        for (std::uint32_t i = 0; i < count; ++i)
            module_.operands.push_back(scratch_[roots[i]].node);
        return base;
    }
    bfsQueue_.assign(roots, roots + count);
    // Breadth first: the roots first, then each node's children appended as one run.
    for (std::size_t q = 0; q < bfsQueue_.size(); ++q) {
        ScratchOperand& s = scratch_[bfsQueue_[q]];
        if (s.firstChild != kNoIndex) {
            s.node.children.first = base + static_cast<std::uint32_t>(bfsQueue_.size());
            std::uint32_t n = 0;
            for (std::uint32_t c = s.firstChild; c != kNoIndex; c = scratch_[c].nextSibling, ++n)
                bfsQueue_.push_back(c);
            s.node.children.count = n;
        }
    }
    for (std::uint32_t idx : bfsQueue_)
        module_.operands.push_back(scratch_[idx].node);
    return base;
}

bool Parser::parseIntegerLiteral(const Token& t, std::int64_t& value) {
    if (badNumber_ && t.offset == tok_.offset) {
        value = 0;
        return true; // already reported by the lexer
    }
    std::string_view s = t.text;
    if (!s.empty() && (s.back() == 'U' || s.back() == 'u')) s.remove_suffix(1);
    unsigned radix = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        radix = 16, s.remove_prefix(2);
    else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        radix = 2, s.remove_prefix(2);
    else if (s.size() > 1 && s[0] == '0')
        radix = 8, s.remove_prefix(1);
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, static_cast<int>(radix));
    if (ec == std::errc::result_out_of_range) {
        error(rangeOf(t), "integer literal is too large to fit in 64 bits");
        return false;
    }
    if (ec != std::errc() || ptr != s.data() + s.size()) {
        error(rangeOf(t), fmt::format("malformed number '{}'", t.text.substr(0, 64)));
        return false;
    }
    value = static_cast<std::int64_t>(v);
    return true;
}

namespace {

int binaryPrecedence(TokenKind k) {
    switch (k) {
    case TokenKind::Star:
    case TokenKind::Slash:
    case TokenKind::Percent:
        return 10;
    case TokenKind::Plus:
    case TokenKind::Minus:
        return 9;
    case TokenKind::LessLess:
    case TokenKind::GreaterGreater:
        return 8;
    case TokenKind::Less:
    case TokenKind::Greater:
    case TokenKind::LessEqual:
    case TokenKind::GreaterEqual:
        return 7;
    case TokenKind::EqualEqual:
    case TokenKind::ExclaimEqual:
        return 6;
    case TokenKind::Amp:
        return 5;
    case TokenKind::Caret:
        return 4;
    case TokenKind::Pipe:
        return 3;
    case TokenKind::AmpAmp:
        return 2;
    case TokenKind::PipePipe:
        return 1;
    default:
        return -1;
    }
}

} // namespace

bool Parser::parseConstantPrimary(std::int64_t& value, std::uint32_t depth) {
    if (depth > opts_.maxExpressionDepth) {
        errorAtToken(fmt::format("expression nested too deeply (the limit is {})",
                                 opts_.maxExpressionDepth));
        return false;
    }
    switch (tok_.kind) {
    case TokenKind::Integer: {
        bool ok = parseIntegerLiteral(tok_, value);
        advance();
        return ok;
    }
    case TokenKind::Minus:
    case TokenKind::Tilde:
    case TokenKind::Exclaim:
    case TokenKind::Plus: {
        TokenKind op = tok_.kind;
        advance();
        std::int64_t v = 0;
        if (!parseConstantPrimary(v, depth + 1)) return false;
        auto u = static_cast<std::uint64_t>(v);
        value = op == TokenKind::Minus     ? static_cast<std::int64_t>(0 - u)
                : op == TokenKind::Tilde   ? static_cast<std::int64_t>(~u)
                : op == TokenKind::Exclaim ? (v == 0)
                                           : v;
        return true;
    }
    case TokenKind::LParen: {
        advance();
        if (!parseConstantExpression(value, depth + 1)) return false;
        if (!consume(TokenKind::RParen)) {
            errorExpectedAfter("expected ')' in constant expression");
            return false;
        }
        return true;
    }
    default:
        errorAtToken(fmt::format("expected an operand, found {}", describeToken()));
        return false;
    }
}

bool Parser::parseConstantExpression(std::int64_t& value, std::uint32_t depth, int minPrecedence) {
    if (!parseConstantPrimary(value, depth)) return false;
    for (;;) {
        TokenKind op = tok_.kind;
        int prec = binaryPrecedence(op);
        if (prec < 0 || prec < minPrecedence) return true;
        SourceRange opRange = rangeOf(tok_);
        advance();
        std::int64_t rhs = 0;
        if (depth + 1 > opts_.maxExpressionDepth) {
            errorAtToken(fmt::format("expression nested too deeply (the limit is {})",
                                     opts_.maxExpressionDepth));
            return false;
        }
        if (!parseConstantExpression(rhs, depth + 1, prec + 1)) return false;
        // Two's-complement arithmetic on 64 bits, as ptxas evaluates constant expressions.
        auto a = static_cast<std::uint64_t>(value), b = static_cast<std::uint64_t>(rhs);
        switch (op) {
        case TokenKind::Star:
            value = static_cast<std::int64_t>(a * b);
            break;
        case TokenKind::Slash:
        case TokenKind::Percent:
            if (rhs == 0) {
                error(opRange, "division by zero in constant expression");
                return false;
            }
            if (value == INT64_MIN && rhs == -1)
                value = op == TokenKind::Slash ? INT64_MIN : 0;
            else
                value = op == TokenKind::Slash ? value / rhs : value % rhs;
            break;
        case TokenKind::Plus:
            value = static_cast<std::int64_t>(a + b);
            break;
        case TokenKind::Minus:
            value = static_cast<std::int64_t>(a - b);
            break;
        case TokenKind::LessLess:
            value = static_cast<std::int64_t>(b >= 64 ? 0 : a << b);
            break;
        case TokenKind::GreaterGreater:
            value = b >= 64 ? (value < 0 ? -1 : 0) : value >> b;
            break;
        case TokenKind::Less:
            value = value < rhs;
            break;
        case TokenKind::Greater:
            value = value > rhs;
            break;
        case TokenKind::LessEqual:
            value = value <= rhs;
            break;
        case TokenKind::GreaterEqual:
            value = value >= rhs;
            break;
        case TokenKind::EqualEqual:
            value = value == rhs;
            break;
        case TokenKind::ExclaimEqual:
            value = value != rhs;
            break;
        case TokenKind::Amp:
            value = static_cast<std::int64_t>(a & b);
            break;
        case TokenKind::Caret:
            value = static_cast<std::int64_t>(a ^ b);
            break;
        case TokenKind::Pipe:
            value = static_cast<std::int64_t>(a | b);
            break;
        case TokenKind::AmpAmp:
            value = value && rhs;
            break;
        case TokenKind::PipePipe:
            value = value || rhs;
            break;
        default:
            return true;
        }
    }
}

bool Parser::parseOffset(std::int64_t& offset, std::uint32_t depth) {
    // "+imm", "-imm", "+-imm", "+(expr)" after a symbol or address base.
    bool negate = at(TokenKind::Minus);
    advance();
    std::int64_t v = 0;
    if (!parseConstantPrimary(v, depth + 1)) return false;
    // Allow a trailing product/sum such as sym+4*8.
    while (binaryPrecedence(tok_.kind) >= 10) {
        TokenKind op = tok_.kind;
        advance();
        std::int64_t rhs = 0;
        if (!parseConstantPrimary(rhs, depth + 1)) return false;
        if (op == TokenKind::Star)
            v = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) *
                                          static_cast<std::uint64_t>(rhs));
        else if (rhs == 0) {
            error({prevEnd_ - 1, prevEnd_}, "division by zero in constant expression");
            return false;
        } else if (!(v == INT64_MIN && rhs == -1))
            v = op == TokenKind::Slash ? v / rhs : v % rhs;
    }
    offset = negate ? static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(v)) : v;
    return true;
}

std::uint32_t Parser::parseContainer(OperandKind kind, TokenKind close, std::uint32_t depth,
                                     bool inCall) {
    std::uint32_t node = newScratch(kind, rangeOf(tok_));
    advance(); // opening bracket
    std::uint32_t last = kNoIndex;
    if (!at(close)) {
        for (;;) {
            std::uint32_t child = parseOperand(depth + 1, inCall);
            if (child == kNoIndex) return kNoIndex;
            if (last == kNoIndex)
                scratch_[node].firstChild = child;
            else
                scratch_[last].nextSibling = child;
            last = child;
            if (!consume(TokenKind::Comma)) break;
        }
    }
    if (!at(close)) {
        errorExpectedAfter(fmt::format("expected ',' or '{}'", tokenKindSpelling(close)));
        return kNoIndex;
    }
    advance();
    scratch_[node].node.range.end = prevEnd_;
    return node;
}

std::uint32_t Parser::parseAddress(std::uint32_t depth) {
    std::uint32_t node = newScratch(OperandKind::Address, rangeOf(tok_));
    advance(); // '['
    std::uint32_t base = kNoIndex;
    if (at(TokenKind::Register) || at(TokenKind::Identifier)) {
        base = newScratch(at(TokenKind::Register) ? OperandKind::Register : OperandKind::Symbol,
                          rangeOf(tok_));
        scratch_[base].node.name = nameOf(tok_);
        advance();
        if (at(TokenKind::Plus) || at(TokenKind::Minus)) {
            scratch_[node].node.flags |= kOperandHasOffset;
            if (!parseOffset(scratch_[node].node.value, depth)) return kNoIndex;
        }
    } else {
        base = parseConstantOperand(depth + 1); // absolute address [0x100]
        if (base == kNoIndex) return kNoIndex;
    }
    scratch_[node].firstChild = base;
    std::uint32_t last = base;
    while (consume(TokenKind::Comma)) { // [tex, {x, y}] / [surf, {x}]
        std::uint32_t child = parseOperand(depth + 1, false);
        if (child == kNoIndex) return kNoIndex;
        scratch_[last].nextSibling = child;
        last = child;
    }
    if (!consume(TokenKind::RBracket)) {
        errorExpectedAfter("expected ']' after address");
        return kNoIndex;
    }
    scratch_[node].node.range.end = prevEnd_;
    return node;
}

std::uint32_t Parser::parseConstantOperand(std::uint32_t depth) {
    std::uint32_t node = newScratch(OperandKind::Integer, rangeOf(tok_));
    Token first = tok_;
    if (at(TokenKind::Float) || (at(TokenKind::Minus) && peek().kind == TokenKind::Float)) {
        Operand& o = scratch_[node].node;
        if (at(TokenKind::Minus)) {
            o.flags |= kOperandNegative;
            advance();
        }
        o.kind = OperandKind::Float;
        o.flags |= kOperandLiteral;
        o.name = nameOf(tok_);
        std::string_view t = tok_.text;
        std::uint64_t bits = 0;
        if (t.size() > 2 && (t[1] == 'f' || t[1] == 'F' || t[1] == 'd' || t[1] == 'D')) {
            std::from_chars(t.data() + 2, t.data() + t.size(), bits, 16);
        } else {
            double d = 0;
            std::from_chars(t.data(), t.data() + t.size(), d);
            std::memcpy(&bits, &d, sizeof bits);
        }
        o.value = static_cast<std::int64_t>(bits);
        advance();
        o.range.end = prevEnd_;
        return node;
    }
    std::int64_t v = 0;
    if (!parseConstantExpression(v, depth)) return kNoIndex;
    Operand& o = scratch_[node].node;
    o.value = v;
    o.range.end = prevEnd_;
    if (first.kind == TokenKind::Integer && prevEnd_ == first.end()) {
        o.flags |= kOperandLiteral;
        o.name = nameOf(first);
    }
    return node;
}

std::uint32_t Parser::parseNameOperand(std::uint32_t depth) {
    bool isRegister = at(TokenKind::Register);
    std::uint32_t node =
        newScratch(isRegister ? OperandKind::Register : OperandKind::Symbol, rangeOf(tok_));
    scratch_[node].node.name = nameOf(tok_);
    Token nameTok = tok_;
    advance();
    Operand* o = &scratch_[node].node;
    if (!isRegister && nameTok.text == "_") {
        o->kind = OperandKind::Sink;
    } else if (!isRegister && nameTok.text == "generic" && at(TokenKind::LParen)) {
        // generic(sym) in initialisers: the address of sym in the generic space.
        advance();
        if (!at(TokenKind::Identifier)) {
            errorAtToken(
                fmt::format("expected a variable name in generic(), found {}", describeToken()));
            return kNoIndex;
        }
        o->name = nameOf(tok_);
        o->flags |= kOperandGeneric;
        advance();
        if (!consume(TokenKind::RParen)) {
            errorExpectedAfter("expected ')' after generic(");
            return kNoIndex;
        }
    }
    // %tid.x: a component glued to the register name.
    if (isRegister && at(TokenKind::DotName) && tok_.offset == nameTok.end() &&
        tok_.text.size() == 2) {
        char c = tok_.text[1];
        std::uint8_t comp = c == 'x' ? 1 : c == 'y' ? 2 : c == 'z' ? 3 : c == 'w' ? 4 : 0;
        if (comp == 0) {
            errorAtToken(fmt::format("unknown register component '{}'", tok_.text));
            return kNoIndex;
        }
        o->component = comp;
        advance();
    }
    if (!isRegister && o->kind == OperandKind::Symbol &&
        (at(TokenKind::Plus) || at(TokenKind::Minus))) {
        o->flags |= kOperandHasOffset;
        std::int64_t off = 0;
        if (!parseOffset(off, depth)) return kNoIndex;
        scratch_[node].node.value = off;
    }
    scratch_[node].node.range.end = prevEnd_;
    return node;
}

std::uint32_t Parser::parseOperand(std::uint32_t depth, bool inCall) {
    if (depth > opts_.maxExpressionDepth) {
        errorAtToken(
            fmt::format("operand nested too deeply (the limit is {})", opts_.maxExpressionDepth));
        return kNoIndex;
    }
    std::uint32_t node = kNoIndex;
    switch (tok_.kind) {
    case TokenKind::Register:
    case TokenKind::Identifier:
        node = parseNameOperand(depth);
        break;
    case TokenKind::Exclaim:
        if (peek().kind == TokenKind::Register || peek().kind == TokenKind::Identifier) {
            std::uint32_t begin = tok_.offset;
            advance();
            node = parseNameOperand(depth);
            if (node == kNoIndex) return kNoIndex;
            scratch_[node].node.flags |= kOperandNegated;
            scratch_[node].node.range.begin = begin;
            return node;
        }
        node = parseConstantOperand(depth);
        break;
    case TokenKind::LBrace:
        node = parseContainer(OperandKind::Vector, TokenKind::RBrace, depth, inCall);
        break;
    case TokenKind::LBracket:
        node = parseAddress(depth);
        break;
    case TokenKind::LParen:
        node = inCall ? parseContainer(OperandKind::List, TokenKind::RParen, depth, inCall)
                      : parseConstantOperand(depth);
        break;
    case TokenKind::Minus:
        if (peek().kind == TokenKind::Register) {
            std::uint32_t begin = tok_.offset;
            advance();
            node = parseNameOperand(depth);
            if (node == kNoIndex) return kNoIndex;
            scratch_[node].node.flags |= kOperandNegatedSource;
            scratch_[node].node.range.begin = begin;
            return node;
        }
        node = parseConstantOperand(depth);
        break;
    case TokenKind::Integer:
    case TokenKind::Float:
    case TokenKind::Tilde:
    case TokenKind::Plus:
        node = parseConstantOperand(depth);
        break;
    default:
        errorAtToken(fmt::format("expected an operand, found {}", describeToken()));
        return kNoIndex;
    }
    if (node == kNoIndex) return kNoIndex;
    if (at(TokenKind::Pipe)) { // %p|%q
        std::uint32_t pair = newScratch(OperandKind::Pair, scratch_[node].node.range);
        advance();
        std::uint32_t second = parseOperand(depth + 1, inCall);
        if (second == kNoIndex) return kNoIndex;
        scratch_[pair].firstChild = node;
        scratch_[node].nextSibling = second;
        scratch_[pair].node.range.end = prevEnd_;
        return pair;
    }
    return node;
}

} // namespace ptxwb::ptx::detail
