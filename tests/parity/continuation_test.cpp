// A parity run that a sticky CUDA error cut short goes on in a fresh worker: which runs count as
// cut short, and how the continuation's checks and totals join the first part's.
#include "parity/parity_job.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ptxwb::parity {
namespace {

using nlohmann::json;

json part(int first, int count, int passed, int errors, const char* aborted, int next) {
    json r{{"first_check", first},
           {"checks", json::array()},
           {"totals", {{"planned", 8}, {"passed", passed}, {"failed", 0}, {"errors", errors}}}};
    for (int i = 0; i < count; ++i)
        r["checks"].push_back({{"index", first + i}});
    if (aborted != nullptr) {
        r["aborted"] = aborted;
        r["next_check"] = next;
    }
    return r;
}

TEST(ParityContinuation, OnlyAStickyErrorBeforeTheLastCheckIsCutShort) {
    EXPECT_TRUE(parityRunCutShort(part(0, 2, 1, 1, "sticky CUDA error in A: fault", 2)));
    EXPECT_FALSE(parityRunCutShort(part(0, 8, 7, 1, "sticky CUDA error in A: fault", 8)))
        << "the fault was in the last check: nothing is left to run";
    EXPECT_FALSE(parityRunCutShort(part(0, 8, 8, 0, nullptr, 0)));
}

TEST(ParityContinuation, ChecksAndTotalsJoinAndEveryFaultIsKept) {
    json merged = part(0, 2, 1, 1, "sticky CUDA error in A: fault", 2);
    appendParityContinuation(merged, part(2, 3, 2, 1, "sticky CUDA error in B: fault", 5));
    EXPECT_TRUE(parityRunCutShort(merged));
    EXPECT_EQ(merged["next_check"], 5);
    appendParityContinuation(merged, part(5, 3, 3, 0, nullptr, 0));
    EXPECT_FALSE(parityRunCutShort(merged));
    ASSERT_EQ(merged["checks"].size(), 8u);
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(merged["checks"][std::size_t(i)]["index"], i);
    EXPECT_EQ(merged["totals"]["passed"], 6);
    EXPECT_EQ(merged["totals"]["errors"], 2);
    EXPECT_EQ(merged["totals"]["planned"], 8);
    EXPECT_EQ(merged["aborted"], "sticky CUDA error in A: fault; sticky CUDA error in B: fault");
    EXPECT_FALSE(merged.contains("next_check"));
    EXPECT_EQ(merged["restarts"], 2);
}

TEST(HungChecks, AreMarkedOnceEachWithTheirOwnReason) {
    json params{{"first_check", 0}};
    EXPECT_TRUE(markParityCheckHung(params, 3, "A M=1 D=4096 did not finish"));
    EXPECT_TRUE(markParityCheckHung(params, 7, "B M=8 D=4096 did not finish"));
    // The same check hanging again means marking it changed nothing: the caller gives up.
    EXPECT_FALSE(markParityCheckHung(params, 3, "A again"));
    ASSERT_EQ(params["hung_checks"].size(), 2u);
    EXPECT_EQ(params["hung_checks"][0]["check"], 3);
    EXPECT_EQ(params["hung_checks"][0]["reason"], "A M=1 D=4096 did not finish");
    EXPECT_EQ(params["hung_checks"][1]["check"], 7);
    EXPECT_EQ(params["first_check"], 0);
}

TEST(SelftestSettling, EachKernelIsSettledOnceWithItsReason) {
    json params{{"kernel_set", ""}};
    EXPECT_TRUE(settleSelftestKernel(params, "ZooA", "did not finish within 60 s"));
    EXPECT_TRUE(settleSelftestKernel(params, "GoodB", "CUDA_ERROR_ILLEGAL_ADDRESS"));
    EXPECT_FALSE(settleSelftestKernel(params, "ZooA", "again"));
    ASSERT_EQ(params["settled"].size(), 2u);
    EXPECT_EQ(params["settled"][1]["name"], "GoodB");
    EXPECT_EQ(params["settled"][1]["reason"], "CUDA_ERROR_ILLEGAL_ADDRESS");
}

} // namespace
} // namespace ptxwb::parity
