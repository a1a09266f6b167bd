// Reliability of the history under hostile conditions: writers killed with SIGKILL at random
// moments (during migrations and during runs), and two processes writing at once.
#include "store/history_store.h"
#include "store/schema.h"
#include "test_support.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ptxwb;
using namespace ptxwb::store;
using ptxwb::testing_support::TempDir;

namespace {

/// A run whose size depends on `index`, so kills land at many different points of a write.
store::Run crashRun(const std::string& uuid, int index) {
    store::Run run;
    run.uuid = uuid;
    run.command = "parity";
    run.commandLine = {"ptxwb", "parity", "--seed", std::to_string(index)};
    run.startedUnixMs = 1700000000000 + index;
    run.endedUnixMs = run.startedUnixMs + 10;
    run.status = RunStatus::Failed;
    run.labels["i"] = std::to_string(index);
    for (int k = 0; k < 3; ++k) {
        KernelSource ks;
        ks.name = fmt::format("K{}", k);
        ks.ptxText = fmt::format("// kernel {} of run {}\n.version 8.4\n", k, index % 5);
        run.kernels.push_back(ks);
    }
    const int checks = 10 + index % 30;
    for (int c = 0; c < checks; ++c) {
        Check check;
        check.name = fmt::format("check {}", c);
        check.kernels = {"K0"};
        check.status = c % 3 == 0 ? CheckStatus::Failed : CheckStatus::Passed;
        MismatchMap map(16, 256);
        map.set(static_cast<std::uint32_t>(c % 16), static_cast<std::uint32_t>((c * 37) % 256),
                ElementCategory::Mismatch, static_cast<std::uint64_t>(index) * 1000 + c);
        check.counts = map.counts();
        check.mismatchMap = std::move(map);
        run.checks.push_back(std::move(check));
    }
    Finding f;
    f.ruleId = "r";
    f.message = "m";
    run.findings.push_back(f);
    return run;
}

/// A version-1 database with enough mismatch maps inline that migrating it takes a while.
void buildV1Template(const std::string& path, std::set<std::string>& uuids) {
    auto db = SqliteConnection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db);
    ASSERT_TRUE(migrate(*db, 1));
    ASSERT_TRUE(db->exec("BEGIN"));
    auto runStmt = db->prepare("INSERT INTO run (id, uuid, command, command_line, started_ms, "
                               "ended_ms, status, check_count, failed_check_count) "
                               "VALUES (?, ?, 'parity', '[]', ?, ?, 'failed', 40, 1)");
    auto checkStmt = db->prepare("INSERT INTO check_result (run_id, seq, kind, name, status, "
                                 "n_mismatch, mismatch_map) VALUES (?, ?, 'parity', ?, ?, ?, ?)");
    ASSERT_TRUE(runStmt && checkStmt);
    for (int r = 1; r <= 40; ++r) {
        std::string uuid = fmt::format("00000000-0000-4000-8000-{:012}", r);
        uuids.insert(uuid);
        runStmt->bindAll(r, uuid, std::int64_t{1600000000000} + r, std::int64_t{1600000000000} + r);
        ASSERT_TRUE(runStmt->run());
        for (int c = 0; c < 40; ++c) {
            MismatchMap map(16, 256);
            for (std::uint32_t i = 0; i < 256; i += 16) {
                map.set(static_cast<std::uint32_t>((i + c) % 16), i,
                        ElementCategory::WithinContract, i * 7 + static_cast<std::uint32_t>(r));
            }
            if (c == 0) map.set(0, 0, ElementCategory::Mismatch, 99);
            auto encoded = encodeMismatchMap(map);
            checkStmt->bindAll(r, c, fmt::format("check {}", c), c == 0 ? "failed" : "passed",
                               c == 0 ? 1 : 0, std::span<const std::byte>(encoded));
            ASSERT_TRUE(checkStmt->run());
        }
    }
    ASSERT_TRUE(db->exec("COMMIT"));
}

/// The writer: opens (and so migrates) the history, then writes runs until killed. Reports
/// "O" once open and "C <uuid>" after each commit, on `fd`.
[[noreturn]] void writerProcess(const std::string& path, int fd, int cycle) {
    auto say = [fd](const std::string& line) {
        std::string l = line + "\n";
        if (::write(fd, l.data(), l.size()) < 0) _exit(9);
    };
    auto store = HistoryStore::open(path);
    if (!store) _exit(3);
    say("O");
    for (int i = 0;; ++i) {
        // Distinct from the template's 00000000-0000-4000-8000-... runs, which are already there.
        std::string uuid = fmt::format("{:08}-1111-4000-8000-{:012}", cycle, i);
        if (auto st = store->insertRun(crashRun(uuid, cycle * 1000 + i)); !st) {
            // Tell the test why: a write that fails on its own is a bug, not a crash.
            say("E " + st.error().format());
            _exit(4);
        }
        say("C " + uuid);
    }
}

void copyFile(const std::string& from, const std::string& to) {
    testing_support::writeBytes(to, testing_support::readBytes(from));
}

} // namespace

TEST(HistoryReliability, SurvivesSigkillDuringMigrationsAndRuns) {
    TempDir dir;
    const std::string templatePath = dir.file("v1-template.sqlite");
    std::set<std::string> v1Uuids;
    buildV1Template(templatePath, v1Uuids);
    const std::string path = dir.file("history.sqlite");

    std::mt19937 rng(20261126);
    std::set<std::string> committed;
    int killedBeforeOpen = 0;
    int killedAfterOpen = 0;
    for (int cycle = 0; cycle < 100; ++cycle) {
        SCOPED_TRACE("cycle " + std::to_string(cycle));
        const bool migrationCycle = cycle % 4 == 0;
        if (migrationCycle) {
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(path + suffix);
            copyFile(templatePath, path);
            committed = v1Uuids;
        }
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(fds[0]);
            writerProcess(path, fds[1], cycle);
        }
        ::close(fds[1]);
        // Migration cycles die early (inside the migration most of the time); others late.
        std::uniform_int_distribution<int> delayUs(0, migrationCycle ? 15000 : 25000);
        std::this_thread::sleep_for(std::chrono::microseconds(delayUs(rng)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        std::string said;
        char buf[4096];
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
            said.append(buf, static_cast<std::size_t>(n));
        ::close(fds[0]);
        ASSERT_TRUE(WIFSIGNALED(status))
            << "writer exited by itself with " << WEXITSTATUS(status) << "; it said:\n"
            << said;
        bool opened = false;
        std::vector<std::string> committedNow;
        std::size_t start = 0;
        for (std::size_t nl; (nl = said.find('\n', start)) != std::string::npos; start = nl + 1) {
            std::string line = said.substr(start, nl - start);
            if (line == "O") opened = true;
            if (line.rfind("C ", 0) == 0) committedNow.push_back(line.substr(2));
        }
        committed.insert(committedNow.begin(), committedNow.end());
        ++(opened ? killedAfterOpen : killedBeforeOpen);

        // The raw file first: it must open and be consistent at a whole schema version.
        {
            auto raw = SqliteConnection::open(path, SQLITE_OPEN_READWRITE);
            ASSERT_TRUE(raw);
            // The checker's own close need not checkpoint (and fsync) every cycle; the writers
            // checkpoint as they go, which is the behaviour under test.
            sqlite3_db_config(raw->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
            auto version = raw->queryInt("PRAGMA user_version");
            ASSERT_TRUE(version) << version.error().format();
            EXPECT_TRUE(*version == 1 || *version == currentSchemaVersion()) << *version;
            auto check = raw->prepare("PRAGMA integrity_check");
            ASSERT_TRUE(check && *check->step());
            ASSERT_EQ(check->text(0), "ok");
        }
        auto store = HistoryStore::open(path);
        ASSERT_TRUE(store) << store.error().format();
        sqlite3_db_config(store->connection().handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
                          nullptr);
        auto runs = store->listRuns();
        ASSERT_TRUE(runs);
        std::set<std::string> present;
        for (const auto& r : *runs)
            present.insert(r.uuid);
        for (const auto& uuid : committed)
            ASSERT_TRUE(present.contains(uuid)) << "lost " << uuid;
        // No run half-present: each has exactly the results its header counts.
        auto halfPresent = store->connection().queryInt(
            "SELECT count(*) FROM run r WHERE r.check_count != "
            "(SELECT count(*) FROM check_result c WHERE c.run_id = r.id)");
        ASSERT_TRUE(halfPresent);
        ASSERT_EQ(*halfPresent, 0);
        auto mapless = store->connection().queryInt(
            "SELECT count(*) FROM check_result c JOIN run r ON r.id = c.run_id WHERE r.command = "
            "'parity' AND NOT EXISTS (SELECT 1 FROM mismatch_map m WHERE m.check_id = c.id)");
        ASSERT_TRUE(mapless);
        ASSERT_EQ(*mapless, 0) << "a check lost its mismatch map";
        // Runs committed in this cycle load completely (older ones were loaded when they were new).
        for (const auto& uuid : committedNow) {
            auto loaded = store->loadRun(uuid);
            ASSERT_TRUE(loaded) << loaded.error().format();
            ASSERT_EQ(loaded->kernels.size(), 3u);
            ASSERT_EQ(loaded->findings.size(), 1u);
        }
    }
    std::printf("[          ] kills before the writer had opened/migrated: %d, after: %d\n",
                killedBeforeOpen, killedAfterOpen);
}

TEST(HistoryReliability, TwoProcessesWritingAtOnceBothSucceed) {
    TempDir dir;
    const std::string path = dir.file("shared/history.sqlite"); // neither creates it first
    constexpr int kRunsEach = 15;
    std::vector<pid_t> children;
    for (int writer = 0; writer < 2; ++writer) {
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            auto store = HistoryStore::open(path);
            if (!store) _exit(3);
            for (int i = 0; i < kRunsEach; ++i) {
                auto uuid = fmt::format("{:08}-0000-4000-8000-{:012}", writer + 1, i);
                if (!store->insertRun(crashRun(uuid, i))) _exit(4);
            }
            _exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer failed (3: open, 4: insert)";
    }
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->listRuns()->size(), 2u * kRunsEach);
    EXPECT_EQ(*store->integrityCheck(), "ok");
}
