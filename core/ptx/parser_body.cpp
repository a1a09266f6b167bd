// Function bodies: statements, nested scopes (iteratively, so depth costs no stack), labels,
// call prototypes, branch/call target tables and instructions.
#include "ptx/parser_impl.h"

#include <fmt/format.h>

namespace ptxwb::ptx::detail {

void Parser::parseBody(Function& f) {
    std::uint32_t bodyBegin = tok_.offset;
    advance(); // '{'
    f.firstStatement = static_cast<std::uint32_t>(module_.statements.size());
    std::uint32_t depth = 1;
    std::vector<std::uint32_t> openScopes; // scope indices of the open inner '{'
    while (depth > 0) {
        statementHasError_ = false;
        switch (tok_.kind) {
        case TokenKind::EndOfFile: {
            Diagnostic& d =
                diags_.error({prevEnd_, prevEnd_ + 1}, "expected '}' at end of function body");
            d.notes.push_back({{bodyBegin, bodyBegin + 1}, "to match this '{'"});
            depth = 0;
            break;
        }
        case TokenKind::RBrace:
            --depth;
            if (depth > 0) {
                Scope& s = module_.scopes[openScopes.back()];
                s.range.end = tok_.end();
                s.endStatement = static_cast<std::uint32_t>(module_.statements.size());
                pushStatement(StatementKind::ScopeEnd, openScopes.back());
                openScopes.pop_back();
            }
            advance();
            break;
        case TokenKind::LBrace:
            if (depth >= opts_.maxScopeDepth) {
                errorAtToken(
                    fmt::format("scopes nested too deeply (the limit is {})", opts_.maxScopeDepth));
                skipBracedGroup();
                break;
            }
            ++depth;
            openScopes.push_back(static_cast<std::uint32_t>(module_.scopes.size()));
            module_.scopes.push_back(
                {rangeOf(tok_), static_cast<std::uint32_t>(module_.statements.size()), 0});
            pushStatement(StatementKind::ScopeBegin, openScopes.back());
            advance();
            break;
        default:
            parseBodyStatement(depth, bodyBegin);
            break;
        }
    }
    f.statementCount = static_cast<std::uint32_t>(module_.statements.size()) - f.firstStatement;
}

void Parser::parseBodyStatement(std::uint32_t& depth, std::uint32_t bodyBegin) {
    (void)depth;
    (void)bodyBegin;
    std::uint32_t begin = tok_.offset;
    switch (tok_.kind) {
    case TokenKind::Semicolon:
        advance();
        return;
    case TokenKind::At:
        parseInstruction();
        return;
    case TokenKind::Identifier:
        // "name:" is a label; a comment between name and ':' needs the real look-ahead.
        if (hasPeek_ ? peek_.kind == TokenKind::Colon
                     : lexer_.nextCharIs(':') ||
                           (lexer_.nextCharIs('/') && peek().kind == TokenKind::Colon)) {
            parseLabelled();
            return;
        }
        parseInstruction();
        return;
    case TokenKind::DotName:
        break;
    default:
        errorAtToken(
            fmt::format("expected an instruction or directive, found {}", describeToken()));
        skipStatement();
        return;
    }
    Keyword k = dotKeyword();
    if (k == Keyword::Loc) {
        std::uint32_t index = parseLoc();
        if (index != kNoIndex) pushStatement(StatementKind::Loc, index);
        return;
    }
    if (k == Keyword::Pragma) {
        pushStatement(StatementKind::Pragma, parsePragma());
        return;
    }
    std::uint8_t linkage = parseLinkage();
    if (at(TokenKind::DotName) && isStateSpace(dotKeyword())) {
        std::uint32_t first = 0, count = 0;
        parseVariableStatement(linkage, begin, first, count);
        for (std::uint32_t i = 0; i < count; ++i)
            pushStatement(StatementKind::Variable, first + i);
        return;
    }
    if (at(TokenKind::DotName))
        errorAtToken(
            fmt::format("unexpected directive '{}' in function body", tok_.text.substr(0, 40)));
    else
        errorAtToken(
            fmt::format("expected a declaration after linkage, found {}", describeToken()));
    skipStatement();
}

void Parser::parseLabelled() {
    Token name = tok_;
    std::uint32_t begin = tok_.offset;
    advance(); // name
    advance(); // ':'
    if (at(TokenKind::DotName)) {
        Keyword k = dotKeyword();
        if (k == Keyword::Callprototype) {
            parseCallPrototype(name, begin);
            return;
        }
        if (k == Keyword::Branchtargets || k == Keyword::Calltargets) {
            parseTargetList(name, begin, k == Keyword::Calltargets);
            return;
        }
    }
    module_.labels.push_back({{begin, prevEnd_}, nameOf(name)});
    pushStatement(StatementKind::Label, static_cast<std::uint32_t>(module_.labels.size() - 1));
}

void Parser::parseCallPrototype(const Token& name, std::uint32_t begin) {
    CallPrototype p;
    p.name = nameOf(name);
    advance(); // .callprototype
    if (at(TokenKind::LParen) && !parseParamList(p.firstReturn, p.returnCount, true)) {
        skipStatement();
        return;
    }
    if (!at(TokenKind::Identifier) || tok_.text != "_") {
        errorAtToken(fmt::format("expected '_' in .callprototype, found {}", describeToken()));
        skipStatement();
        return;
    }
    advance();
    if (at(TokenKind::LParen) && !parseParamList(p.firstParam, p.paramCount, true)) {
        skipStatement();
        return;
    }
    if (at(TokenKind::DotName) && dotKeyword() == Keyword::Noreturn) {
        p.noreturn = true;
        advance();
    }
    p.range = {begin, prevEnd_};
    module_.prototypes.push_back(p);
    pushStatement(StatementKind::CallPrototype,
                  static_cast<std::uint32_t>(module_.prototypes.size() - 1));
    expectSemicolon("'.callprototype'");
}

void Parser::parseTargetList(const Token& name, std::uint32_t begin, bool calls) {
    TargetList t;
    t.name = nameOf(name);
    t.isCallTargets = calls;
    advance();
    t.firstTarget = static_cast<std::uint32_t>(module_.operands.size());
    do {
        if (!at(TokenKind::Identifier)) {
            errorAtToken(fmt::format("expected a {} name, found {}", calls ? "function" : "label",
                                     describeToken()));
            skipStatement();
            return;
        }
        Operand o;
        o.kind = OperandKind::Symbol;
        o.name = nameOf(tok_);
        o.range = rangeOf(tok_);
        module_.operands.push_back(o);
        ++t.targetCount;
        advance();
    } while (consume(TokenKind::Comma));
    t.range = {begin, prevEnd_};
    module_.targetLists.push_back(t);
    pushStatement(StatementKind::TargetList,
                  static_cast<std::uint32_t>(module_.targetLists.size() - 1));
    expectSemicolon(calls ? "'.calltargets'" : "'.branchtargets'");
}

void Parser::parseInstruction() {
    Instruction inst;
    inst.range.begin = tok_.offset;
    scratch_.clear();
    roots_.clear();
    std::uint32_t guardRoot = kNoIndex;
    if (consume(TokenKind::At)) {
        if (consume(TokenKind::Exclaim)) inst.guardNegated = true;
        if (!at(TokenKind::Register) && !at(TokenKind::Identifier)) {
            errorAtToken(
                fmt::format("expected a predicate register after '@', found {}", describeToken()));
            skipStatement();
            return;
        }
        guardRoot = newScratch(
            at(TokenKind::Register) ? OperandKind::Register : OperandKind::Symbol, rangeOf(tok_));
        scratch_[guardRoot].node.name = nameOf(tok_);
        advance();
    }
    if (!at(TokenKind::Identifier)) {
        errorAtToken(fmt::format("expected an instruction opcode, found {}", describeToken()));
        skipStatement();
        return;
    }
    Token base = tok_;
    advance();
    // Longest compound opcode formed by the base and the dotted names glued to it.
    std::string_view source = module_.source;
    OpcodeLookup found = lookupOpcodePrefix(base.text);
    inst.opcode = found.opcode;
    std::uint32_t opcodeEnd = base.end();
    if (found.isCompoundPrefix) {
        std::uint32_t end = base.end();
        Token look = tok_;
        // Walk the following DotName tokens through a private lexer so nothing is consumed yet.
        Lexer probe(source.substr(end), false, end);
        while (look.kind == TokenKind::DotName && look.offset == end) {
            std::string_view candidate = source.substr(base.offset, look.end() - base.offset);
            OpcodeLookup longer = lookupOpcodePrefix(candidate);
            if (longer.opcode != Opcode::Unknown) {
                inst.opcode = longer.opcode;
                opcodeEnd = look.end();
            }
            if (!longer.isCompoundPrefix) break;
            end = look.end();
            probe = Lexer(source.substr(end), false, end);
            look = probe.next();
        }
        while (at(TokenKind::DotName) && tok_.end() <= opcodeEnd)
            advance();
    }
    inst.opcodeText = {base.offset, opcodeEnd - base.offset};
    inst.firstModifier = static_cast<std::uint32_t>(module_.modifiers.size());
    while (at(TokenKind::DotName)) {
        if (inst.modifierCount == 255) {
            errorAtToken("too many modifiers on one instruction");
            skipStatement();
            return;
        }
        module_.modifiers.push_back(
            {lookupKeyword(tok_.text.substr(1)),
             {tok_.offset + 1, static_cast<std::uint32_t>(tok_.text.size() - 1)}});
        ++inst.modifierCount;
        advance();
    }
    bool inCall = inst.opcode == Opcode::Call;
    // nvcc breaks long calls across lines ("call.uni" / "vprintf," / "(" ...), so a line break
    // alone does not end an instruction; but a new line that starts a statement ("ret" then
    // "}" or "mov.u32 ...", "@%p bra", ".reg", "L:") means the ';' was forgotten.
    bool newStatement = at(TokenKind::RBrace) || at(TokenKind::EndOfFile);
    if (tokNewline_ && !newStatement) {
        if (at(TokenKind::At) || at(TokenKind::DotName))
            newStatement = true;
        else if (at(TokenKind::Identifier)) {
            TokenKind next = peek().kind;
            newStatement = next == TokenKind::DotName || next == TokenKind::Colon ||
                           next == TokenKind::Identifier || next == TokenKind::Register ||
                           next == TokenKind::LBrace;
        }
    }
    bool operandsFollow = !at(TokenKind::Semicolon) && !newStatement;
    if (operandsFollow) {
        for (;;) {
            std::uint32_t root = parseOperand(0, inCall);
            if (root == kNoIndex) {
                skipStatement();
                module_.modifiers.resize(inst.firstModifier);
                return;
            }
            if (roots_.size() == 255) {
                error(scratch_[root].node.range, "too many operands on one instruction");
                skipStatement();
                module_.modifiers.resize(inst.firstModifier);
                return;
            }
            roots_.push_back(root);
            if (!consume(TokenKind::Comma)) break;
        }
    }
    inst.range.end = prevEnd_;
    if (!consume(TokenKind::Semicolon)) {
        errorExpectedAfter("expected ';' after instruction");
        // At a line break the ';' was just forgotten: keep the instruction, go on with the next
        // line. Otherwise the rest of the statement is garbage: drop it.
        if (!tokNewline_ && !at(TokenKind::RBrace) && !at(TokenKind::EndOfFile)) {
            skipStatement();
            module_.modifiers.resize(inst.firstModifier);
            return;
        }
    }
    inst.operandCount = static_cast<std::uint8_t>(roots_.size());
    if (guardRoot != kNoIndex) roots_.push_back(guardRoot);
    inst.firstOperand =
        roots_.empty() ? static_cast<std::uint32_t>(module_.operands.size())
                       : commitOperands(roots_.data(), static_cast<std::uint32_t>(roots_.size()));
    if (guardRoot != kNoIndex) inst.guard = inst.firstOperand + inst.operandCount;
    module_.instructions.push_back(inst);
    pushStatement(StatementKind::Instruction,
                  static_cast<std::uint32_t>(module_.instructions.size() - 1));
}

} // namespace ptxwb::ptx::detail
