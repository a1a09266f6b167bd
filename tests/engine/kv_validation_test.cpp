#include "engine/kv_validation.h"
#include "kv_fixtures.h"

#include <bit>
#include <gtest/gtest.h>
#include <limits>

using namespace ptxwb::engine;
using namespace ptxwb::engine::test;

namespace {
constexpr KvGeometry kGeometry{4, 2, 16, 8};
constexpr int kTokens = 12;

KvCacheSnapshot serialPrefill() {
    auto cache = KvCacheSnapshot::poisoned(kGeometry);
    for (int l = 0; l < kGeometry.layers; ++l) {
        for (int t = 0; t < kTokens; ++t)
            scatter(cache, l, t, t);
    }
    return cache;
}
} // namespace

TEST(KvValidation, CleanBatchedPrefillPasses) {
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    KvValidationInput in{&serial, &batched, kTokens, std::vector<int>(4, kTokens)};
    std::vector<int> positions;
    for (int t = 0; t < kTokens; ++t)
        positions.push_back(t);
    for (int l = 0; l < 4; ++l) {
        in.launches.push_back(scatterLaunch(10 + std::uint64_t(l), l, positions,
                                            PositionPath::Batched, std::nullopt));
    }
    auto report = validateKvCaches(in);
    EXPECT_TRUE(report.passed);
    EXPECT_TRUE(report.problems.empty());
    ASSERT_EQ(report.passes.size(), 2u);
    EXPECT_EQ(report.passes[0],
              "every layer, every KV head: positions 0..11 written once, bit-identical to serial "
              "prefill");
    EXPECT_EQ(report.passes[1], "kv_cache_lengths = 12 in every layer (matches the 12 prefilled "
                                "tokens)");
    EXPECT_EQ(report.elementsCompared, 4u * 2 * 12 * 8 * 2);
}

TEST(KvValidation, StalePositionBufIsLocalisedToLayersPositionsAndLaunch) {
    // The seed's bug: batched prefill took the indirect path and read position_buf = 0 for
    // every row, so all 12 tokens were scattered to position 0 while kv_cache_lengths counted on.
    auto serial = serialPrefill();
    auto batched = KvCacheSnapshot::poisoned(kGeometry);
    KvValidationInput in{&serial, &batched, kTokens, std::vector<int>(4, kTokens)};
    for (int l = 0; l < 4; ++l) {
        for (int t = 0; t < kTokens; ++t)
            scatter(batched, l, t, 0);
        in.launches.push_back(scatterLaunch(57 + 24 * std::uint64_t(l), l,
                                            std::vector<int>(kTokens, 0), PositionPath::Indirect,
                                            0));
    }
    in.deviceValues.push_back({"position_buf", 0, std::nullopt,
                               "batched prefill takes positions from positions[]; a position_buf "
                               "left from graph capture must be cleared by the KV reset"});
    auto report = validateKvCaches(in);
    EXPECT_FALSE(report.passed);
    ASSERT_EQ(report.problems.size(), 2u);
    EXPECT_EQ(report.problems[0],
              "layer 0-3, all KV heads: positions 1..11 never written, K/V differ from serial "
              "prefill at position 0, position 0 written 12 times by kv_scatter_indirect "
              "(launches #57, #81, #105, #129, position_buf = 0)");
    EXPECT_EQ(report.problems[1],
              "position_buf = 0 on the device, expected none (batched prefill takes positions "
              "from positions[]; a position_buf left from graph capture must be cleared by the KV "
              "reset)");
    // The insidious part: the host-side lengths look right.
    EXPECT_EQ(report.passes.front(),
              "kv_cache_lengths = 12 in every layer (matches the 12 prefilled tokens)");
}

TEST(KvValidation, SingleLayerSingleHeadDifferenceNamesBoth) {
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    batched.k[batched.index(2, 1, 5, 3)] += 0.5f;
    KvValidationInput in{&serial, &batched, kTokens};
    auto report = validateKvCaches(in);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0],
              "layer 2, KV head 1: K/V differ from serial prefill at position 5");
    EXPECT_EQ(report.elementsMismatched, 1u);
    EXPECT_DOUBLE_EQ(report.maxAbsDifference, 0.5);
}

TEST(KvValidation, ToleranceAcceptsSmallDifferences) {
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    batched.v[batched.index(0, 0, 0, 0)] += 1e-4f;
    KvValidationInput in{&serial, &batched, kTokens};
    in.tolerance = 1e-3;
    EXPECT_TRUE(validateKvCaches(in).passed);
    in.tolerance = 0.0;
    EXPECT_FALSE(validateKvCaches(in).passed);
}

TEST(KvValidation, WrongLengthsAndWritesPastThePromptAreReported) {
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    for (int l = 0; l < 4; ++l)
        scatter(batched, l, 11, 12);
    KvValidationInput in{&serial, &batched, kTokens, {12, 12, 13, 13}};
    auto report = validateKvCaches(in);
    ASSERT_EQ(report.problems.size(), 2u);
    EXPECT_EQ(report.problems[0],
              "layer 0-3, all KV heads: position 12 written beyond the 12 prompt tokens");
    EXPECT_EQ(report.problems[1], "layer 2-3: kv_cache_lengths = 13 but 12 tokens were prefilled");
}

TEST(KvValidation, ShapeMismatchIsReportedNotCompared) {
    auto serial = serialPrefill();
    auto batched = KvCacheSnapshot::poisoned(KvGeometry{4, 2, 32, 8});
    KvValidationInput in{&serial, &batched, kTokens};
    auto report = validateKvCaches(in);
    EXPECT_FALSE(report.passed);
    EXPECT_EQ(report.problems.front(),
              "the caches have different shapes: serial 4 layers x [2, 16, 8], batched 4 layers x "
              "[2, 32, 8]");
}

TEST(KvValidation, RangeFormatting) {
    EXPECT_EQ(formatPositions({1, 2, 3, 4}), "1..4");
    EXPECT_EQ(formatPositions({0, 3, 4, 5, 9}), "0, 3..5, 9");
    EXPECT_EQ(formatIndexRanges({0, 1, 2, 3}), "0-3");
    EXPECT_EQ(formatIndexRanges({2}), "2");
}

TEST(KvValidation, KAndVScattersOfOneLayerAreCountedSeparately) {
    // A correct batched prefill scatters every position once into K and once into V.
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    KvValidationInput in{&serial, &batched, kTokens};
    std::vector<int> positions;
    for (int t = 0; t < kTokens; ++t)
        positions.push_back(t);
    for (int l = 0; l < 4; ++l) {
        for (const char* op : {"kv_scatter_k", "kv_scatter_v"}) {
            auto launch = scatterLaunch(1, l, positions, PositionPath::Batched, std::nullopt);
            launch.op = op;
            in.launches.push_back(launch);
        }
    }
    auto report = validateKvCaches(in);
    EXPECT_TRUE(report.passed) << (report.problems.empty() ? "" : report.problems.front());
}

TEST(KvValidation, ASlotWrittenWithNaNIsWrittenNotUnwritten) {
    // After a stale scatter, later layers compute NaN from the poisoned slots and write it: those
    // slots were written (with a wrong value), which must not read as "never written".
    auto serial = serialPrefill();
    auto batched = KvCacheSnapshot::poisoned(kGeometry);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (int h = 0; h < kGeometry.kvHeads; ++h) {
        for (int d = 0; d < kGeometry.headDim; ++d) {
            batched.k[batched.index(0, h, 0, d)] = nan;
            batched.v[batched.index(0, h, 0, d)] = nan;
        }
    }
    KvGeometry one{1, 2, 16, 8};
    serial.geometry = one;
    batched.geometry = one;
    serial.k.resize(one.elementsPerLayer());
    serial.v.resize(one.elementsPerLayer());
    batched.k.resize(one.elementsPerLayer());
    batched.v.resize(one.elementsPerLayer());
    KvValidationInput in{&serial, &batched, kTokens};
    auto report = validateKvCaches(in);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0], "layer 0, all KV heads: positions 1..11 never written, K/V "
                                  "differ from serial prefill at position 0");
}

TEST(KvValidation, ARowOfKWrittenAndOfVNotIsNeverWrittenNotADifference) {
    // The report and the KV-cache view judge every element alike: a V row batched prefill never
    // wrote is "never written" in both, not a difference in one of them.
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    for (int d = 0; d < kGeometry.headDim; ++d)
        batched.v[batched.index(1, 0, 3, d)] = std::bit_cast<float>(kKvPoisonBits);
    KvValidationInput in{&serial, &batched, kTokens};
    auto report = validateKvCaches(in);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0], "layer 1, KV head 0: position 3 never written");
    EXPECT_EQ(report.elementsMismatched, 0u);
    // Every element of the other slots, and K of this one, was compared.
    EXPECT_EQ(report.elementsCompared, 4u * 2 * 12 * 8 * 2 - 8);
}

TEST(KvValidation, ARowWithSomeElementsUnwrittenIsPartlyWritten) {
    auto serial = serialPrefill();
    auto batched = serialPrefill();
    for (int d = 0; d < kGeometry.headDim / 2; ++d)
        batched.k[batched.index(0, 1, 5, d)] = std::bit_cast<float>(kKvPoisonBits);
    KvValidationInput in{&serial, &batched, kTokens};
    auto report = validateKvCaches(in);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0], "layer 0, KV head 1: position 5 only partly written");
}
