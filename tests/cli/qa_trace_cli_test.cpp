// `ptxwb qa --validate-kv-cache` on dumps and `ptxwb trace --import`, run as a user would.
#include "cli_run.h"
#include "engine/kv_cache_snapshot.h"
#include "engine/trace.h"
#include "kv_fixtures.h"
#include "store/history_store.h"
#include "util/mapped_file.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ptxwb;
using namespace ptxwb::engine;
using ptxwb::test::runCli;
using testing::HasSubstr;

namespace {
struct DumpDirs {
    std::string root, serial, batched;
};

/// Serial and batched dumps as the stale-position_buf bug leaves them (2 layers, 5 tokens).
DumpDirs writeStaleDumps(const std::string& name, bool buggy) {
    auto root = (std::filesystem::temp_directory_path() / ("ptxwb_qa_cli_" + name)).string();
    std::filesystem::remove_all(root);
    KvGeometry g{2, 2, 8, 4};
    auto serial = KvCacheSnapshot::poisoned(g);
    auto batched = KvCacheSnapshot::poisoned(g);
    for (int l = 0; l < 2; ++l) {
        for (int t = 0; t < 5; ++t) {
            engine::test::scatter(serial, l, t, t);
            engine::test::scatter(batched, l, t, buggy ? 0 : t);
        }
    }
    DumpDirs dirs{root, root + "/serial", root + "/batched"};
    EXPECT_TRUE(writeKvDump(serial, dirs.serial));
    EXPECT_TRUE(writeKvDump(batched, dirs.batched));
    return dirs;
}
} // namespace

TEST(QaCli, CleanDumpsPass) {
    auto dirs = writeStaleDumps("clean", false);
    auto r = runCli({"qa", "--validate-kv-cache", "--serial-dump", dirs.serial, "--batched-dump",
                     dirs.batched});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("KV-cache validation: PASSED"));
    EXPECT_THAT(r.out, HasSubstr("ok    every layer, every KV head: positions 0..4 written, "
                                 "bit-identical to serial prefill"));
    std::filesystem::remove_all(dirs.root);
}

TEST(QaCli, StaleScatterDumpsFailWithALocalisedMessage) {
    auto dirs = writeStaleDumps("stale", true);
    auto r = runCli({"qa", "--validate-kv-cache", "--serial-dump", dirs.serial, "--batched-dump",
                     dirs.batched});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.out, HasSubstr("FAIL  layer 0-1, all KV heads: positions 1..4 never written, "
                                 "K/V differ from serial prefill at position 0"));
    auto junit = runCli({"qa", "--validate-kv-cache", "--serial-dump", dirs.serial,
                         "--batched-dump", dirs.batched, "--format", "junit"});
    EXPECT_EQ(junit.exitCode, 1);
    EXPECT_THAT(junit.out,
                HasSubstr("<testsuite name=\"ptxwb.kv-cache\" tests=\"1\" failures=\"1\">"));
    auto json = runCli({"qa", "--validate-kv-cache", "--serial-dump", dirs.serial, "--batched-dump",
                        dirs.batched, "--format", "json"});
    auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["passed"], false);
    EXPECT_EQ(j["tokens"], 5);
    std::filesystem::remove_all(dirs.root);
}

TEST(QaCli, MissingDumpArgumentsAreUsageErrors) {
    auto r = runCli({"qa", "--validate-kv-cache"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err,
              "ptxwb: error: --validate-kv-cache needs --model FILE, or --serial-dump DIR and "
              "--batched-dump DIR\n");
    auto missing = runCli({"qa", "--validate-kv-cache", "--serial-dump", "/nonexistent/a",
                           "--batched-dump", "/nonexistent/b"});
    EXPECT_EQ(missing.exitCode, 2);
}

TEST(QaCli, CorruptDumpIsBadInput) {
    auto dirs = writeStaleDumps("corrupt", false);
    ASSERT_TRUE(writeFileAtomic(dirs.batched + "/layer_1_k.npy", "not numpy"));
    auto r = runCli({"qa", "--validate-kv-cache", "--serial-dump", dirs.serial, "--batched-dump",
                     dirs.batched});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_EQ(r.err, "ptxwb: error: " + dirs.batched +
                         "/layer_1_k.npy: byte 0: not a .npy file (missing \\x93NUMPY magic)\n");
    std::filesystem::remove_all(dirs.root);
}

TEST(QaCli, DumpRunIsRecordedWithPerHeadMapsAndWritersWhenADatabaseIsNamed) {
    // The stale dumps (2 layers, 2 KV heads, 5 tokens all scattered to position 0) with the
    // batched prefill's trace: one kv_scatter launch per layer, position_buf = 0 for every row.
    auto dirs = writeStaleDumps("recorded", true);
    Trace trace;
    for (int l = 0; l < 2; ++l) {
        trace.launches.push_back(engine::test::scatterLaunch(
            57 + 24 * std::uint64_t(l), l, std::vector<int>(5, 0), PositionPath::Indirect, 0));
    }
    const std::string tracePath = dirs.root + "/batched.jsonl";
    ASSERT_TRUE(writeFileAtomic(tracePath, traceToJsonl(trace)));
    const std::string db = dirs.root + "/history.sqlite";
    auto r = runCli({"--db", db, "qa", "--validate-kv-cache", "--serial-dump", dirs.serial,
                     "--batched-dump", dirs.batched, "--batched-trace", tracePath});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("position 0 written 5 times by kv_scatter_indirect (launches "
                                 "#57, #81, position_buf = 0)"));
    EXPECT_THAT(r.err, HasSubstr("recorded run "));
    auto history = store::HistoryStore::open(db, store::HistoryStore::OpenMode::MustExist);
    ASSERT_TRUE(history) << history.error().format();
    auto uuid = history->resolveRun("latest");
    ASSERT_TRUE(uuid);
    auto run = history->loadRun(*uuid);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, store::RunStatus::Failed);
    ASSERT_EQ(run->checks.size(), 9u); // the summary, then 2 layers x K/V x 2 heads
    EXPECT_EQ(run->checks[0].name, "kv-cache serial vs batched prefill, 5 tokens");
    const auto& v = run->checks[8];
    EXPECT_EQ(v.name, "kv-cache layer 1 v head 1");
    EXPECT_EQ(v.evidence["never_written"], nlohmann::json({1, 2, 3, 4}));
    EXPECT_EQ(v.evidence["written_twice"], nlohmann::json({0}));
    EXPECT_EQ(v.evidence["writers"], nlohmann::json({{"0", {81}}}));
    EXPECT_EQ(v.evidence["write_counts"], nlohmann::json({{"0", 5}}));
    ASSERT_TRUE(v.mismatchMap);
    EXPECT_EQ(v.mismatchMap->rows(), 5u);
    EXPECT_EQ(v.mismatchMap->cols(), 4u);
    EXPECT_EQ(v.mismatchMap->category(0, 0), store::ElementCategory::Mismatch);
    EXPECT_EQ(v.mismatchMap->category(4, 3), store::ElementCategory::Unwritten);
    ASSERT_EQ(run->traceLaunches.size(), 2u);
    EXPECT_EQ(run->traceLaunches[1].seq, 81u);
    EXPECT_EQ(run->labels.at("kv_source"), "dumps");
    // Without --db nothing is recorded: dumps do not fill the default history unasked.
    auto quiet = runCli({"qa", "--validate-kv-cache", "--serial-dump", dirs.serial,
                         "--batched-dump", dirs.batched});
    EXPECT_THAT(quiet.err, ::testing::Not(HasSubstr("recorded run")));
    auto badTrace =
        runCli({"--db", db, "qa", "--validate-kv-cache", "--serial-dump", dirs.serial,
                "--batched-dump", dirs.batched, "--batched-trace", dirs.serial + "/layer_0_k.npy"});
    EXPECT_EQ(badTrace.exitCode, 3);
    std::filesystem::remove_all(dirs.root);
}

TEST(TraceCli, ImportShowsLaunchesGroupedByLayer) {
    Trace trace;
    trace.model = "small.gguf";
    trace.kernelSet = "builtin-llama";
    auto launch = engine::test::scatterLaunch(57, 0, {0, 0, 0}, PositionPath::Indirect, 0);
    launch.grid = {1, 3, 1};
    launch.block = {128, 1, 1};
    launch.params.push_back({"pos_buf", "position_buf", true, "", "position_buf", 0});
    trace.launches.push_back(launch);
    auto path = (std::filesystem::temp_directory_path() / "ptxwb_trace_cli.jsonl").string();
    ASSERT_TRUE(writeFileAtomic(path, traceToJsonl(trace)));
    auto r = runCli({"trace", "--import", path});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("== prefill-batched =="));
    EXPECT_THAT(r.out, HasSubstr("-- layer 0"));
    EXPECT_THAT(r.out, HasSubstr("kv_scatter_indirect"));
    EXPECT_THAT(r.out, HasSubstr("indirect"));
    EXPECT_THAT(r.out, HasSubstr("pos_buf->position_buf"));
    auto json = runCli({"trace", "--import", path, "--format", "json"});
    auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["launches"][0]["position_value"], 0);
    ASSERT_TRUE(writeFileAtomic(path, "{\"schema\":\"ptxwb.trace\",\"version\":1}\n[1]\n"));
    auto bad = runCli({"trace", "--import", path});
    EXPECT_EQ(bad.exitCode, 3);
    EXPECT_EQ(bad.err, "ptxwb: error: " + path + ":2:1: not a JSON object\n");
    std::filesystem::remove(path);
}
