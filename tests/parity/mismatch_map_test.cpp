#include "parity/check_result.h"

#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

TEST(MismatchMap, KeepsCategoryAndUlpPerElement) {
    MismatchMap map(2, 5);
    map.set(3, Category::Mismatch, 7);
    map.set(9, Category::Unwritten, 0xFFFFFFFFu);
    EXPECT_EQ(map.category(0, 3), Category::Mismatch);
    EXPECT_EQ(map.ulps(0, 3), 7u);
    EXPECT_EQ(map.category(1, 4), Category::Unwritten);
    EXPECT_EQ(map.category(1, 0), Category::Identical);
    EXPECT_EQ(map.render(), (std::vector<std::string>{"...X.", "....U"}));
}

TEST(MismatchMap, DownsampleKeepsTheWorstCell) {
    MismatchMap map(1, 10);
    map.set(1, Category::WithinContract, 1);
    map.set(7, Category::Overrun, 0);
    map.set(9, Category::Mismatch, 40);
    MismatchMap small = map.downsample(4); // groups of 3 columns
    EXPECT_EQ(small.cols(), 4u);
    EXPECT_EQ(small.render(), (std::vector<std::string>{"~.OX"}));
    EXPECT_EQ(small.ulps(0, 3), 40u);
    EXPECT_EQ(map.downsample(20).cols(), 10u);
}

TEST(MismatchMap, PyramidHalvesDownTo64Columns) {
    MismatchMap map(3, 1000);
    map.set(999, Category::Mismatch, 2);
    auto levels = map.pyramid();
    ASSERT_GE(levels.size(), 4u);
    EXPECT_EQ(levels[0].cols(), 1000u);
    EXPECT_EQ(levels[1].cols(), 500u);
    EXPECT_LE(levels.back().cols(), 64u);
    EXPECT_EQ(levels.back().category(0, levels.back().cols() - 1), Category::Mismatch);
}

TEST(CheckResult, JsonCarriesCountsSamplesAndPreview) {
    CheckResult r;
    r.candidate = "BatchedX";
    r.reference = "X";
    r.status = CheckStatus::Fail;
    r.counts[static_cast<int>(Category::Identical)] = 9;
    r.counts[static_cast<int>(Category::Mismatch)] = 1;
    r.firstMismatches.push_back(
        {0, 3, 1.5f, 1.25f, 0x3FC00000u, 0x3FA00000u, 2097152, Category::Mismatch});
    r.map = MismatchMap(1, 10);
    r.map.set(3, Category::Mismatch, 2097152);
    auto j = toJson(r);
    EXPECT_EQ(j["status"], "FAIL");
    EXPECT_EQ(j["counts"]["mismatch"], 1);
    EXPECT_EQ(j["first_mismatches"][0]["candidate_bits"], "0x3fc00000");
    EXPECT_EQ(j["map"]["preview"][0], "...X......");
    EXPECT_EQ(r.violations(), 1u);
}

} // namespace
} // namespace ptxwb::parity
