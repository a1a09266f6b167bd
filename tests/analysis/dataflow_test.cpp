// The CFG and dataflow the rules stand on: blocks, dominators, post-dominators, loops,
// reaching definitions (including loop-carried registers) and taint.
#include "analysis/dataflow.h"
#include "analysis/kernel_ir.h"
#include "ptx/diagnostics.h"
#include "ptx/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::analysis {
namespace {

using testing::ElementsAre;
using testing::UnorderedElementsAre;

// Instructions: 0 mov r1 / 1 mov r2 / 2 setp / 3 @p bra SKIP / 4 add r2 / SKIP: 5 add r3 /
// LOOP: 6 add r1 / 7 setp / 8 @p bra LOOP / 9 bar.sync / 10 ret
constexpr const char* kLoopKernel = R"(.version 8.0
.target sm_80
.address_size 64
.visible .entry k(.param .u32 k_n)
{
	.reg .pred %p<3>;
	.reg .b32 %r<6>;
	mov.u32 %r1, %tid.x;
	ld.param.u32 %r2, [k_n];
	setp.lt.u32 %p1, %r1, 4;
	@%p1 bra $SKIP;
	add.s32 %r2, %r2, 1;
$SKIP:
	add.s32 %r3, %r2, 0;
$LOOP:
	add.s32 %r1, %r1, 32;
	setp.lt.u32 %p2, %r1, %r3;
	@%p2 bra $LOOP;
	bar.sync 0;
	ret;
}
)";

class DataflowTest : public testing::Test {
protected:
    void SetUp() override {
        ptx::DiagnosticList diags;
        module_ = ptx::parseText(kLoopKernel, diags);
        ASSERT_FALSE(diags.hasErrors());
        kernels_ = lowerModule(module_);
        ASSERT_EQ(kernels_.size(), 1u);
        flow_ = std::make_unique<KernelDataflow>(kernels_[0]);
    }
    std::uint32_t reg(std::string_view name) const {
        for (std::uint32_t i = 0; i < kernels_[0].registers.size(); ++i)
            if (kernels_[0].registers[i].name == name) return i;
        return kNoId;
    }
    ptx::Module module_;
    std::vector<KernelIR> kernels_;
    std::unique_ptr<KernelDataflow> flow_;
};

TEST_F(DataflowTest, LowersOperandsToRegistersAndAddresses) {
    const KernelIR& k = kernels_[0];
    ASSERT_EQ(k.instructions.size(), 11u);
    EXPECT_EQ(k.instructions[1].space, MemorySpace::Param);
    ASSERT_EQ(k.instructions[1].addressCount, 1u);
    EXPECT_EQ(k.symbols[k.addressesOf(k.instructions[1])[0].baseSymbol].name, "k_n");
    EXPECT_EQ(k.registers[reg("%r1")].bits, 32);
    EXPECT_TRUE(k.registers[reg("%p1")].isPredicate);
    EXPECT_NE(k.findSpecial(SpecialKind::Tid, 1), kNoId);
    EXPECT_EQ(k.instructions[3].branchTarget, 5u);
    EXPECT_EQ(k.instructions[8].branchTarget, 6u);
    EXPECT_TRUE(k.instructions[9].has(kInstBarrier));
    EXPECT_EQ(mnemonicOf(k, k.instructions[3]), "bra");
    EXPECT_EQ(mnemonicOf(k, k.instructions[9]), "bar.sync");
}

TEST_F(DataflowTest, BlocksDominatorsAndLoops) {
    const auto& blocks = flow_->blocks();
    // [0..3] [4] [5] [6..8] [9..10]
    ASSERT_EQ(blocks.size(), 5u);
    EXPECT_THAT(blocks[0].successors, UnorderedElementsAre(1u, 2u));
    EXPECT_THAT(blocks[3].successors, UnorderedElementsAre(3u, 4u));
    EXPECT_TRUE(flow_->dominates(0, 2));
    EXPECT_FALSE(flow_->dominates(1, 2));
    EXPECT_EQ(flow_->idom(2), 0u);
    EXPECT_TRUE(flow_->postDominates(2, 0)); // the join post-dominates the branch
    EXPECT_FALSE(flow_->postDominates(1, 0));
    ASSERT_EQ(flow_->loops().size(), 1u);
    EXPECT_EQ(flow_->loops()[0].header, 3u);
    EXPECT_THAT(flow_->loops()[0].blocks, ElementsAre(3u));
    // Block 1 runs only when the branch in block 0 falls through; the barrier block runs always.
    EXPECT_THAT(flow_->controllingBranches(1), ElementsAre(0u));
    EXPECT_THAT(flow_->controllingBranches(4), testing::IsEmpty());
}

TEST_F(DataflowTest, ReachingDefinitionsFollowPaths) {
    // %r2 at the join: the ld.param (via the branch) or the add.
    EXPECT_THAT(flow_->reachingDefinitions(5, reg("%r2")), UnorderedElementsAre(1u, 4u));
    // %r1 in the loop: the entry mov or the loop's own add (back edge).
    EXPECT_THAT(flow_->reachingDefinitions(6, reg("%r1")), UnorderedElementsAre(0u, 6u));
    // After the add in the same block, only the add.
    EXPECT_THAT(flow_->reachingDefinitions(7, reg("%r1")), ElementsAre(6u));
    EXPECT_THAT(flow_->definitionsOf(reg("%r1")), ElementsAre(0u, 6u));
    EXPECT_THAT(flow_->usesOf(reg("%r3")), ElementsAre(7u));
    int undefinedReads = 0;
    flow_->forEachMaybeUndefinedUse([&](std::uint32_t, std::uint32_t) { ++undefinedReads; });
    EXPECT_EQ(undefinedReads, 0);
}

TEST_F(DataflowTest, TaintFlowsThroughRegistersNotLoadsByDefault) {
    const auto tid = kernels_[0].findSpecial(SpecialKind::Tid, 1);
    const auto taint = flow_->propagate({{tid, 1}});
    EXPECT_EQ(taint[reg("%r1")], 1u);
    EXPECT_EQ(taint[reg("%p1")], 1u);
    EXPECT_EQ(taint[reg("%p2")], 1u);
    EXPECT_EQ(taint[reg("%r3")], 0u);
}

TEST(DataflowEdgeCases, EmptyBodyAndUnreachableCode) {
    ptx::DiagnosticList diags;
    auto module = ptx::parseText(R"(.version 8.0
.target sm_80
.address_size 64
.visible .entry empty()
{
}
.visible .entry dead(.param .u64 dead_y)
{
	.reg .f32 %f<2>;
	.reg .b64 %rd<2>;
	ret;
	ld.param.u64 %rd1, [dead_y];
	st.global.f32 [%rd1], %f1;
	ret;
}
)",
                                 diags);
    ASSERT_FALSE(diags.hasErrors());
    const auto kernels = lowerModule(module);
    ASSERT_EQ(kernels.size(), 2u);
    KernelDataflow empty(kernels[0]);
    EXPECT_EQ(empty.blocks().size(), 1u);
    KernelDataflow dead(kernels[1]);
    EXPECT_FALSE(dead.reachable(1));
    int undefinedReads = 0; // the read of %f1 is in unreachable code
    dead.forEachMaybeUndefinedUse([&](std::uint32_t, std::uint32_t) { ++undefinedReads; });
    EXPECT_EQ(undefinedReads, 0);
}

} // namespace
} // namespace ptxwb::analysis
