#include "ptx/highlight.h"
#include "ptx/lexer.h"
#include "ptx/tables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::ptx {
namespace {

std::vector<Token> lexAll(std::string_view text) {
    Lexer lexer(text);
    std::vector<Token> out;
    for (Token t = lexer.next(); t.kind != TokenKind::EndOfFile; t = lexer.next())
        out.push_back(t);
    return out;
}

TEST(PtxLexer, SplitsAnInstructionIntoTokensWithOffsets) {
    auto t = lexAll("@!%p1 ld.global.nc.L1::no_allocate.v4.u32 {%r1, %r2}, [%rd1+-16]; // c");
    ASSERT_EQ(t.size(), 22u);
    EXPECT_EQ(t[0].kind, TokenKind::At);
    EXPECT_EQ(t[1].kind, TokenKind::Exclaim);
    EXPECT_EQ(t[2].kind, TokenKind::Register);
    EXPECT_EQ(t[2].text, "%p1");
    EXPECT_EQ(t[3].kind, TokenKind::Identifier);
    EXPECT_EQ(t[3].text, "ld");
    EXPECT_EQ(t[3].offset, 6u);
    EXPECT_EQ(t[6].text, ".L1::no_allocate");
    EXPECT_EQ(t[6].kind, TokenKind::DotName);
    EXPECT_EQ(t[17].kind, TokenKind::Plus);
    EXPECT_EQ(t[18].kind, TokenKind::Minus);
    EXPECT_EQ(t[19].text, "16");
    EXPECT_EQ(t[19].kind, TokenKind::Integer);
    EXPECT_EQ(t[21].kind, TokenKind::Semicolon);
}

TEST(PtxLexer, NumbersInEveryBaseAndFloatForms) {
    auto t = lexAll("0x1F 0b101 017 42U 0f3F800000 0d3FF0000000000000 1.5e-3 9.0");
    ASSERT_EQ(t.size(), 8u);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(t[i].kind, TokenKind::Integer) << i;
    for (int i = 4; i < 8; ++i)
        EXPECT_EQ(t[i].kind, TokenKind::Float) << i;
    EXPECT_EQ(t[6].text, "1.5e-3");
}

TEST(PtxLexer, MalformedNumbersAndBadBytesAreErrorTokens) {
    auto t = lexAll("0x 0f3F80 08 12ab \x01 \xff");
    ASSERT_EQ(t.size(), 6u);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(t[i].error, LexError::MalformedNumber) << i;
    EXPECT_EQ(t[4].error, LexError::InvalidCharacter);
    EXPECT_EQ(t[5].error, LexError::InvalidCharacter);
    EXPECT_EQ(t[5].offset, 20u);
}

TEST(PtxLexer, UnterminatedStringAndCommentStopAtTheEnd) {
    auto s = lexAll("\"abc\n");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].error, LexError::UnterminatedString);
    auto c = lexAll("add /* never closed");
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[1].error, LexError::UnterminatedComment);
}

TEST(PtxTables, KeywordsOpcodesAndSpecialRegistersComeFromTheDefFiles) {
    EXPECT_EQ(lookupKeyword("shared::cluster"), Keyword::SpaceSharedCluster);
    EXPECT_EQ(keywordCategory(lookupKeyword("u32")), KeywordCategory::Type);
    EXPECT_EQ(typeBits(Keyword::TypeF16x2), 32u);
    EXPECT_EQ(keywordCategory(lookupKeyword("entry")), KeywordCategory::Directive);
    EXPECT_EQ(lookupKeyword("mbarrier::complete_tx::bytes"), Keyword::ModMbarrierCompleteTxBytes);
    EXPECT_EQ(lookupKeyword("no_such_modifier"), Keyword::Unknown);
    EXPECT_EQ(lookupOpcode("cp.async.bulk.tensor"), Opcode::CpAsyncBulkTensor);
    EXPECT_TRUE(isCompoundOpcodePrefix("cp"));
    EXPECT_TRUE(isCompoundOpcodePrefix("cp.async"));
    EXPECT_FALSE(isCompoundOpcodePrefix("add"));
    EXPECT_EQ(opcodeClass(Opcode::Shfl), OpcodeClass::Warp);
    EXPECT_EQ(lookupSpecialRegister("clock64"), SpecialRegister::Clock64);
    EXPECT_TRUE(specialRegisterHasComponents(SpecialRegister::Tid));
}

TEST(PtxHighlight, ColoursOneLineWithRegisterWidthClasses) {
    HighlightState state;
    std::vector<HighlightSpan> spans;
    highlightLine("\t@%p1 add.s64 %rd1, %rd2, %r3; // sum", state, spans);
    using C = TokenCategory;
    std::vector<C> cats;
    for (const auto& s : spans)
        cats.push_back(s.category);
    EXPECT_THAT(cats, testing::ElementsAre(C::Punctuation, C::Register, C::Opcode, C::Type,
                                           C::Register, C::Punctuation, C::Register, C::Punctuation,
                                           C::Register, C::Punctuation, C::Comment));
    EXPECT_EQ(spans[1].registerClass, RegisterClass::Predicate);
    EXPECT_EQ(spans[4].registerClass, RegisterClass::Bits64);
    EXPECT_EQ(spans[8].registerClass, RegisterClass::Bits32);
    EXPECT_EQ(spans[2].offset, 6u);
    EXPECT_EQ(spans[2].length, 3u);
}

TEST(PtxHighlight, BlockCommentsCarryAcrossLines) {
    HighlightState state;
    std::vector<HighlightSpan> spans;
    highlightLine("mov.u32 %r1, %tid.x; /* start", state, spans);
    EXPECT_TRUE(state.inBlockComment);
    EXPECT_EQ(spans[4].category, TokenCategory::SpecialRegister);
    highlightLine("still comment */ .reg .b32 %r<4>;", state, spans);
    EXPECT_FALSE(state.inBlockComment);
    ASSERT_GE(spans.size(), 3u);
    EXPECT_EQ(spans[0].category, TokenCategory::Comment);
    EXPECT_EQ(spans[0].length, 16u);
    EXPECT_EQ(spans[1].category, TokenCategory::StateSpace);
    EXPECT_EQ(spans[2].category, TokenCategory::Type);
}

} // namespace
} // namespace ptxwb::ptx
