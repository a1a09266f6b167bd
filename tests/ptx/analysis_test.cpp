// Verifier, name resolution, CFG, def-use chains and statistics.
#include "ptx/def_use.h"
#include "ptx/module_stats.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::ptx {
namespace {

using testing::ElementsAre;

TEST(PtxVerifier, ReportsEachProblemOnceWithItsLocation) {
    auto p = test::parse(
        test::kernel("\t.reg .b32 %r<3>;\n\t.reg .b64 %rd<2>;\n\tadd.s32 %r1, %r2, %rd1;\n"
                     "\tadd.s32 %r2, %r9, 1;\n\tadd.s32 %r2, %r9, 2;\n\tbra LX;\n"
                     "\tfrobnicate %r1;\n\tadd.s32 %r1, %r2;\n\t@%r1 ret;\n"),
        true);
    EXPECT_THAT(
        p->messages(),
        ElementsAre("10:20: error: operand '%rd1' is a 64-bit register but 'add.s32' needs 32 bits",
                    "11:15: error: use of undeclared register '%r9'",
                    "13:6: error: use of undeclared identifier 'LX'",
                    "14:2: error: unknown instruction 'frobnicate'",
                    "15:2: error: 'add' takes 3 operands, found 2",
                    "16:3: error: guard '%r1' is not a predicate register (declared .b32)"));
}

TEST(PtxVerifier, RedefinitionHasANoteAndStateSpacesAreChecked) {
    auto p = test::parse(
        ".version 9.0\n.target sm_80\n.address_size 64\n.global .u32 g;\n.entry k()\n{\n"
        "\t.reg .b32 %r<2>;\n\t.reg .b32 %r<4>;\n\tld.shared.u32 %r1, [g];\n\tret;\n}\n",
        true);
    EXPECT_THAT(
        p->messages(),
        ElementsAre("8:2: error: redefinition of '%r'",
                    "9:22: error: 'ld.shared.u32' accesses 'g', which is declared in .global"));
    EXPECT_EQ(p->diagnostics.all()[0].notes[0].message, "previous definition is here");
    EXPECT_EQ(p->diagnostics.all()[1].notes[0].message, "declared here");
}

TEST(PtxVerifier, UnknownModifierIsAWarning) {
    auto p = test::parse(test::kernel("\t.reg .b32 %r<2>;\n\tmov.u32.sparkly %r1, 1;\n"), true);
    EXPECT_THAT(p->messages(), ElementsAre("9:9: warning: unknown modifier '.sparkly' on 'mov'"));
    EXPECT_FALSE(p->diagnostics.hasErrors());
}

TEST(PtxSymbols, ScopesRangesAndSpecialRegisters) {
    auto p = test::parse(
        test::kernel("\t.reg .b32 %r<3>;\n\tmov.u32 %r1, %tid.x;\n\t{\n\t.reg .b32 %r<2>;\n"
                     "\tmov.u32 %r1, 7;\n\t}\n\tmov.u32 %r2, %r1;\n\tret;\n"));
    ASSERT_THAT(p->messages(), ElementsAre());
    const Module& m = p->module;
    ModuleSymbols globals(m);
    FunctionSymbols sym(m, globals, 0);
    EXPECT_EQ(sym.registerCount(), 5u);
    RegisterId outer = sym.registerOf(m.instructions[0].firstOperand);
    RegisterId inner = sym.registerOf(m.instructions[1].firstOperand);
    EXPECT_NE(outer, inner);
    EXPECT_EQ(sym.registerOf(m.instructions[2].firstOperand + 1), outer);
    EXPECT_EQ(sym.registerName(outer), "%r1");
    EXPECT_EQ(sym.registerBits(outer), 32u);
    EXPECT_EQ(sym.binding(m.instructions[0].firstOperand + 1).kind, BindingKind::SpecialRegister);
}

const char* kLoop = "\t.reg .pred %p<2>;\n\t.reg .b32 %r<4>;\n"
                    "\tmov.u32 %r1, 0;\n" // 0
                    "$L_loop:\n"
                    "\tadd.s32 %r1, %r1, 1;\n"      // 1
                    "\tsetp.lt.s32 %p1, %r1, 10;\n" // 2
                    "\t@%p1 bra $L_loop;\n"         // 3
                    "\t@%p1 mov.u32 %r2, 5;\n"      // 4
                    "\tadd.s32 %r3, %r2, %r1;\n"    // 5
                    "\tret;\n";                     // 6

TEST(PtxControlFlow, BlocksAndEdgesOfALoop) {
    auto p = test::parse(test::kernel(kLoop));
    ASSERT_THAT(p->messages(), ElementsAre());
    ModuleSymbols globals(p->module);
    FunctionSymbols sym(p->module, globals, 0);
    ControlFlowGraph cfg(p->module, sym);
    ASSERT_EQ(cfg.blocks().size(), 3u);
    EXPECT_THAT(cfg.successors(0), ElementsAre(1u));
    EXPECT_THAT(cfg.successors(1), ElementsAre(1u, 2u));
    EXPECT_THAT(cfg.predecessors(1), ElementsAre(0u, 1u));
    EXPECT_TRUE(cfg.blocks()[2].exits);
    EXPECT_EQ(cfg.instructionsOf(1).size(), 3u);
    EXPECT_EQ(cfg.blockOf(5), 2u);
}

TEST(PtxDefUse, ReachingDefinitionsThroughLoopsAndGuards) {
    auto p = test::parse(test::kernel(kLoop));
    const Module& m = p->module;
    ModuleSymbols globals(m);
    FunctionSymbols sym(m, globals, 0);
    ControlFlowGraph cfg(m, sym);
    DefUse du(m, sym, cfg);
    // add.s32 %r1, %r1, 1 reads %r1 defined before the loop or by itself on the back edge.
    auto r1 = du.reachingDefinitionsOfOperand(1, m.instructions[1].firstOperand + 1);
    EXPECT_THAT(r1.definitions, ElementsAre(0u, 1u));
    EXPECT_FALSE(r1.mayBeUndefined);
    // %r2 is only set under a guard: it may be undefined on the path where %p1 is false.
    auto r2 = du.reachingDefinitionsOfOperand(5, m.instructions[5].firstOperand + 1);
    EXPECT_THAT(r2.definitions, ElementsAre(4u));
    EXPECT_TRUE(r2.mayBeUndefined);
    RegisterId r1id = sym.registerOf(m.instructions[0].firstOperand);
    EXPECT_EQ(du.definitionsOf(r1id).size(), 2u);
    EXPECT_EQ(du.usesOf(r1id).size(), 3u);
    ASSERT_EQ(du.usesBy(3).size(), 1u); // the guard %p1
    EXPECT_EQ(sym.registerName(du.usesBy(3)[0].reg), "%p1");
    EXPECT_EQ(operandRole(m, m.instructions[3], 0), OperandRole::Use);
}

TEST(PtxStats, CountsPerFunction) {
    auto p =
        test::parse(".version 9.0\n.target sm_80\n.address_size 64\n.shared .align 4 .b8 s[128];\n"
                    ".extern .shared .align 16 .b8 dyn[];\n.func f() { ret; }\n.entry k()\n{\n"
                    "\t.reg .b32 %r<5>;\n\t.reg .pred %p<2>;\n\t.local .align 4 .b8 depot[40];\n"
                    "\t.shared .align 4 .f32 t[8];\n\tmov.u32 %r1, %tid.x;\n\tcall.uni f, ();\n"
                    "\tadd.s32 %r1, %r1, 1;\n\tret;\n}\n");
    ASSERT_THAT(p->messages(), ElementsAre());
    ModuleStats s = computeStats(p->module);
    EXPECT_EQ(s.sharedBytes, 128u);
    EXPECT_TRUE(s.hasDynamicShared);
    ASSERT_EQ(s.functions.size(), 2u);
    const FunctionStats& k = s.functions[1];
    EXPECT_EQ(k.instructions, 4u);
    EXPECT_EQ(k.byClass[static_cast<std::size_t>(OpcodeClass::Control)], 2u);
    EXPECT_EQ(k.registersByType.at(".b32"), 5u);
    EXPECT_EQ(k.registersByType.at(".pred"), 2u);
    EXPECT_EQ(k.localBytes, 40u);
    EXPECT_EQ(k.sharedBytes, 32u);
    EXPECT_EQ(k.calls, 1u);
    EXPECT_THAT(k.callees, ElementsAre("f"));
    EXPECT_EQ(k.basicBlocks, 1u);
}

} // namespace
} // namespace ptxwb::ptx
