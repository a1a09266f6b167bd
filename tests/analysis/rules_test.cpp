// Each kernel rule on hand-written PTX: it fires on the bug it is meant for, with the exact
// position, message and related notes, and stays silent on the correct counterpart.
#include "analysis_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::analysis::test {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

std::vector<std::string> related(const Finding& f) {
    std::vector<std::string> out;
    for (const auto& r : f.related)
        out.push_back(std::to_string(r.location.line) + ": " + r.message);
    return out;
}

TEST(SharedAddress64, RmsNormBatchedAddressesSharedThroughRdFromZeroBase) {
    ParsedFiles files;
    files.addFile("analysis/rmsnorm_u64_shared/batched.ptx");
    const auto found = ofRule(files.run({"shared-address-64bit"}), "shared-address-64bit");
    ASSERT_THAT(lines(found),
                ElementsAre("80: st.shared addresses shared memory through the 64-bit register "
                            "%rd16; shared addresses are 32-bit offsets",
                            "87: ld.shared addresses shared memory through the 64-bit register "
                            "%rd13; shared addresses are 32-bit offsets",
                            "95: st.shared addresses shared memory through the 64-bit register "
                            "%rd13; shared addresses are 32-bit offsets",
                            "101: ld.shared addresses shared memory through the 64-bit register "
                            "%rd13; shared addresses are 32-bit offsets"));
    const Finding& first = found[0];
    EXPECT_EQ(first.severity, Severity::Error);
    EXPECT_EQ(first.kernel, "BatchedVectorizedRmsNormKernel");
    EXPECT_EQ(first.location.file, "analysis/rmsnorm_u64_shared/batched.ptx");
    EXPECT_EQ(first.location.column, 17u); // the [%rd16] operand, after a tab
    EXPECT_EQ(first.location.endColumn, 23u);
    // The def-use chain back to where the 64-bit value was formed.
    EXPECT_THAT(related(first), ElementsAre("79: 64-bit address %rd16 computed here (add)",
                                            "41: 64-bit base %rd13 formed here from the constant 0",
                                            "78: 64-bit address %rd15 computed here (shl)",
                                            "77: value widened to 64 bits in %rd14 here"));
    EXPECT_THAT(related(found[3]),
                ElementsAre("41: 64-bit base %rd13 formed here from the constant 0"));
}

TEST(SharedAddress64, SingleRmsNormUsing32BitAddressesIsClean) {
    ParsedFiles files;
    files.addFile("analysis/rmsnorm_u64_shared/single.ptx");
    EXPECT_THAT(files.run({"shared-address-64bit"}).findings, IsEmpty());
}

TEST(SharedAddress64, RelatesTheSharedSymbolWhenTheAddressWasTakenIn64Bits) {
    ParsedFiles files;
    files.addText("sym.ptx", R"(.version 8.0
.target sm_80
.address_size 64
.visible .entry k()
{
	.reg .f32 %f<2>;
	.reg .b64 %rd<4>;
	.shared .align 4 .b8 smem[64];
	mov.u64 %rd1, smem;
	add.s64 %rd2, %rd1, 8;
	ld.shared.f32 %f1, [%rd2];
	ret;
}
)");
    const auto found = ofRule(files.run({"shared-address-64bit"}), "shared-address-64bit");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].location.line, 11u);
    EXPECT_THAT(related(found[0]), ElementsAre("10: 64-bit address %rd2 computed here (add)",
                                               "9: 64-bit address %rd1 of 'smem' formed here",
                                               "8: shared variable 'smem' declared here"));
}

TEST(BatchedRowSelection, GemvWhoseRowReachesOnlyTheOutputIsCaught) {
    ParsedFiles files;
    files.addFile("analysis/batched_gemv.ptx");
    const auto found = ofRule(files.run({"batched-row-selection"}), "batched-row-selection",
                              "batched_gemv_output_only");
    ASSERT_THAT(lines(found),
                ElementsAre("55: batch row index %ctaid.y does not reach the address of input "
                            "'x (batched_gemv_output_only_x)': every batch row reads row 0"));
    EXPECT_EQ(found[0].severity, Severity::Error);
    EXPECT_THAT(related(found[0]),
                ElementsAre("32: batch row index read here",
                            "14: input parameter 'x (batched_gemv_output_only_x)' declared here"));
}

TEST(BatchedRowSelection, CorrectGemvIsClean) {
    ParsedFiles files;
    files.addFile("analysis/batched_gemv.ptx");
    EXPECT_THAT(
        ofRule(files.run({"batched-row-selection"}), "batched-row-selection", "batched_gemv"),
        IsEmpty());
}

TEST(BatchedRowSelection, AxisNeverReadAndMLoadedButUnused) {
    ParsedFiles files;
    files.addFile("analysis/batched_gemv.ptx");
    const auto found = ofRule(files.run({"batched-row-selection"}), "batched-row-selection",
                              "batched_gemv_no_row");
    EXPECT_THAT(lines(found),
                ElementsAre("137: batched kernel never reads %ctaid.y and has no loop bounded by "
                            "M: every batch row computes row 0",
                            "156: dimension parameter 'm (batched_gemv_no_row_m)' (dim:M) is "
                            "loaded but never used"));
    EXPECT_EQ(found[1].severity, Severity::Warning);
}

TEST(BatchedRowSelection, DeclaredAxisFromTheManifestIsFollowed) {
    // The same correct kernel, but the manifest says rows are walked along grid.z: %ctaid.z is
    // never read, so the kernel cannot be selecting its row that way.
    ParsedFiles files;
    files.addFile("analysis/batched_gemv.ptx");
    KernelContract c;
    c.kernel = "batched_gemv";
    c.variant = KernelVariant::Batched;
    c.batchAxis = BatchAxis::GridZ;
    c.batchAxisDeclared = true;
    c.params = {{"batched_gemv_w", "weights", ""}, {"batched_gemv_x", "input", ""},
                {"batched_gemv_y", "output", ""},  {"batched_gemv_k", "dim:K", ""},
                {"batched_gemv_n", "dim:N", ""},   {"batched_gemv_m", "dim:M", ""}};
    const auto found =
        ofRule(files.run({"batched-row-selection"}, {c}), "batched-row-selection", "batched_gemv");
    EXPECT_THAT(lines(found), ElementsAre("73: batched kernel never reads %ctaid.z: every batch "
                                          "row computes row 0"));
}

TEST(IndirectPosition, ReportsTheLoadThroughPositionBuf) {
    ParsedFiles files;
    files.addFile("analysis/positions.ptx");
    const auto report = files.run({"indirect-position"});
    const auto found = ofRule(report, "indirect-position");
    ASSERT_THAT(lines(found),
                ElementsAre("25: position is read through pointer 'position_buf "
                            "(kv_scatter_indirect_position_buf)' (position_buf): indirect mode, "
                            "the value comes from device memory at run time"));
    EXPECT_EQ(found[0].kernel, "kv_scatter_indirect");
    EXPECT_EQ(found[0].severity, Severity::Note);
    // The summary classifies every kernel.
    ASSERT_EQ(report.kernels.size(), 3u);
    EXPECT_EQ(report.kernels[0].positionMode, "indirect");
    EXPECT_EQ(report.kernels[1].positionMode, "direct");
    EXPECT_EQ(report.kernels[2].positionMode, "batched-positions");
}

TEST(UninitializedRegister, ReadOnAPathWithoutWrite) {
    ParsedFiles files;
    files.addFile("analysis/hazards.ptx");
    const auto report = files.run({"uninitialized-register"});
    const auto found = ofRule(report, "uninitialized-register");
    ASSERT_THAT(lines(found), ElementsAre("30: register %f1 may be read before it is written: a "
                                          "path from the kernel entry reaches this read without "
                                          "a write"));
    EXPECT_EQ(found[0].kernel, "uninit_on_path");
    EXPECT_THAT(related(found[0]),
                ElementsAre("17: %f1 declared here", "27: %f1 written here, on another path"));
}

TEST(UninitializedRegister, RegisterReadBeforeItsOnlyWriteInTheSameInstruction) {
    ParsedFiles files;
    files.addText("self.ptx", R"(.version 8.0
.target sm_80
.address_size 64
.visible .entry k(.param .u64 k_y)
{
	.reg .f32 %f<3>;
	.reg .b64 %rd<2>;
	ld.param.u64 %rd1, [k_y];
	add.f32 %f1, %f1, 0f3F800000;
	st.global.f32 [%rd1], %f1;
	ret;
}
)");
    EXPECT_THAT(lines(ofRule(files.run({"uninitialized-register"}), "uninitialized-register")),
                ElementsAre("9: register %f1 may be read before it is written: a path from the "
                            "kernel entry reaches this read without a write"));
}

TEST(BarrierDivergence, BarrierUnderThreadDependentBranch) {
    ParsedFiles files;
    files.addFile("analysis/hazards.ptx");
    const auto found = ofRule(files.run({"barrier-divergence"}), "barrier-divergence");
    ASSERT_THAT(lines(found), ElementsAre("89: bar.sync is under a branch on %p1, which depends "
                                          "on the thread index: threads that take the other way "
                                          "never reach the barrier"));
    EXPECT_EQ(found[0].kernel, "barrier_in_branch");
    EXPECT_THAT(related(found[0]), ElementsAre("82: thread-dependent branch here",
                                               "81: %p1 computed from the thread index here",
                                               "78: thread index read here"));
}

TEST(BarrierDivergence, GuardedBarrierAndEarlyExit) {
    ParsedFiles files;
    files.addText("guard.ptx", R"(.version 8.0
.target sm_80
.address_size 64
.visible .entry guarded()
{
	.reg .pred %p<2>;
	.reg .b32 %r<3>;
	mov.u32 %r1, %laneid;
	setp.eq.u32 %p1, %r1, 0;
	@%p1 bar.sync 0;
	ret;
}
.visible .entry early_exit(.param .u32 early_exit_n)
{
	.reg .pred %p<2>;
	.reg .b32 %r<3>;
	ld.param.u32 %r2, [early_exit_n];
	mov.u32 %r1, %tid.x;
	setp.ge.u32 %p1, %r1, %r2;
	@%p1 bra $L__done;
	bar.sync 0;
$L__done:
	ret;
}
)");
    const auto found = ofRule(files.run({"barrier-divergence"}), "barrier-divergence");
    // Exited threads release a CTA barrier (PTX ISA, exit), so only the guarded one is reported.
    ASSERT_THAT(lines(found), ElementsAre("10: bar.sync is guarded by %p1, which depends on the "
                                          "thread index: only some threads of the CTA reach the "
                                          "barrier"));
}

TEST(SharedRace, NeighbourReadWithoutBarrier) {
    ParsedFiles files;
    files.addFile("analysis/hazards.ptx");
    const auto found = ofRule(files.run({"shared-race"}), "shared-race");
    ASSERT_THAT(lines(found),
                ElementsAre("156: shared load may read a location another thread stored without "
                            "a barrier in between: both addresses depend on the thread index but "
                            "differ, so a thread may load another thread's element"));
    EXPECT_EQ(found[0].kernel, "neighbour_race");
    EXPECT_THAT(related(found[0]), ElementsAre("155: shared store here"));
}

TEST(SharedRace, OneThreadWritesEveryThreadReads) {
    ParsedFiles files;
    files.addText("bcast.ptx", R"(.version 8.0
.target sm_80
.address_size 64
.visible .entry broadcast(.param .u64 broadcast_y)
{
	.reg .pred %p<2>;
	.reg .f32 %f<3>;
	.reg .b32 %r<3>;
	.reg .b64 %rd<3>;
	.shared .align 4 .f32 value;
	ld.param.u64 %rd1, [broadcast_y];
	mov.u32 %r1, %tid.x;
	setp.ne.u32 %p1, %r1, 0;
	@%p1 bra $L__skip;
	st.shared.f32 [value], 0f3F800000;
$L__skip:
	ld.shared.f32 %f1, [value];
	st.global.f32 [%rd1], %f1;
	ret;
}
)");
    const auto found = ofRule(files.run({"shared-race"}), "shared-race");
    ASSERT_THAT(lines(found),
                ElementsAre("17: shared load may read a location another thread stored without a "
                            "barrier in between: the store runs only for some threads "
                            "(thread-dependent branch) and every thread loads the same location"));
}

TEST(SharedOutOfBounds, ConstantOffsetsPastTheEnd) {
    ParsedFiles files;
    files.addFile("analysis/hazards.ptx");
    const auto found = ofRule(files.run({"shared-out-of-bounds"}), "shared-out-of-bounds");
    ASSERT_THAT(lines(found),
                ElementsAre("204: shared access of 4 bytes at offset 64 is past the end of "
                            "'tile16' (64 bytes)",
                            "208: shared access of 8 bytes at offset 60 is past the end of "
                            "'tile16' (64 bytes)"));
    EXPECT_THAT(related(found[1]), ElementsAre("199: 'tile16' declared here with 64 bytes",
                                               "205: address taken here"));
    // In-bounds neighbours in the same kernel (line 209: +60, 4 bytes; line 210: v4 at +48) and
    // the arrays of the other kernels are not reported.
}

TEST(UnusedParameter, NeverReadParameter) {
    ParsedFiles files;
    files.addFile("analysis/hazards.ptx");
    const auto found = ofRule(files.run({"unused-parameter"}), "unused-parameter");
    ASSERT_THAT(lines(found),
                ElementsAre("219: parameter 'scale (scale_ignored_scale)' is never read"));
    EXPECT_EQ(found[0].severity, Severity::Note);
}

TEST(CleanKernels, CorrectCounterpartsHaveNoFindingAtWarningOrAbove) {
    ParsedFiles files;
    files.addFile("analysis/hazards.ptx");
    files.addFile("analysis/positions.ptx");
    for (const auto& f : files.run().findings) {
        if (f.severity < Severity::Warning) continue;
        EXPECT_TRUE(f.kernel == "uninit_on_path" || f.kernel == "barrier_in_branch" ||
                    f.kernel == "neighbour_race" || f.kernel == "tile_overrun")
            << f.kernel << ": " << f.message;
    }
}

} // namespace
} // namespace ptxwb::analysis::test
