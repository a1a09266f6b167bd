#include "ptx/function_diff.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::ptx {
namespace {

std::string p(SourceRange r, const test::Parsed& parsed) {
    LineColumn lc = parsed.sources->lineColumn(parsed.buffer, r.begin);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

TEST(PtxDiff, RenamedRegistersAndLabelsCompareSame) {
    auto a = test::parse(test::kernel(
        "\t.reg .b32 %r<4>;\n\t.reg .pred %p<2>;\n\tmov.u32 %r1, 0;\n$L_a:\n"
        "\tadd.s32 %r1, %r1, 1;\n\tsetp.lt.s32 %p1, %r1, 4;\n\t@%p1 bra $L_a;\n\tret;\n"));
    auto b = test::parse(test::kernel(
        "\t.reg .b32 %q<9>;\n\t.reg .pred %c<2>;\n\tmov.u32 %q7, 0;\n$X:\n"
        "\tadd.s32 %q7, %q7, 1;\n\tsetp.lt.s32 %c0, %q7, 4;\n\t@%c0 bra $X;\n\tret;\n"));
    FunctionDiff d = diffFunctions(a->module, 0, b->module, 0);
    EXPECT_TRUE(d.equivalent());
    EXPECT_EQ(d.same, 6u);
}

TEST(PtxDiff, InconsistentRenamingIsChangedAndInsertionsAreOneSided) {
    auto a = test::parse(test::kernel("\t.reg .b32 %r<4>;\n\tmov.u32 %r1, 1;\n\tmov.u32 %r2, 2;\n"
                                      "\tadd.s32 %r3, %r1, %r2;\n\tret;\n"));
    auto b = test::parse(
        test::kernel("\t.reg .b32 %r<4>;\n\tmov.u32 %r1, 1;\n\tmov.u32 %r2, 2;\n"
                     "\tmul.lo.s32 %r2, %r2, %r2;\n\tadd.s32 %r3, %r2, %r1;\n\tret;\n"));
    FunctionDiff d = diffFunctions(a->module, 0, b->module, 0);
    ASSERT_EQ(d.lines.size(), 5u);
    EXPECT_EQ(d.lines[0].kind, DiffKind::Same);
    EXPECT_EQ(d.lines[2].kind, DiffKind::OnlyRight);
    EXPECT_EQ(d.lines[2].rightText, "mul.lo.s32\t%r2, %r2, %r2;");
    EXPECT_EQ(d.lines[3].kind, DiffKind::Changed); // operands swapped: not a renaming
    EXPECT_EQ(d.lines[3].leftText, "add.s32\t%r3, %r1, %r2;");
    EXPECT_EQ(p(d.lines[3].leftRange, *a), "11:2");
    EXPECT_EQ(d.lines[4].kind, DiffKind::Same);
    EXPECT_EQ(d.changed, 1u);
    EXPECT_EQ(d.onlyRight, 1u);
    EXPECT_FALSE(d.equivalent());
}

} // namespace
} // namespace ptxwb::ptx
