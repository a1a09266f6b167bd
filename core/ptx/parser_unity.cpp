// The parser and lexer are compiled as one translation unit so the token stream (Lexer::next,
// Parser::advance) inlines into the grammar functions: it is the hot path of parsing.
#include "lexer.cpp"
#include "parser.cpp"
#include "parser_body.cpp"
#include "parser_decl.cpp"
#include "parser_operands.cpp"
