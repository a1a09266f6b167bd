// Malformed input never crashes or hangs and always gets a located diagnostic.
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::ptx {
namespace {

using testing::ElementsAre;

const std::string kHeader = ".version 9.0\n.target sm_80\n.address_size 64\n";

TEST(PtxMalformed, EmptyFile) {
    auto p = test::parse("");
    EXPECT_THAT(p->messages(), ElementsAre("1:1: error: empty PTX module: expected '.version'"));
}

TEST(PtxMalformed, OnlyCommentsIsEmpty) {
    auto p = test::parse("// nothing here\n/* or here */\n");
    EXPECT_THAT(p->messages(), ElementsAre("3:1: error: empty PTX module: expected '.version'"));
}

TEST(PtxMalformed, NulBytes) {
    std::string text = kHeader + ".entry k()\n{\n\tret;";
    text += std::string(3, '\0');
    text += "\n}\n";
    auto p = test::parse(text);
    // One diagnostic per bad byte would be noise: the statement recovers after the first.
    EXPECT_THAT(p->messages(), ElementsAre("6:6: error: invalid byte 0x00 in PTX source",
                                           "6:7: error: invalid byte 0x00 in PTX source",
                                           "6:8: error: invalid byte 0x00 in PTX source"));
}

TEST(PtxMalformed, InvalidUtf8AndNonAscii) {
    auto p = test::parse(kHeader + "\xff\xfe\n.global .u32 caf\xc3\xa9;\n");
    EXPECT_THAT(p->messages(), ElementsAre("4:1: error: invalid byte 0xff in PTX source",
                                           "4:2: error: invalid byte 0xfe in PTX source",
                                           "5:17: error: non-ASCII character in PTX source"));
}

TEST(PtxMalformed, TenMegabyteLine) {
    std::string text = kHeader + std::string(10 * 1024 * 1024, 'a') + "\n.global .u32 x;\n";
    auto p = test::parse(text);
    EXPECT_THAT(
        p->messages(),
        ElementsAre(
            "4:1: error: expected a directive, found 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"));
    // Recovery at ';' swallows the declaration after the garbage; nothing crashes.
    std::string shown = formatDiagnostic(*p->sources, p->buffer, p->diagnostics.all()[0]);
    EXPECT_LT(shown.size(), 400u);
}

TEST(PtxMalformed, TenThousandNestedBracesInAFunction) {
    std::string text =
        kHeader + ".entry k()\n{" + std::string(10000, '{') + std::string(10000, '}') + "}\n";
    auto p = test::parse(text);
    // The body's '{' is column 1 of line 5; the 256th scope opens at column 2 + 254.
    EXPECT_THAT(p->messages(),
                ElementsAre("5:257: error: scopes nested too deeply (the limit is 256)"));
}

TEST(PtxMalformed, TenThousandNestedBracesAtModuleScope) {
    auto p = test::parse(kHeader + std::string(10000, '{') + std::string(10000, '}') +
                         "\n.global .u32 x;\n");
    EXPECT_THAT(p->messages(), ElementsAre("4:1: error: unexpected '{' outside a function body"));
    EXPECT_EQ(p->module.variables.size(), 1u);
}

TEST(PtxMalformed, DeeplyNestedExpressionIsBounded) {
    std::string expr = std::string(5000, '(') + "1" + std::string(5000, ')');
    auto p = test::parse(test::kernel("\t.reg .b32 %r<2>;\n\tadd.s32 %r1, %r1, " + expr + ";\n"));
    ASSERT_EQ(p->messages().size(), 1u);
    EXPECT_EQ(p->messages()[0], "9:85: error: expression nested too deeply (the limit is 64)");
}

TEST(PtxMalformed, LiteralsWiderThan64Bits) {
    auto p = test::parse(test::kernel(
        "\t.reg .b64 %rd<2>;\n\tmov.u64 %rd1, 0x1ffffffffffffffff;\n"
        "\tmov.u64 %rd1, 18446744073709551616;\n\tmov.u64 %rd1, 18446744073709551615;\n"));
    EXPECT_THAT(p->messages(),
                ElementsAre("9:16: error: integer literal is too large to fit in 64 bits",
                            "10:16: error: integer literal is too large to fit in 64 bits"));
}

TEST(PtxMalformed, HugeRegisterRangeIsRejected) {
    auto p = test::parse(test::kernel("\t.reg .b32 %r<4000000000>;\n\tret;\n"));
    EXPECT_THAT(
        p->messages(),
        ElementsAre("8:15: error: register count 4000000000 is too large (the limit is 1048576)"));
}

TEST(PtxMalformed, MalformedNumbers) {
    auto p = test::parse(
        test::kernel("\t.reg .b32 %r<2>;\n\tmov.b32 %r1, 0f3F80;\n\tmov.u32 %r1, 09;\n"));
    EXPECT_THAT(p->messages(), ElementsAre("9:15: error: malformed number '0f3F80'",
                                           "10:15: error: malformed number '09'"));
}

TEST(PtxMalformed, TruncatedFiles) {
    std::string full = test::kernel("\t.reg .b32 %r<2>;\n\tmov.u32 %r1, 1;\n");
    // Every cut inside the function body parses without crashing and reports the cut.
    for (std::size_t n = full.find("{\n") + 1; n < full.rfind('}'); ++n) {
        auto p = test::parse(full.substr(0, n));
        if (n > 0) {
            EXPECT_TRUE(p->diagnostics.hasErrors()) << n;
        }
    }
    auto p = test::parse(full.substr(0, full.find("1;") + 1));
    EXPECT_THAT(p->messages(), ElementsAre("9:16: error: expected ';' after instruction",
                                           "9:16: error: expected '}' at end of function body"));
    auto s = test::parse(kHeader + ".global .u32 s = \"abc");
    EXPECT_THAT(s->messages(), ElementsAre("4:18: error: missing terminating '\"' character"));
}

TEST(PtxMalformed, UnterminatedBlockComment) {
    auto p = test::parse(kHeader + "/* open");
    EXPECT_THAT(p->messages(), ElementsAre("4:1: error: unterminated /* comment"));
}

TEST(PtxMalformed, RandomBytesNeverCrash) {
    std::uint64_t state = 12345;
    for (int round = 0; round < 300; ++round) {
        std::string text = kHeader + ".entry k() {\n";
        for (int i = 0; i < 200; ++i) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            static const char alphabet[] = "{}[]();:,.%@!|+-<>=0123456789abcxyz_$ \n\t\"/*\x00\xff";
            text.push_back(alphabet[(state >> 33) % (sizeof alphabet - 1)]);
        }
        auto p = test::parse(text, true);
        EXPECT_TRUE(p->diagnostics.hasErrors() || !p->module.functions.empty());
    }
}

} // namespace
} // namespace ptxwb::ptx
