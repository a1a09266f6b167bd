// record::addKvHeadChecks: the per-head KV maps of caches the CPU reference forward computed
// become one Kv check per (layer, tensor, head) that survives the database unchanged, with the
// never-written, written-twice and writer evidence the KV-cache view reads.
#include "engine/kv_head_maps.h"
#include "kv_reference_caches.h"
#include "record/job_results.h"
#include "record/kv_results.h"
#include "store/history_store.h"
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace ptxwb {
namespace {

using engine::KvTensor;
using nlohmann::json;
using store::ElementCategory;

constexpr int kTokens = 6;

const engine::test::ReferenceKvCaches& caches() {
    static const auto c = engine::test::referenceKvCaches(kTokens);
    return c;
}

/// The stale-position_buf validation as the worker returns it.
json staleResult() {
    const auto& c = caches();
    engine::KvValidationInput in{&c.serial, &c.staleBatched, kTokens};
    in.launches = c.staleLaunches;
    return json{{"kv_head_maps",
                 engine::kvHeadMapsToJson(engine::compareKvHeads(in), c.serial.geometry, kTokens)}};
}

} // namespace

TEST(KvResults, StaleRunHasOneFailedCheckPerHeadWithMapAndWriters) {
    store::Run run;
    run.uuid = store::newRunUuid();
    run.command = "qa";
    ASSERT_TRUE(record::addKvHeadChecks(run, staleResult()));
    for (const auto& l : caches().staleLaunches)
        run.traceLaunches.push_back(record::toStoreLaunch(l));
    ASSERT_EQ(run.checks.size(), 8u);
    EXPECT_EQ(run.checks[0].name, "kv-cache layer 0 k head 0");
    EXPECT_EQ(run.checks[3].name, "kv-cache layer 0 v head 1");
    EXPECT_EQ(run.checks[6].name, "kv-cache layer 1 v head 0");

    testing_support::TempDir dir;
    auto history = store::HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(history) << history.error().format();
    ASSERT_TRUE(history->insertRun(run));
    auto loaded = history->loadRun(run.uuid);
    ASSERT_TRUE(loaded) << loaded.error().format();
    ASSERT_EQ(loaded->checks.size(), 8u);
    const store::Check& v1 = loaded->checks[7]; // layer 1, V, head 1
    EXPECT_EQ(v1.name, "kv-cache layer 1 v head 1");
    EXPECT_EQ(v1.kind, store::CheckKind::Kv);
    EXPECT_EQ(v1.status, store::CheckStatus::Failed);
    EXPECT_EQ(v1.evidence["layer"], 1);
    EXPECT_EQ(v1.evidence["tensor"], "v");
    EXPECT_EQ(v1.evidence["head"], 1);
    EXPECT_EQ(v1.evidence["tokens"], kTokens);
    EXPECT_EQ(v1.evidence["never_written"], json({1, 2, 3, 4, 5}));
    EXPECT_EQ(v1.evidence["written_twice"], json({0}));
    EXPECT_EQ(v1.evidence["write_counts"], json({{"0", kTokens}}));
    // The V scatters of layer 1: one launch per row, all reading position_buf = 0.
    std::vector<std::uint64_t> seqs;
    for (const auto& l : caches().staleLaunches)
        if (l.layer == 1 && l.op == "kv_scatter_v") seqs.push_back(l.seq);
    EXPECT_EQ(v1.evidence["writers"], json({{"0", seqs}}));
    ASSERT_TRUE(v1.mismatchMap);
    const auto& map = *v1.mismatchMap;
    EXPECT_EQ(map.rows(), std::uint32_t(kTokens));
    EXPECT_EQ(map.cols(), 64u);
    EXPECT_EQ(v1.counts[ElementCategory::Unwritten], 5u * 64u);
    EXPECT_EQ(v1.counts[ElementCategory::Mismatch] + v1.counts[ElementCategory::Identical], 64u);
    EXPECT_EQ(map.category(3, 17), ElementCategory::Unwritten);
    // Values of the first differing element survive: serial token 0 vs batched token 5.
    ASSERT_FALSE(v1.firstMismatches.empty());
    const auto& first = v1.firstMismatches.front();
    EXPECT_EQ(first.row, 0u);
    const auto& c = caches();
    EXPECT_EQ(first.expected, double(c.serial.v[c.serial.index(1, 1, 0, int(first.col))]));
    EXPECT_EQ(first.actual, double(c.staleBatched.v[c.serial.index(1, 1, 0, int(first.col))]));
    EXPECT_EQ(map.category(0, first.col), ElementCategory::Mismatch);
    // Each writer is a recorded launch of the run.
    for (auto seq : seqs) {
        const auto it = std::find_if(loaded->traceLaunches.begin(), loaded->traceLaunches.end(),
                                     [&](const auto& l) { return l.seq == seq; });
        ASSERT_NE(it, loaded->traceLaunches.end()) << seq;
        EXPECT_EQ(it->entry, "kv_scatter_indirect");
        EXPECT_EQ(it->positionValue, 0);
    }
}

TEST(KvResults, CleanHeadsPassAndTheirMapsCostAlmostNothing) {
    const auto& c = caches();
    engine::KvValidationInput in{&c.serial, &c.cleanBatched, kTokens};
    in.launches = c.cleanLaunches;
    store::Run run;
    record::addKvHeadChecks(run, engine::compareKvHeads(in), kTokens);
    ASSERT_EQ(run.checks.size(), 8u);
    for (const auto& check : run.checks) {
        EXPECT_EQ(check.status, store::CheckStatus::Passed) << check.name;
        EXPECT_EQ(check.counts[ElementCategory::Identical], std::uint64_t(kTokens) * 64);
        EXPECT_TRUE(check.evidence["never_written"].empty());
        EXPECT_EQ(check.evidence["writers"].size(), std::size_t(kTokens));
        // 384 elements: header plus a zstd frame of a few dozen bytes.
        EXPECT_LT(store::encodeMismatchMap(*check.mismatchMap).size(), 100u) << check.name;
    }
}

TEST(KvResults, ResultsWithoutMapsAddNothingAndMalformedMapsAreErrors) {
    store::Run run;
    EXPECT_TRUE(record::addKvHeadChecks(run, json{{"report", json::object()}}));
    EXPECT_TRUE(run.checks.empty());
    auto bad = staleResult();
    bad["kv_head_maps"]["heads"][5]["states"] = json::array();
    auto st = record::addKvHeadChecks(run, bad);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().format(),
              "kv-cache result (kv_head_maps): /heads/5: states: runs cover 0 of the 6x64 "
              "elements");
    EXPECT_TRUE(run.checks.empty());
}

} // namespace ptxwb
