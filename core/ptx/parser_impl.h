#pragma once
// Private to the parser: the Parser class shared by parser*.cpp (module level, function bodies
// and instructions, operands and constant expressions).

#include "ptx/lexer.h"
#include "ptx/parser.h"

#include <string>

namespace ptxwb::ptx::detail {

class Parser {
public:
    Parser(std::string_view text, Module& module, DiagnosticList& diags, const ParseOptions& opts);
    void parseModule();

private:
    // Token stream (parser.cpp). advance() is inline: it runs once per token.
    void advance() {
        prevEnd_ = tok_.end();
        badNumber_ = false;
        if (!hasPeek_) {
            tok_ = lexer_.next();
            tokNewline_ = lexer_.sawNewline();
            if (tok_.kind != TokenKind::Error) return;
        }
        advanceSlow();
    }
    void advanceSlow();
    const Token& peek();
    [[nodiscard]] bool at(TokenKind k) const { return tok_.kind == k; }
    bool consume(TokenKind k) {
        if (tok_.kind != k) return false;
        advance();
        return true;
    }
    [[nodiscard]] Keyword dotKeyword() const; ///< keyword of the current DotName token
    [[nodiscard]] NameRef nameOf(const Token& t) const {
        return {t.offset, static_cast<std::uint32_t>(t.text.size())};
    }
    [[nodiscard]] SourceRange rangeOf(const Token& t) const { return {t.offset, t.end()}; }
    [[nodiscard]] SourceRange from(std::uint32_t begin) const { return {begin, prevEnd_}; }
    void error(SourceRange where, std::string message);
    void errorAtToken(std::string message) { error(rangeOf(tok_), std::move(message)); }
    /// "expected X" pointing just after the previous token (where the missing thing belongs).
    void errorExpectedAfter(std::string message);
    void reportLexError(const Token& t);
    /// Skips to the end of the statement: consumes ';', stops before an unmatched '}'.
    void skipStatement();
    /// Skips a balanced { ... } group starting at the current '{' without recursion.
    void skipBracedGroup();
    /// Expects ';' ending a statement; recovers from a missing one at a line break.
    void expectSemicolon(const char* after);
    std::string describeToken() const;

    // Module level (parser.cpp).
    void parseTopLevel();
    void parseVersion();
    void parseTarget();
    void parseAddressSize();
    void parseFile();
    void parseSection();
    void parseAlias();
    std::uint32_t parsePragma();
    std::uint32_t parseLoc();
    std::uint8_t parseLinkage();

    // Declarations (parser_decl.cpp).
    void parseFunction(std::uint8_t linkage, std::uint32_t begin);
    bool parseParamList(std::uint32_t& first, std::uint32_t& count, bool allowNameless);
    bool parsePerformanceDirective();
    /// Parses a variable declaration statement (after any linkage) into Module::variables,
    /// handling "a, b<3>, c[4]" lists; the declared variables are [first, first + count).
    void parseVariableStatement(std::uint8_t linkage, std::uint32_t begin, std::uint32_t& first,
                                std::uint32_t& count);
    bool parseVariableHead(Variable& v);
    bool parseVariableName(Variable& v, bool allowNameless);
    std::uint32_t parseInitializer(std::uint32_t depth);
    bool parseUnsigned(std::uint32_t& out, const char* what);

    // Function bodies and instructions (parser_body.cpp).
    void parseBody(Function& f);
    void parseBodyStatement(std::uint32_t& depth, std::uint32_t bodyBegin);
    void parseLabelled();
    void parseCallPrototype(const Token& name, std::uint32_t begin);
    void parseTargetList(const Token& name, std::uint32_t begin, bool calls);
    void parseInstruction();
    void pushStatement(StatementKind kind, std::uint32_t index) {
        module_.statements.push_back({kind, index});
    }

    // Operands and constant expressions (parser_operands.cpp).
    /// Parses one operand tree into the scratch pool; returns its scratch index or kNoIndex.
    std::uint32_t parseOperand(std::uint32_t depth, bool inCall);
    std::uint32_t parseAddress(std::uint32_t depth);
    std::uint32_t parseContainer(OperandKind kind, TokenKind close, std::uint32_t depth,
                                 bool inCall);
    std::uint32_t parseNameOperand(std::uint32_t depth);
    std::uint32_t parseConstantOperand(std::uint32_t depth);
    bool parseConstantExpression(std::int64_t& value, std::uint32_t depth, int minPrecedence = 0);
    bool parseConstantPrimary(std::int64_t& value, std::uint32_t depth);
    bool parseIntegerLiteral(const Token& t, std::int64_t& value);
    bool parseOffset(std::int64_t& offset, std::uint32_t depth);
    std::uint32_t newScratch(OperandKind kind, SourceRange range);
    /// Moves scratch operand trees into Module::operands with each node's children contiguous
    /// (breadth first); returns the index of the first root.
    std::uint32_t commitOperands(const std::uint32_t* roots, std::uint32_t count);

    struct ScratchOperand {
        Operand node;
        std::uint32_t firstChild = kNoIndex; ///< scratch links while parsing
        std::uint32_t nextSibling = kNoIndex;
    };

    Lexer lexer_;
    Module& module_;
    DiagnosticList& diags_;
    ParseOptions opts_;
    Token tok_;
    bool tokNewline_ = false; ///< a line break precedes tok_
    Token peek_;
    bool peekNewline_ = false;
    bool hasPeek_ = false;
    std::uint32_t prevEnd_ = 0;
    bool statementHasError_ = false;
    bool badNumber_ = false; ///< the current Integer token was malformed (already reported)
    std::vector<ScratchOperand> scratch_;
    std::vector<std::uint32_t> roots_;
    std::vector<std::uint32_t> bfsQueue_;
};

} // namespace ptxwb::ptx::detail
