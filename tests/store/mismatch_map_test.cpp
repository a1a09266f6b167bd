#include "store/mismatch_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::store;

TEST(MismatchMap, NewMapIsAllIdentical) {
    MismatchMap map(3, 5);
    EXPECT_EQ(map.size(), 15u);
    EXPECT_EQ(map.counts()[ElementCategory::Identical], 15u);
    EXPECT_EQ(map.worst(), ElementCategory::Identical);
    EXPECT_EQ(map.maxUlp(), 0u);
}

TEST(MismatchMap, UlpDistanceSaturatesAtUint32Max) {
    MismatchMap map(1, 2);
    map.set(0, 1, ElementCategory::Mismatch, std::uint64_t{1} << 40);
    EXPECT_EQ(map.ulp(0, 1), 0xffffffffu);
    EXPECT_EQ(map.category(0, 1), ElementCategory::Mismatch);
    EXPECT_EQ(map.counts().failing(), 1u);
}

TEST(MismatchMap, CategoryNamesRoundTrip) {
    for (std::size_t i = 0; i < kElementCategoryCount; ++i) {
        auto c = static_cast<ElementCategory>(i);
        EXPECT_EQ(parseCategory(categoryName(c)), c);
    }
    EXPECT_STREQ(categoryName(ElementCategory::WithinContract), "within_contract");
    EXPECT_STREQ(categoryLabel(ElementCategory::NanInf), "NaN/Inf");
    EXPECT_EQ(parseCategory("bogus"), std::nullopt);
}

TEST(MismatchMap, PoolMaxKeepsWorstCategoryAndLargestUlpOfEachBlock) {
    MismatchMap map(4, 4);
    map.set(0, 0, ElementCategory::WithinContract, 2);
    map.set(1, 1, ElementCategory::Mismatch, 7);
    map.set(3, 2, ElementCategory::WithinContract, 100);
    auto pooled = poolMax(map, 2, 2);
    ASSERT_EQ(pooled.rows(), 2u);
    ASSERT_EQ(pooled.cols(), 2u);
    EXPECT_EQ(pooled.category(0, 0), ElementCategory::Mismatch);
    EXPECT_EQ(pooled.ulp(0, 0), 7u);
    EXPECT_EQ(pooled.category(0, 1), ElementCategory::Identical);
    EXPECT_EQ(pooled.category(1, 1), ElementCategory::WithinContract);
    EXPECT_EQ(pooled.ulp(1, 1), 100u);
}

TEST(MismatchMap, PoolMaxHandlesPartialEdgeBlocks) {
    MismatchMap map(3, 5);
    map.set(2, 4, ElementCategory::Unwritten);
    auto pooled = poolMax(map, 2, 2);
    ASSERT_EQ(pooled.rows(), 2u);
    ASSERT_EQ(pooled.cols(), 3u);
    EXPECT_EQ(pooled.category(1, 2), ElementCategory::Unwritten);
    EXPECT_EQ(pooled.counts()[ElementCategory::Unwritten], 1u);
}

TEST(MismatchMap, PyramidHalvesEachAxisDownToOneElement) {
    MismatchMap map(5, 12);
    auto levels = buildPyramid(map);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> shapes;
    for (const auto& l : levels)
        shapes.emplace_back(l.rows(), l.cols());
    EXPECT_THAT(shapes,
                testing::ElementsAre(std::pair{5u, 12u}, std::pair{3u, 6u}, std::pair{2u, 3u},
                                     std::pair{1u, 2u}, std::pair{1u, 1u}));
}

TEST(MismatchMap, OneBadElementInFiftyMillionSurvivesEveryPyramidLevel) {
    MismatchMap map(5000, 10000);
    map.set(4321, 8765, ElementCategory::Overrun, 0);
    map.set(17, 3, ElementCategory::WithinContract, 1);
    auto levels = buildPyramid(map);
    EXPECT_EQ(levels.size(), 15u); // 10000 -> 1 takes 14 halvings
    for (const auto& level : levels) {
        auto counts = level.counts();
        ASSERT_EQ(counts[ElementCategory::Overrun], 1u)
            << "level " << level.rows() << "x" << level.cols();
    }
    EXPECT_EQ(levels.back().category(0, 0), ElementCategory::Overrun);
}

TEST(MismatchMap, ProbeLayoutLocatesQuantPosition) {
    ProbeLayout q6k{"Q6_K", 256, 16};
    auto p = q6k.locate(3 * 256 + 5 * 16 + 9);
    EXPECT_EQ(p.superBlock, 3u);
    EXPECT_EQ(p.subBlock, 5u);
    EXPECT_EQ(p.quant, 9u);
}

TEST(MismatchMapCodec, RoundTripsPlanesAndProbeLayout) {
    MismatchMap map(7, 300);
    map.probeLayout = ProbeLayout{"Q6_K", 256, 16};
    for (std::uint32_t c = 0; c < 300; c += 7)
        map.set(c % 7, c, ElementCategory::Mismatch, c * 1000);
    map.set(6, 299, ElementCategory::NanInf, 0xffffffffu);
    auto bytes = encodeMismatchMap(map);
    auto decoded = decodeMismatchMap(bytes, "map.bin");
    ASSERT_TRUE(decoded) << decoded.error().format();
    EXPECT_EQ(*decoded, map);
}

TEST(MismatchMapCodec, MostlyIdenticalMapCompressesSmall) {
    MismatchMap map(4096, 4096);
    map.set(100, 200, ElementCategory::Mismatch, 5);
    auto bytes = encodeMismatchMap(map);
    EXPECT_LT(bytes.size(), 8192u) << "16M elements, one mismatch";
}

TEST(MismatchMapCodec, RejectsForeignBytesAtOffsetZero) {
    std::string junk = "definitely not a map";
    auto r = decodeMismatchMap(std::as_bytes(std::span(junk)), "evidence.bin");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(r.error().format(),
              "evidence.bin: byte 0: mismatch map: not a mismatch map (bad magic, expected "
              "\"PXWBMMAP\")");
}

TEST(MismatchMapCodec, ReportsTruncationWithOffset) {
    auto bytes = encodeMismatchMap(MismatchMap(2, 2));
    bytes.resize(14); // inside the row count
    auto r = decodeMismatchMap(bytes, "m");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().format(),
              "m: byte 12: mismatch map: truncated: expected row count (4 bytes)");
}

TEST(MismatchMapCodec, RejectsSizeMismatchAndDamagedFrame) {
    auto bytes = encodeMismatchMap(MismatchMap(2, 2));
    auto extra = bytes;
    extra.push_back(std::byte{0});
    auto r1 = decodeMismatchMap(extra, "m");
    ASSERT_FALSE(r1);
    EXPECT_THAT(r1.error().message, testing::HasSubstr("bytes follow"));
    auto damaged = bytes;
    damaged.back() = static_cast<std::byte>(~static_cast<unsigned>(damaged.back()));
    auto r2 = decodeMismatchMap(damaged, "m");
    ASSERT_FALSE(r2);
    EXPECT_THAT(r2.error().message, testing::HasSubstr("corrupt zstd frame"));
}

TEST(MismatchMapCodec, RejectsUnknownCategoryValues) {
    MismatchMap map(1, 3);
    map.categoryPlane()[1] = 9;
    auto r = decodeMismatchMap(encodeMismatchMap(map), "m");
    ASSERT_FALSE(r);
    EXPECT_THAT(r.error().message, testing::HasSubstr("element 1 has unknown category 9"));
}

TEST(MismatchMapCodec, RejectsElementCountsAboveTheLimit) {
    auto bytes = encodeMismatchMap(MismatchMap(1, 1));
    // rows = cols = 0x10000 -> 2^32 elements
    for (int i = 12; i < 20; ++i)
        bytes[static_cast<std::size_t>(i)] = std::byte{0};
    bytes[14] = std::byte{1};
    bytes[18] = std::byte{1};
    auto r = decodeMismatchMap(bytes, "m");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().format(),
              "m: byte 12: mismatch map: 65536x65536 elements exceed the limit of 2147483648");
}
