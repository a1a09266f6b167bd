// Per-head KV maps from caches the CPU reference forward computed: the stale-position_buf
// case (all tokens at position 0), a clean batched prefill, tolerance, writes past the prompt,
// and the JSON form the worker sends.
#include "engine/kv_head_maps.h"
#include "kv_reference_caches.h"

#include <bit>
#include <gtest/gtest.h>

using namespace ptxwb::engine;
using namespace ptxwb::engine::test;

namespace {

constexpr int kTokens = 6;

const ReferenceKvCaches& caches() {
    static const ReferenceKvCaches c = referenceKvCaches(kTokens);
    return c;
}

std::vector<int> range(int first, int last) {
    std::vector<int> v;
    for (int i = first; i <= last; ++i)
        v.push_back(i);
    return v;
}

/// The seqs of the stale launches of (layer, op).
std::vector<std::uint64_t> staleSeqs(int layer, const std::string& op) {
    std::vector<std::uint64_t> seqs;
    for (const auto& l : caches().staleLaunches)
        if (l.layer == layer && l.op == op) seqs.push_back(l.seq);
    return seqs;
}

} // namespace

TEST(KvHeadMaps, StalePositionBufLeavesOneSlotWrittenNTimesAndTheRestNeverWritten) {
    const auto& c = caches();
    KvValidationInput in{&c.serial, &c.staleBatched, kTokens};
    in.launches = c.staleLaunches;
    const auto maps = compareKvHeads(in);
    const auto& g = c.serial.geometry;
    ASSERT_EQ(g.layers, 2);
    ASSERT_EQ(g.kvHeads, 2);
    ASSERT_EQ(g.headDim, 64);
    ASSERT_EQ(maps.size(), 8u);
    std::uint64_t mismatched = 0;
    std::size_t i = 0;
    for (int layer = 0; layer < 2; ++layer) {
        for (KvTensor tensor : {KvTensor::K, KvTensor::V}) {
            const auto& values = tensor == KvTensor::K ? c.serial.k : c.serial.v;
            const auto& batched = tensor == KvTensor::K ? c.staleBatched.k : c.staleBatched.v;
            const auto seqs =
                staleSeqs(layer, tensor == KvTensor::K ? "kv_scatter_k" : "kv_scatter_v");
            ASSERT_EQ(seqs.size(), std::size_t(kTokens));
            for (int head = 0; head < 2; ++head) {
                const KvHeadMap& m = maps[i++];
                SCOPED_TRACE(::testing::Message() << "layer " << layer << " "
                                                  << kvTensorName(tensor) << " head " << head);
                EXPECT_EQ(m.layer, layer);
                EXPECT_EQ(m.tensor, tensor);
                EXPECT_EQ(m.head, head);
                EXPECT_EQ(m.positions, kTokens);
                EXPECT_EQ(m.headDim, 64);
                EXPECT_EQ(m.neverWritten, range(1, kTokens - 1));
                EXPECT_TRUE(m.serialNeverWritten.empty());
                EXPECT_EQ(m.writtenTwice, std::vector<int>{0});
                EXPECT_EQ(m.writeCounts, (std::map<int, int>{{0, kTokens}}));
                EXPECT_TRUE(m.writtenBeyond.empty());
                ASSERT_EQ(m.writers.size(), 1u);
                EXPECT_EQ(m.writers.at(0), seqs);
                EXPECT_TRUE(m.failing());
                // Position 0 holds the last token's row: an element differs exactly where the
                // bits of token 0 and token 5 differ.
                std::uint64_t rowMismatches = 0;
                for (int d = 0; d < 64; ++d) {
                    const std::size_t at = c.serial.index(layer, head, 0, d);
                    const bool differs = std::bit_cast<std::uint32_t>(values[at]) !=
                                         std::bit_cast<std::uint32_t>(batched[at]);
                    EXPECT_EQ(m.state(0, d),
                              differs ? KvElementState::Mismatch : KvElementState::Identical);
                    rowMismatches += differs ? 1 : 0;
                }
                EXPECT_GT(rowMismatches, 32u);
                EXPECT_EQ(m.mismatchedElements, rowMismatches);
                EXPECT_EQ(m.mismatched, std::vector<int>{0});
                for (int pos = 1; pos < kTokens; ++pos)
                    for (int d = 0; d < 64; ++d)
                        ASSERT_EQ(m.state(pos, d), KvElementState::Unwritten) << pos << "," << d;
                ASSERT_FALSE(m.samples.empty());
                EXPECT_EQ(m.samples.front().position, 0);
                EXPECT_EQ(m.samples.front().serialBits,
                          std::bit_cast<std::uint32_t>(
                              values[c.serial.index(layer, head, 0, m.samples.front().dim)]));
                EXPECT_LE(m.samples.size(), kKvSamplesPerHead);
                mismatched += m.mismatchedElements;
            }
        }
    }
    // The maps count the same differing elements as the report.
    EXPECT_EQ(mismatched, validateKvCaches(in).elementsMismatched);
}

TEST(KvHeadMaps, CleanBatchedPrefillIsIdenticalAndEachPositionHasItsLaunch) {
    const auto& c = caches();
    KvValidationInput in{&c.serial, &c.cleanBatched, kTokens};
    in.launches = c.cleanLaunches;
    const auto maps = compareKvHeads(in);
    ASSERT_EQ(maps.size(), 8u);
    for (const auto& m : maps) {
        EXPECT_FALSE(m.failing());
        EXPECT_EQ(m.mismatchedElements, 0u);
        EXPECT_TRUE(std::all_of(m.states.begin(), m.states.end(),
                                [](KvElementState s) { return s == KvElementState::Identical; }));
        ASSERT_EQ(m.writers.size(), std::size_t(kTokens));
        // K of layer 1 was written by the layer's K scatter, V by the V scatter right after it.
        const std::uint64_t seq = 3 + std::uint64_t(m.layer) * 40 + 6 + (m.tensor == KvTensor::V);
        for (int pos = 0; pos < kTokens; ++pos)
            EXPECT_EQ(m.writers.at(pos), std::vector<std::uint64_t>{seq});
    }
}

TEST(KvHeadMaps, OneLaunchWritingAPositionTwiceCountsTheWritesNotTheLaunches) {
    // A batched scatter whose positions[] repeats 3 where 4 belongs: one launch, two writes.
    const auto& c = caches();
    KvCacheSnapshot batched = c.serial;
    for (int h = 0; h < 2; ++h)
        for (int d = 0; d < 64; ++d) {
            batched.k[batched.index(1, h, 3, d)] = c.serial.k[c.serial.index(1, h, 4, d)];
            batched.k[batched.index(1, h, 4, d)] = c.serial.k[c.serial.index(1, h, kTokens + 1, d)];
        }
    KvValidationInput in{&c.serial, &batched, kTokens};
    in.launches = c.cleanLaunches;
    in.launches[2].positionsWritten = {0, 1, 2, 3, 3, 5}; // layer 1, K
    const auto maps = compareKvHeads(in);
    const KvHeadMap& k = maps[4];
    ASSERT_EQ(k.layer, 1);
    EXPECT_EQ(k.writtenTwice, std::vector<int>{3});
    EXPECT_EQ(k.writeCounts, (std::map<int, int>{{3, 2}}));
    EXPECT_EQ(k.writers.at(3), std::vector<std::uint64_t>{in.launches[2].seq});
    EXPECT_EQ(k.writers.count(4), 0u);
    EXPECT_EQ(k.neverWritten, std::vector<int>{4});
    EXPECT_EQ(k.mismatched, std::vector<int>{3});
    EXPECT_TRUE(maps[6].writtenTwice.empty()); // V of layer 1 was scattered right
}

TEST(KvHeadMaps, ToleranceAndNaNAndWritesPastThePromptGetTheirOwnStates) {
    const auto& c = caches();
    KvCacheSnapshot batched = c.cleanBatched;
    const std::size_t within = batched.index(1, 0, 2, 5);
    const std::size_t over = batched.index(1, 0, 3, 9);
    const std::size_t nan = batched.index(1, 0, 4, 1);
    batched.k[within] = std::nextafter(batched.k[within], 1e9f);
    batched.k[over] += 1.0f;
    batched.v[nan] = std::numeric_limits<float>::quiet_NaN();
    batched.k[batched.index(1, 0, kTokens + 1, 7)] = 2.0f; // position 7, two past the prompt
    KvValidationInput in{&c.serial, &batched, kTokens};
    in.tolerance = 1e-3;
    const auto maps = compareKvHeads(in);
    const KvHeadMap& k = maps[4]; // layer 1, K, head 0
    const KvHeadMap& v = maps[6]; // layer 1, V, head 0
    ASSERT_EQ(k.layer, 1);
    ASSERT_EQ(v.tensor, KvTensor::V);
    EXPECT_EQ(k.positions, kTokens + 2);
    EXPECT_EQ(k.writtenBeyond, std::vector<int>{kTokens + 1});
    EXPECT_EQ(k.state(2, 5), KvElementState::WithinTolerance);
    EXPECT_EQ(k.ulps[2 * 64 + 5], 1u);
    EXPECT_EQ(k.state(3, 9), KvElementState::Mismatch);
    EXPECT_EQ(k.state(kTokens + 1, 7), KvElementState::WrittenBeyond);
    EXPECT_EQ(k.state(kTokens + 1, 6), KvElementState::Identical);
    EXPECT_EQ(k.state(kTokens, 7), KvElementState::Identical); // correctly never written
    EXPECT_EQ(k.mismatched, std::vector<int>{3});
    EXPECT_EQ(k.mismatchedElements, 1u);
    EXPECT_EQ(v.positions, kTokens);
    EXPECT_EQ(v.state(4, 1), KvElementState::NanMismatch);
    EXPECT_EQ(v.ulps[4 * 64 + 1], 0xffffffffu);
    EXPECT_TRUE(maps[5].writtenBeyond.empty()); // head 1 untouched
    EXPECT_FALSE(maps[5].failing());
}

TEST(KvHeadMaps, JsonRoundTripsEveryField) {
    const auto& c = caches();
    KvValidationInput in{&c.serial, &c.staleBatched, kTokens};
    in.launches = c.staleLaunches;
    const auto maps = compareKvHeads(in);
    const auto j = kvHeadMapsToJson(maps, c.serial.geometry, kTokens);
    EXPECT_EQ(j["tokens"], kTokens);
    EXPECT_EQ(j["geometry"]["max_len"], kTokens + 4);
    // Whole unwritten rows are one run: the stale map of a head is a handful of runs.
    EXPECT_LT(j["heads"][0]["states"].size(), 70u);
    auto back = kvHeadMapsFromJson(nlohmann::json::parse(j.dump()), "maps.json");
    ASSERT_TRUE(back) << back.error().format();
    ASSERT_EQ(back->size(), maps.size());
    for (std::size_t i = 0; i < maps.size(); ++i) {
        const auto& a = maps[i];
        const auto& b = (*back)[i];
        EXPECT_EQ(b.layer, a.layer);
        EXPECT_EQ(b.tensor, a.tensor);
        EXPECT_EQ(b.head, a.head);
        EXPECT_EQ(b.states, a.states);
        EXPECT_EQ(b.ulps, a.ulps);
        EXPECT_EQ(b.neverWritten, a.neverWritten);
        EXPECT_EQ(b.writtenTwice, a.writtenTwice);
        EXPECT_EQ(b.writers, a.writers);
        EXPECT_EQ(b.writeCounts, a.writeCounts);
        EXPECT_EQ(b.mismatched, a.mismatched);
        EXPECT_EQ(b.mismatchedElements, a.mismatchedElements);
        ASSERT_EQ(b.samples.size(), a.samples.size());
        EXPECT_EQ(b.samples.back().batchedBits, a.samples.back().batchedBits);
        EXPECT_DOUBLE_EQ(b.maxAbsDifference, a.maxAbsDifference);
    }
}

TEST(KvHeadMaps, MalformedJsonNamesTheHeadAndTheProblem) {
    const auto& c = caches();
    KvValidationInput in{&c.serial, &c.cleanBatched, kTokens};
    const auto good = kvHeadMapsToJson(compareKvHeads(in), c.serial.geometry, kTokens);
    auto expectError = [&](nlohmann::json j, const std::string& message) {
        auto r = kvHeadMapsFromJson(j, "maps.json");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().format(), "maps.json: " + message);
    };
    expectError(nlohmann::json::object(), "/heads: expected an array of head maps");
    auto j = good;
    j["heads"][2]["states"] = {{0, 10}};
    expectError(j, "/heads/2: states: runs cover 10 of the 6x64 elements");
    j = good;
    j["heads"][1]["states"] = {{9, 384}};
    expectError(j, "/heads/1: states: unknown state 9");
    j = good;
    j["heads"][3]["tensor"] = "q";
    expectError(j, "/heads/3: tensor: expected \"k\" or \"v\", not \"q\"");
    j = good;
    j["heads"][0]["ulps"] = {1};
    expectError(j, "/heads/0: ulps: more values than differing elements");
    j = good;
    j["heads"][0]["writers"] = {{"zero", {1}}};
    expectError(j, "/heads/0: writers: \"zero\" is not a position");
    j = good;
    j["heads"][0]["write_counts"] = {{"-1", 2}};
    expectError(j, "/heads/0: write_counts: \"-1\" is not a position");
    j = good;
    j["heads"][0].erase("layer");
    expectError(j, "/heads/0: key 'layer' not found");
}

TEST(KvHeadMaps, DifferentGeometriesGiveNoMaps) {
    const auto& c = caches();
    auto other = KvCacheSnapshot::poisoned(KvGeometry{2, 2, 32, 64});
    KvValidationInput in{&c.serial, &other, kTokens};
    EXPECT_TRUE(compareKvHeads(in).empty());
}
