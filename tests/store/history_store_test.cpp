#include "fixture_runs.h"
#include "store/history_store.h"
#include "store/run_row.h"
#include "store/schema.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::store;
using ptxwb::testing_support::readBytes;
using ptxwb::testing_support::TempDir;
using ptxwb::testing_support::writeBytes;
using testing::HasSubstr;

namespace {

store::Run failingRun() {
    fixtures::ParityRunOptions o;
    o.seed = 2;
    o.withDequantBug = true;
    o.driverVersion = "555.42.02";
    o.startedUnixMs += 1000;
    return fixtures::makeParityRun(o);
}

store::Run passingRun() {
    return fixtures::makeParityRun({});
}

std::int64_t count(HistoryStore& store, const std::string& sql) {
    auto n = store.connection().queryInt(sql);
    EXPECT_TRUE(n) << n.error().format();
    return n ? *n : -1;
}

} // namespace

TEST(HistoryStore, MissingFileStartsANewHistoryWithParentFolders) {
    TempDir dir;
    const std::string path = dir.file("a/b/history.sqlite");
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store) << store.error().format();
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(count(*store, "PRAGMA user_version"), currentSchemaVersion());
    EXPECT_EQ(count(*store, "PRAGMA application_id"), kApplicationId);
    auto mode = store->connection().prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode);
    ASSERT_TRUE(*mode->step());
    EXPECT_EQ(mode->text(0), "wal");
    EXPECT_EQ(count(*store, "PRAGMA foreign_keys"), 1);
}

TEST(HistoryStore, InsertedRunLoadsBackFieldForField) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(store);
    const store::Run run = failingRun();
    ASSERT_TRUE(store->insertRun(run));
    auto loaded = store->loadRun(run.uuid);
    ASSERT_TRUE(loaded) << loaded.error().format();
    EXPECT_EQ(loaded->uuid, run.uuid);
    EXPECT_EQ(loaded->commandLine, run.commandLine);
    EXPECT_EQ(loaded->startedUnixMs, run.startedUnixMs);
    EXPECT_EQ(loaded->status, RunStatus::Failed);
    EXPECT_EQ(loaded->statusReason, "2 of 13 checks failed");
    EXPECT_EQ(loaded->environment, run.environment);
    EXPECT_EQ(loaded->labels, run.labels);
    ASSERT_EQ(loaded->checks.size(), run.checks.size());
    for (std::size_t i = 0; i < run.checks.size(); ++i) {
        const auto& a = run.checks[i];
        const auto& b = loaded->checks[i];
        EXPECT_EQ(b.name, a.name);
        EXPECT_EQ(b.kind, a.kind);
        EXPECT_EQ(b.kernels, a.kernels);
        EXPECT_EQ(b.status, a.status);
        EXPECT_EQ(b.counts, a.counts);
        EXPECT_EQ(b.maxUlp, a.maxUlp);
        EXPECT_EQ(b.maxRelError, a.maxRelError);
        EXPECT_EQ(b.firstMismatches, a.firstMismatches);
        EXPECT_EQ(b.evidence, a.evidence);
        EXPECT_EQ(b.mismatchMap, a.mismatchMap) << a.name;
    }
    EXPECT_EQ(loaded->findings, run.findings);
    ASSERT_EQ(loaded->traceLaunches.size(), 4u);
    EXPECT_EQ(loaded->traceLaunches[1].positionPath, "indirect");
    EXPECT_EQ(loaded->traceLaunches[1].positionValue, 0);
    EXPECT_EQ(loaded->traceLaunches[0].positionValue, std::nullopt);
    EXPECT_EQ(loaded->traceLaunches[1].scalarParams, run.traceLaunches[1].scalarParams);
    EXPECT_EQ(loaded->traceLaunches[0].phase, "prefill-batched");
    EXPECT_FALSE(loaded->traceLaunches[0].fromGraph);
    EXPECT_EQ(loaded->traceLaunches[3].phase, "graph-replay");
    EXPECT_TRUE(loaded->traceLaunches[3].fromGraph);
    ASSERT_EQ(loaded->kvValidations.size(), 4u);
    EXPECT_EQ(loaded->kvValidations[3].tensor, "v");
    ASSERT_EQ(loaded->kernels.size(), 12u);
    EXPECT_TRUE(loaded->kernels[0].ptxText.empty()) << "texts load only on request";
}

TEST(HistoryStore, LoadWithoutMapsSkipsThem) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(store->insertRun(failingRun()));
    LoadOptions options;
    options.mismatchMaps = false;
    auto run = store->loadRun(failingRun().uuid, options);
    ASSERT_TRUE(run);
    for (const auto& c : run->checks)
        EXPECT_FALSE(c.mismatchMap) << c.name;
}

TEST(HistoryStore, LoadsOneMismatchMapOnDemand) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    const store::Run run = failingRun();
    ASSERT_TRUE(store->insertRun(run));
    auto map = store->loadMismatchMap(run.uuid, CheckKind::Probe,
                                      "BatchedQ6KGemvKernel dequant probe 256x4096");
    ASSERT_TRUE(map) << map.error().format();
    ASSERT_TRUE(map->has_value());
    EXPECT_EQ(**map, *run.checks.back().mismatchMap);
    EXPECT_EQ((*map)->probeLayout->quantFormat, "Q6_K");
    auto none = store->loadMismatchMap(run.uuid, CheckKind::Parity, run.checks[0].name);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    auto wrongKind = store->loadMismatchMap(run.uuid, CheckKind::Parity,
                                            "BatchedQ6KGemvKernel dequant probe 256x4096");
    ASSERT_FALSE(wrongKind);
    EXPECT_EQ(wrongKind.error().message,
              "run " + run.uuid +
                  " has no parity check 'BatchedQ6KGemvKernel dequant probe 256x4096'");
}

TEST(HistoryStore, PtxTextsAreStoredOncePerContentHash) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(store->insertRun(passingRun()));
    ASSERT_TRUE(store->insertRun(failingRun()));
    // 12 kernels; the failing run differs only in BatchedQ6KGemvKernel.
    EXPECT_EQ(count(*store, "SELECT count(*) FROM ptx_text"), 13);
    EXPECT_EQ(count(*store, "SELECT count(*) FROM run_kernel"), 24);
    auto run = store->loadRun(failingRun().uuid);
    ASSERT_TRUE(run);
    auto text = store->ptxText(run->kernels[0].ptxHash);
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, fixtures::fixturePtx(run->kernels[0].name,
                                          run->kernels[0].name == "BatchedQ6KGemvKernel"));
}

TEST(HistoryStore, PtxHashThatDoesNotMatchItsTextIsRefused) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    store::Run run = passingRun();
    run.kernels[0].ptxHash = std::string(64, 'a');
    auto st = store->insertRun(run);
    ASSERT_FALSE(st);
    EXPECT_THAT(st.error().message, HasSubstr("PTX hash aaaa"));
    EXPECT_THAT(st.error().message, HasSubstr("does not match its text"));
    EXPECT_EQ(count(*store, "SELECT count(*) FROM run"), 0);
}

TEST(HistoryStore, DuplicateUuidIsAUsageErrorAndWritesNothing) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(store->insertRun(passingRun()));
    auto st = store->insertRun(passingRun());
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, ErrorKind::Usage);
    EXPECT_EQ(st.error().message, "run " + passingRun().uuid + " is already in the history");
    EXPECT_EQ(count(*store, "SELECT count(*) FROM run"), 1);
}

TEST(HistoryStore, AFailedInsertRollsBackTheWholeRun) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    store::Run run = failingRun();
    run.checks.push_back(run.checks.back()); // same (kind, name) twice: constraint violation
    auto st = store->insertRun(run);
    ASSERT_FALSE(st);
    EXPECT_THAT(st.error().message, HasSubstr("UNIQUE constraint failed"));
    EXPECT_THAT(st.error().message, HasSubstr("writing run " + run.uuid));
    for (const char* table : {"run", "check_result", "mismatch_map", "run_kernel", "ptx_text",
                              "finding", "trace_launch", "kv_validation", "run_label"}) {
        EXPECT_EQ(count(*store, std::string("SELECT count(*) FROM ") + table), 0) << table;
    }
}

TEST(HistoryStore, ResolvesLatestPrefixesAndReportsAmbiguity) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    store::Run a = passingRun();
    a.uuid = "abc11111-0000-4000-8000-000000000001";
    store::Run b = passingRun();
    b.uuid = "abc22222-0000-4000-8000-000000000002";
    b.startedUnixMs += 10;
    ASSERT_TRUE(store->insertRun(a));
    ASSERT_TRUE(store->insertRun(b));
    EXPECT_EQ(*store->resolveRun("latest"), b.uuid);
    EXPECT_EQ(*store->resolveRun("abc1"), a.uuid);
    EXPECT_EQ(*store->resolveRun("ABC2"), b.uuid);
    auto ambiguous = store->resolveRun("abc");
    ASSERT_FALSE(ambiguous);
    EXPECT_EQ(ambiguous.error().message, "run prefix 'abc' is ambiguous: it matches 2 runs");
    EXPECT_THAT(ambiguous.error().notes, testing::ElementsAre(b.uuid, a.uuid));
    auto none = store->resolveRun("ffff");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, ErrorKind::Usage);
    EXPECT_EQ(none.error().message, "no run matches 'ffff' (give a UUID prefix or 'latest')");
}

TEST(HistoryStore, ListFiltersByEnvironmentAndStatus) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    fixtures::ParityRunOptions o;
    o.seed = 10;
    ASSERT_TRUE(store->insertRun(fixtures::makeParityRun(o)));
    o.seed = 11;
    o.driverVersion = "5501.1";
    o.smArch = "sm_89";
    o.gpuName = "NVIDIA GeForce RTX 4090";
    o.startedUnixMs += 1;
    ASSERT_TRUE(store->insertRun(fixtures::makeParityRun(o)));
    ASSERT_TRUE(store->insertRun(failingRun()));

    auto all = store->listRuns();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].uuid, failingRun().uuid) << "newest first";
    EXPECT_EQ((*all)[0].failedCheckCount, 2u);
    EXPECT_EQ((*all)[0].checkCount, 13u);
    EXPECT_EQ((*all)[0].findingCount, 1u);
    EXPECT_EQ((*all)[0].labels.at("node"), "gpu-node-07");

    auto names = [&](const RunFilter& f) {
        std::vector<std::uint64_t> seeds;
        auto runs = store->listRuns(f);
        EXPECT_TRUE(runs);
        for (const auto& r : *runs)
            seeds.push_back(*r.environment.seed);
        return seeds;
    };
    RunFilter f;
    f.arch = "sm_89";
    EXPECT_THAT(names(f), testing::ElementsAre(11u));
    f = {};
    f.gpu = "rtx 4090";
    EXPECT_THAT(names(f), testing::ElementsAre(11u));
    f = {};
    f.driver = "550"; // prefix up to a dot: 550.54.15 yes, 5501.1 no
    EXPECT_THAT(names(f), testing::ElementsAre(10u));
    f = {};
    f.status = RunStatus::Failed;
    EXPECT_THAT(names(f), testing::ElementsAre(2u));
    f = {};
    f.kernelSet = passingRun().environment.kernelSetHash.substr(0, 10);
    EXPECT_THAT(names(f), testing::ElementsAre(11u, 10u));
    f = {};
    f.limit = 1;
    EXPECT_THAT(names(f), testing::ElementsAre(2u));
}

TEST(HistoryStore, TrendGroupsByDriverAndArch) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(store->insertRun(passingRun()));
    ASSERT_TRUE(store->insertRun(failingRun()));
    fixtures::ParityRunOptions o;
    o.seed = 3;
    o.withDequantBug = true;
    o.driverVersion = "555.42.02";
    o.startedUnixMs += 5000;
    ASSERT_TRUE(store->insertRun(fixtures::makeParityRun(o)));
    const std::string name = "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096";
    auto trend = store->trend(name);
    ASSERT_TRUE(trend) << trend.error().format();
    ASSERT_EQ(trend->points.size(), 3u);
    EXPECT_EQ(trend->points[0].status, CheckStatus::Passed);
    EXPECT_EQ(trend->points[2].status, CheckStatus::Failed);
    ASSERT_EQ(trend->groups.size(), 2u);
    EXPECT_EQ(trend->groups[0].driverVersion, "550.54.15");
    EXPECT_EQ(trend->groups[0].passed, 1u);
    EXPECT_EQ(trend->groups[1].driverVersion, "555.42.02");
    EXPECT_EQ(trend->groups[1].failed, 2u);
    EXPECT_EQ(trend->groups[1].runs, 2u);
    EXPECT_GT(trend->groups[1].worstMaxUlp, 1000u);
    auto names = store->checkNamesContaining("q6kgemvkernel m=4");
    ASSERT_TRUE(names);
    EXPECT_THAT(*names, testing::ElementsAre(name));
}

TEST(HistoryStore, ImportMergesByUuidAndSharesPtxByHash) {
    TempDir dir;
    auto node1 = HistoryStore::open(dir.file("node1.sqlite"));
    auto node2 = HistoryStore::open(dir.file("node2.sqlite"));
    ASSERT_TRUE(node1->insertRun(passingRun()));
    ASSERT_TRUE(node2->insertRun(passingRun()));
    ASSERT_TRUE(node2->insertRun(failingRun()));
    auto summary = node1->importFrom(dir.file("node2.sqlite"));
    ASSERT_TRUE(summary) << summary.error().format();
    EXPECT_EQ(summary->runsImported, 1u);
    EXPECT_EQ(summary->runsAlreadyPresent, 1u);
    EXPECT_THAT(summary->importedUuids, testing::ElementsAre(failingRun().uuid));
    EXPECT_EQ(count(*node1, "SELECT count(*) FROM run"), 2);
    EXPECT_EQ(count(*node1, "SELECT count(*) FROM ptx_text"), 13);
    auto again = node1->importFrom(dir.file("node2.sqlite"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->runsImported, 0u);
    auto run = node1->loadRun(failingRun().uuid);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->checks.size(), 13u);
    EXPECT_TRUE(run->checks[5].mismatchMap.has_value());
}

TEST(HistoryStore, ExportWritesOneRunToANewFile) {
    TempDir dir;
    auto store = HistoryStore::open(dir.file("h.sqlite"));
    ASSERT_TRUE(store->insertRun(passingRun()));
    ASSERT_TRUE(store->insertRun(failingRun()));
    ASSERT_TRUE(store->exportRun(failingRun().uuid, dir.file("bug/attach.sqlite")));
    auto exported =
        HistoryStore::open(dir.file("bug/attach.sqlite"), HistoryStore::OpenMode::ReadOnly);
    ASSERT_TRUE(exported) << exported.error().format();
    auto runs = exported->listRuns();
    ASSERT_EQ(runs->size(), 1u);
    EXPECT_EQ((*runs)[0].uuid, failingRun().uuid);
    EXPECT_EQ(count(*exported, "SELECT count(*) FROM ptx_text"), 12);
}

TEST(HistoryStore, ForeignFileIsRefusedAndLeftUntouched) {
    TempDir dir;
    const std::string path = dir.file("notes.txt");
    writeBytes(path, "these are my notes, not a database\n");
    auto store = HistoryStore::open(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(store.error().format(), path + ": byte 0: not a ptxwb history database (no SQLite "
                                             "header); it was left as is");
    EXPECT_EQ(readBytes(path), "these are my notes, not a database\n");
    EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(HistoryStore, AnotherApplicationsSqliteDatabaseIsRefusedAndLeftUntouched) {
    TempDir dir;
    const std::string path = dir.file("other.sqlite");
    {
        auto db = SqliteConnection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        ASSERT_TRUE(
            db->exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')"));
    }
    const std::string before = readBytes(path);
    auto store = HistoryStore::open(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(store.error().message,
              "an SQLite database, but not a ptxwb run history (it has other tables); it was left "
              "as is");
    EXPECT_EQ(readBytes(path), before) << "header must not be switched to WAL";
    {
        auto db = SqliteConnection::open(path, SQLITE_OPEN_READWRITE);
        ASSERT_TRUE(db->exec("PRAGMA application_id = 1234"));
    }
    auto other = HistoryStore::open(path);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().message,
              "an SQLite database of another application (application_id 0x000004d2); it was left "
              "as is");
}

TEST(HistoryStore, DamagedDatabaseIsRefusedAndLeftUntouched) {
    TempDir dir;
    const std::string path = dir.file("h.sqlite");
    {
        auto store = HistoryStore::open(path);
        ASSERT_TRUE(store->insertRun(passingRun()));
        ASSERT_TRUE(store->connection().exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    std::string bytes = readBytes(path);
    ASSERT_GT(bytes.size(), 4096u);
    // Keep the 100-byte header, overwrite the rest of page 1 (the schema) with garbage.
    for (std::size_t i = 100; i < 4096; ++i)
        bytes[i] = static_cast<char>(0xA5 ^ (i * 31));
    writeBytes(path, bytes);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    auto store = HistoryStore::open(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, ErrorKind::BadInput);
    EXPECT_THAT(store.error().message, HasSubstr("malformed"));
    EXPECT_THAT(store.error().message, HasSubstr("it was left as is"));
    EXPECT_EQ(readBytes(path), bytes);
}

TEST(HistoryStore, NewerSchemaIsRefused) {
    TempDir dir;
    const std::string path = dir.file("h.sqlite");
    {
        auto store = HistoryStore::open(path);
        ASSERT_TRUE(store->connection().exec("PRAGMA user_version = 99"));
    }
    auto store = HistoryStore::open(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().message, "history schema version 99 is newer than this ptxwb "
                                     "understands (4); upgrade ptxwb");
}

TEST(HistoryStore, MustExistAndReadOnlyDoNotCreateFiles) {
    TempDir dir;
    for (auto mode : {HistoryStore::OpenMode::MustExist, HistoryStore::OpenMode::ReadOnly}) {
        auto store = HistoryStore::open(dir.file("missing.sqlite"), mode);
        ASSERT_FALSE(store);
        EXPECT_EQ(store.error().format(),
                  dir.file("missing.sqlite") + ": no such history database");
        EXPECT_FALSE(std::filesystem::exists(dir.file("missing.sqlite")));
    }
}

TEST(StringArrayDecoder, AgreesWithTheJsonLibraryOnWhatTheStoreWrites) {
    const std::vector<std::vector<std::string>> samples{
        {},
        {"ptxwb", "parity", "--seed", "1"},
        {"quote \" backslash \\ slash /", "tab\tnewline\n", "ctl \x01\x1f",
         "utf-8 \xC3\xA9 \xE2\x82\xAC"},
        {"<script>alert(1)</script>", ""},
    };
    for (const auto& argv : samples) {
        const std::string text = nlohmann::json(argv).dump();
        auto decoded = detail::decodeStringArray(text);
        ASSERT_TRUE(decoded) << text;
        EXPECT_EQ(*decoded, argv) << text;
    }
    EXPECT_EQ(detail::decodeStringArray(R"(["\u00e9\u20ac"])"),
              std::vector<std::string>{"\xC3\xA9\xE2\x82\xAC"});
    // Outside its subset it declines, and the caller falls back to the full parser.
    for (const char* other :
         {R"(["\ud83d\ude00"])", "[1]", R"({"a":1})", R"(["a",])", R"(["a"] x)", R"(["a)"}) {
        EXPECT_FALSE(detail::decodeStringArray(other)) << other;
    }
}
