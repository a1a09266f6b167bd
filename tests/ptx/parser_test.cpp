#include "ptx/printer.h"
#include "test_support.h"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>

namespace ptxwb::ptx {
namespace {

using testing::ElementsAre;

std::string readTour() {
    std::ifstream in(std::string(PTXWB_TEST_DATA_DIR) + "/ptx/grammar_tour.ptx");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(PtxParser, GrammarTourParsesAndVerifiesClean) {
    auto p = test::parse(readTour(), true);
    EXPECT_THAT(p->messages(), ElementsAre());
    const Module& m = p->module;
    EXPECT_EQ(m.versionMajor, 9u);
    EXPECT_EQ(m.versionMinor, 0u);
    EXPECT_EQ(m.addressSize, 64u);
    ASSERT_EQ(m.functions.size(), 3u);
    const Function& tour = m.functions[2];
    EXPECT_EQ(m.text(tour.name), "tour");
    EXPECT_TRUE(tour.isEntry);
    EXPECT_EQ(tour.linkage, kLinkVisible);
    ASSERT_EQ(tour.performanceCount, 4u);
    EXPECT_EQ(m.performance[tour.firstPerformance].values[0], 128u);
    auto params = m.paramsOf(tour);
    ASSERT_EQ(params.size(), 2u);
    EXPECT_TRUE(params[0].isPtr);
    EXPECT_EQ(params[0].ptrSpace, Keyword::SpaceGlobal);
    EXPECT_EQ(params[0].ptrAlign, 16u);
    EXPECT_EQ(m.functions[1].returnCount, 1u);
    EXPECT_TRUE(m.functions[1].noreturn);
    ASSERT_EQ(m.targetLists.size(), 1u);
    EXPECT_EQ(m.targetLists[0].targetCount, 4u);
    ASSERT_EQ(m.sections.size(), 1u);
    EXPECT_EQ(m.sections[0].entryCount, 5u);
}

TEST(PtxParser, CompoundOpcodesTakeTheLongestMatch) {
    auto p = test::parse(readTour());
    const Module& m = p->module;
    const Instruction* bulk = nullptr;
    for (const Instruction& i : m.instructions)
        if (i.opcode == Opcode::CpAsyncBulkTensor) bulk = &i;
    ASSERT_NE(bulk, nullptr);
    EXPECT_EQ(m.text(bulk->opcodeText), "cp.async.bulk.tensor");
    std::vector<std::string> mods;
    for (const Modifier& mod : m.modifiersOf(*bulk))
        mods.emplace_back(m.text(mod.text));
    EXPECT_THAT(mods,
                ElementsAre("2d", "shared::cluster", "global", "mbarrier::complete_tx::bytes"));
    ASSERT_EQ(bulk->operandCount, 3u);
    const Operand& addr = m.operands[bulk->firstOperand + 1];
    EXPECT_EQ(addr.kind, OperandKind::Address);
    ASSERT_EQ(addr.children.count, 2u);
    EXPECT_EQ(m.operands[addr.children.first + 1].kind, OperandKind::Vector);
}

TEST(PtxParser, OperandsKeepValuesAndRanges) {
    auto p = test::parse(
        test::kernel("\t.reg .b64 %rd<3>;\n\tld.global.u32 %rd1, [%rd2+-16];\n"
                     "\tadd.s32 %rd1, %rd1, (4 * 8 + 1);\n\tmov.u64 %rd1, 0xFFFFFFFFFFFFFFFF;\n"));
    ASSERT_THAT(p->messages(), ElementsAre());
    const Module& m = p->module;
    ASSERT_EQ(m.instructions.size(), 3u);
    const Operand& addr = m.operands[m.instructions[0].firstOperand + 1];
    EXPECT_EQ(addr.value, -16);
    EXPECT_EQ(m.text(addr.range), "[%rd2+-16]");
    const Operand& expr = m.operands[m.instructions[1].firstOperand + 2];
    EXPECT_EQ(expr.value, 33);
    EXPECT_EQ(m.text(expr.range), "(4 * 8 + 1)");
    EXPECT_EQ(m.operands[m.instructions[2].firstOperand + 1].value, -1);
    EXPECT_EQ(m.text(m.instructions[0].range), "ld.global.u32 %rd1, [%rd2+-16]");
}

TEST(PtxParser, PrintingIsAFixedPoint) {
    auto first = test::parse(readTour());
    std::string once = printModule(first->module);
    auto second = test::parse(once);
    EXPECT_THAT(second->messages(), ElementsAre());
    EXPECT_EQ(printModule(second->module), once);
    EXPECT_NE(once.find("$L_table: .branchtargets $L_a, $L_b, $L_c, $L_done;"), std::string::npos);
    EXPECT_NE(once.find(".global .align 4 .u32 table[2][3] = {{1, 2, 3}, {0x10, 0b11, 017}};"),
              std::string::npos);
    EXPECT_NE(once.find("\tld.global.nc.L1::no_allocate.v4.u32\t{%r5, %r6, %r7, %r8}, [%rd1+-16];"),
              std::string::npos);
    EXPECT_NE(once.find(".b32 $L__end-$L__start"), std::string::npos);
}

TEST(PtxParser, MissingSemicolonIsOneDiagnosticAfterThePreviousToken) {
    auto p = test::parse(test::kernel("\t.reg .b32 %r<3>;\n\tmov.u32 %r1, 1\n\tmov.u32 %r2, 2;\n"));
    EXPECT_THAT(p->messages(), ElementsAre("9:16: error: expected ';' after instruction"));
    // The next line is still parsed.
    EXPECT_EQ(p->module.instructions.size(), 2u);
    std::string shown = formatDiagnostic(*p->sources, p->buffer, p->diagnostics.all()[0]);
    EXPECT_EQ(shown, "test.ptx:9:16: error: expected ';' after instruction\n\tmov.u32 %r1, 1\n\t   "
                     "           ^\n");
}

TEST(PtxParser, GarbageInAStatementRecoversAtTheSemicolon) {
    auto p = test::parse(
        test::kernel("\t.reg .b32 %r<3>;\n\tadd.s32 %r1, %r2 %r2;\n\tmov.u32 %r2, 2;\n"));
    EXPECT_THAT(p->messages(), ElementsAre("9:18: error: expected ';' after instruction"));
    EXPECT_EQ(p->module.instructions.size(), 1u);
}

TEST(PtxParser, UnknownDirectiveAndMissingBraceAreLocated) {
    auto p = test::parse(".version 9.0\n.target sm_80\n.bogus 1;\n.entry k()\n{\n\tret;\n");
    EXPECT_THAT(p->messages(), ElementsAre("3:1: error: unknown directive '.bogus'",
                                           "6:6: error: expected '}' at end of function body"));
    ASSERT_EQ(p->diagnostics.all()[1].notes.size(), 1u);
    EXPECT_EQ(p->diagnostics.all()[1].notes[0].message, "to match this '{'");
}

TEST(PtxParser, MissingVersionIsReportedOnce) {
    auto p = test::parse(".target sm_80\n.entry k() { ret; }\n");
    EXPECT_THAT(p->messages(),
                ElementsAre("1:1: error: expected '.version' directive, found '.target'"));
}

} // namespace
} // namespace ptxwb::ptx
