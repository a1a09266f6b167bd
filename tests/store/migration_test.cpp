// Every older schema version migrates to the current one with its data intact.
#include "store/history_store.h"
#include "store/schema.h"
#include "test_support.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::store;
using ptxwb::testing_support::TempDir;

namespace {

constexpr const char* kUuid = "0badc0de-0000-4000-8000-000000000001";

MismatchMap sampleMap() {
    MismatchMap map(4, 64);
    map.set(1, 7, ElementCategory::Mismatch, 4096);
    map.set(3, 63, ElementCategory::Unwritten);
    return map;
}

/// A database at schema `version` holding one run written with that version's layout, as an
/// older ptxwb would have written it.
void buildDatabaseAtVersion(const std::string& path, int version) {
    auto db = SqliteConnection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db);
    ASSERT_TRUE(migrate(*db, version));
    if (version == 0) return;
    ASSERT_TRUE(db->exec(fmt::format(
        "INSERT INTO run (id, uuid, command, command_line, started_ms, ended_ms, status, "
        "status_reason, gpu_name, sm_arch, driver_version, seed, check_count, "
        "failed_check_count, finding_count) VALUES (1, '{}', 'parity', "
        "'[\"ptxwb\",\"parity\"]', 1700000000000, 1700000001000, 'failed', '1 of 2 failed', "
        "'NVIDIA L4', 'sm_89', '535.104.05', 42, 2, 1, 1);"
        "INSERT INTO ptx_text VALUES ('{}', 0, x'');"
        "INSERT INTO run_kernel VALUES (1, 'K', 'k_entry', 'k.ptx', '{}');"
        "INSERT INTO check_result (id, run_id, seq, kind, name, kernels, status, n_identical, "
        "n_mismatch, n_unwritten, max_ulp) VALUES "
        "(10, 1, 0, 'parity', 'K vs K1 M=4', '[\"K\"]', 'failed', 254, 1, 1, 4096),"
        "(11, 1, 1, 'parity', 'K vs K1 M=1', '[\"K\"]', 'passed', 64, 0, 0, 0);"
        "INSERT INTO finding (run_id, seq, rule_id, severity, message) VALUES "
        "(1, 0, 'shared-address-u64', 'warning', 'u64 shared address');"
        "INSERT INTO trace_launch (run_id, seq, layer, op, kernel, grid_x, grid_y, grid_z, "
        "block_x, block_y, block_z, position_path, position_value) VALUES "
        "(1, 0, 0, 'kv_scatter', 'KvScatterIndirectKernel', 1, 1, 1, 64, 1, 1, 'indirect', 0);",
        kUuid, std::string(64, '0'), std::string(64, '0'))));
    auto encoded = encodeMismatchMap(sampleMap());
    auto stmt = version == 1
                    ? db->prepare("UPDATE check_result SET mismatch_map = ?1 WHERE id = 10")
                    : db->prepare("INSERT INTO mismatch_map (check_id, encoded) VALUES (10, ?1)");
    ASSERT_TRUE(stmt) << stmt.error().format();
    stmt->bind(1, std::span<const std::byte>(encoded));
    ASSERT_TRUE(stmt->run());
    if (version >= 3) {
        ASSERT_TRUE(db->exec("INSERT INTO run_label VALUES (1, 'node', 'n1')"));
    }
}

class MigrationFromVersion : public testing::TestWithParam<int> {};
/// Versions that can hold runs (version 0 is an empty file).
class MigrationOfRunsFromVersion : public testing::TestWithParam<int> {};

} // namespace

TEST(Schema, MigrationsAreNumberedConsecutively) {
    int expected = 1;
    for (const auto& m : migrations())
        EXPECT_EQ(m.toVersion, expected++);
    EXPECT_EQ(currentSchemaVersion(), 4);
}

TEST_P(MigrationFromVersion, ReachesCurrentVersionWithDataIntact) {
    const int version = GetParam();
    TempDir dir;
    const std::string path = dir.file("old.sqlite");
    buildDatabaseAtVersion(path, version);
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store) << store.error().format();
    EXPECT_EQ(*store->connection().queryInt("PRAGMA user_version"), currentSchemaVersion());
    EXPECT_EQ(*store->integrityCheck(), "ok");
    auto fkCheck = store->connection().prepare("PRAGMA foreign_key_check");
    ASSERT_TRUE(fkCheck);
    EXPECT_FALSE(*fkCheck->step()) << "a foreign key violation after migration";
}

TEST_P(MigrationOfRunsFromVersion, OldRunsLoadCompletely) {
    const int version = GetParam();
    TempDir dir;
    const std::string path = dir.file("old.sqlite");
    buildDatabaseAtVersion(path, version);
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store) << store.error().format();
    auto run = store->loadRun(kUuid);
    ASSERT_TRUE(run) << run.error().format();
    EXPECT_EQ(run->environment.gpuName, "NVIDIA L4");
    EXPECT_EQ(run->environment.seed, 42u);
    ASSERT_EQ(run->checks.size(), 2u);
    ASSERT_TRUE(run->checks[0].mismatchMap.has_value());
    EXPECT_EQ(*run->checks[0].mismatchMap, sampleMap());
    EXPECT_FALSE(run->checks[1].mismatchMap.has_value());
    EXPECT_EQ(run->findings.size(), 1u);
    // Launches recorded before version 4 have no phase and did not come from a graph.
    ASSERT_EQ(run->traceLaunches.size(), 1u);
    EXPECT_EQ(run->traceLaunches[0].positionPath, "indirect");
    EXPECT_EQ(run->traceLaunches[0].phase, "");
    EXPECT_FALSE(run->traceLaunches[0].fromGraph);
    if (version >= 3) {
        EXPECT_EQ(run->labels.at("node"), "n1");
    }
    // The migrated history accepts new runs.
    store::Run fresh;
    fresh.uuid = newRunUuid();
    fresh.command = "selftest";
    fresh.labels["node"] = "n2";
    EXPECT_TRUE(store->insertRun(fresh));
}

TEST_P(MigrationFromVersion, ReadOnlyOpenMigratesAPrivateCopyOnly) {
    const int version = GetParam();
    TempDir dir;
    const std::string path = dir.file("old.sqlite");
    buildDatabaseAtVersion(path, version);
    const std::string before = testing_support::readBytes(path);
    auto store = HistoryStore::open(path, HistoryStore::OpenMode::ReadOnly);
    ASSERT_TRUE(store) << store.error().format();
    EXPECT_EQ(*store->connection().queryInt("PRAGMA user_version"), currentSchemaVersion());
    EXPECT_EQ(store->listRuns()->size(), version == 0 ? 0u : 1u);
    EXPECT_EQ(testing_support::readBytes(path), before);
}

INSTANTIATE_TEST_SUITE_P(EveryOlderVersion, MigrationFromVersion, testing::Range(0, 4),
                         [](const auto& info) { return "v" + std::to_string(info.param); });
INSTANTIATE_TEST_SUITE_P(EveryOlderVersion, MigrationOfRunsFromVersion, testing::Range(1, 4),
                         [](const auto& info) { return "v" + std::to_string(info.param); });
