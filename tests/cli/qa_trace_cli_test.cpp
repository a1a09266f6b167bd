// `ptxwb qa --validate-kv-cache` on dumps and `ptxwb trace --import`, run as a user would.
#include "cli_run.h"
#include "engine/kv_cache_snapshot.h"
#include "engine/trace.h"
#include "kv_fixtures.h"
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
