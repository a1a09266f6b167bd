#include "store/history_store.h"

#include "store/run_row.h"
#include "store/schema.h"
#include "util/paths.h"

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <thread>
#include <unordered_map>

namespace ptxwb::store {

namespace {

constexpr int kBusyTimeoutMs = 15000;

/// Looks at the first bytes before SQLite does: SQLite would happily "open" any file and only
/// fail later, and setting WAL mode would rewrite the header of a foreign SQLite file.
Status checkFileHeader(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorKind::BadInput, "cannot read the history database",
                         ErrorLocation::file(path));
    }
    char header[16] = {};
    in.read(header, sizeof(header));
    auto got = in.gcount();
    if (got == 0) return {}; // an empty file is an empty SQLite database
    static constexpr char kMagic[16] = "SQLite format 3";
    if (got < 16 || std::memcmp(header, kMagic, 16) != 0) {
        return makeError(ErrorKind::BadInput,
                         "not a ptxwb history database (no SQLite header); it was left as is",
                         ErrorLocation::bytes(path, 0));
    }
    return {};
}

/// journal_mode=WAL needs an exclusive lock for a moment; the busy handler does not cover it,
/// so another process creating the same file at the same time makes it fail with BUSY.
Status enableWal(SqliteConnection& db) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    for (;;) {
        auto st = db.exec("PRAGMA journal_mode = WAL");
        if (st) return {};
        int code = sqlite3_errcode(db.handle()) & 0xff;
        if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
            std::chrono::steady_clock::now() > deadline) {
            return st;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

/// Reads the identity of an existing file without writing anything.
Status checkIdentity(SqliteConnection& db) {
    PTXWB_TRY(std::int64_t appId, db.queryInt("PRAGMA application_id"));
    PTXWB_TRY(std::int64_t version, db.queryInt("PRAGMA user_version"));
    PTXWB_TRY(std::int64_t objects, db.queryInt("SELECT count(*) FROM sqlite_schema"));
    if (appId == kApplicationId || (appId == 0 && version == 0 && objects == 0)) {
        if (version > currentSchemaVersion()) {
            return makeError(ErrorKind::BadInput,
                             fmt::format("history schema version {} is newer than this ptxwb "
                                         "understands ({}); upgrade ptxwb",
                                         version, currentSchemaVersion()),
                             ErrorLocation::file(db.path()));
        }
        return {};
    }
    return makeError(ErrorKind::BadInput,
                     appId == 0 ? "an SQLite database, but not a ptxwb run history (it has other "
                                  "tables); it was left as is"
                                : fmt::format("an SQLite database of another application "
                                              "(application_id 0x{:08x}); it was left as is",
                                              appId),
                     ErrorLocation::file(db.path()));
}

/// A read-only view of an older schema: copy into memory and migrate the copy.
Expected<SqliteConnection> migratedMemoryCopy(SqliteConnection& source) {
    PTXWB_TRY(auto memory, SqliteConnection::openMemory());
    sqlite3_backup* backup = sqlite3_backup_init(memory.handle(), "main", source.handle(), "main");
    if (backup == nullptr) return memory.lastError("copying the history for migration");
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return source.lastError("copying the history for migration");
    PTXWB_CHECK(memory.exec("PRAGMA foreign_keys = ON"));
    PTXWB_CHECK(migrate(memory));
    return memory;
}

} // namespace

Expected<HistoryStore> HistoryStore::open(const std::string& path, OpenMode mode) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (exists) {
        if (std::filesystem::is_directory(path, ec)) {
            return makeError(ErrorKind::BadInput, "is a directory, not a history database",
                             ErrorLocation::file(path));
        }
        PTXWB_CHECK(checkFileHeader(path));
    } else if (mode != OpenMode::CreateIfMissing) {
        return makeError(ErrorKind::BadInput, "no such history database",
                         ErrorLocation::file(path));
    } else {
        auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) PTXWB_CHECK(makeDirectories(parent.string()));
    }

    int flags = mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == OpenMode::CreateIfMissing) flags |= SQLITE_OPEN_CREATE;
    PTXWB_TRY(auto db, SqliteConnection::open(path, flags));
    sqlite3_busy_timeout(db.handle(), kBusyTimeoutMs);
    PTXWB_CHECK(db.exec("PRAGMA foreign_keys = ON"));
    PTXWB_CHECK(checkIdentity(db));
    if (mode == OpenMode::ReadOnly) {
        PTXWB_TRY(std::int64_t version, db.queryInt("PRAGMA user_version"));
        if (version < currentSchemaVersion()) {
            PTXWB_TRY(auto copy, migratedMemoryCopy(db));
            return HistoryStore(std::move(copy), path);
        }
        return HistoryStore(std::move(db), path);
    }
    PTXWB_CHECK(enableWal(db));
    // NORMAL in WAL mode: a committed run survives a killed process; only a power loss may
    // drop the last transactions, never corrupt the file.
    PTXWB_CHECK(db.exec("PRAGMA synchronous = NORMAL"));
    PTXWB_CHECK(migrate(db));
    return HistoryStore(std::move(db), path);
}

Expected<std::int64_t> HistoryStore::runRowId(const std::string& uuid) {
    PTXWB_TRY(auto stmt, db_.prepare("SELECT id FROM run WHERE uuid = ?"));
    stmt.bindAll(uuid);
    PTXWB_TRY(bool row, stmt.step());
    if (!row) {
        return makeError(ErrorKind::Usage, fmt::format("no run {} in the history", uuid),
                         ErrorLocation::file(path_));
    }
    return stmt.int64(0);
}

Expected<bool> HistoryStore::containsRun(const std::string& uuid) {
    PTXWB_TRY(auto stmt, db_.prepare("SELECT 1 FROM run WHERE uuid = ?"));
    stmt.bindAll(uuid);
    return stmt.step();
}

Expected<std::string> HistoryStore::resolveRun(std::string_view reference) {
    if (reference.empty()) return makeError(ErrorKind::Usage, "empty run reference");
    if (reference == "latest") {
        PTXWB_TRY(auto stmt, db_.prepare("SELECT uuid FROM run ORDER BY started_ms DESC, id DESC "
                                         "LIMIT 1"));
        PTXWB_TRY(bool row, stmt.step());
        if (!row) {
            return makeError(ErrorKind::Usage, "the history has no runs yet",
                             ErrorLocation::file(path_));
        }
        return stmt.text(0);
    }
    std::string prefix(reference);
    for (auto& ch : prefix)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    PTXWB_TRY(auto stmt, db_.prepare("SELECT uuid FROM run WHERE substr(uuid, 1, length(?1)) = ?1 "
                                     "ORDER BY started_ms DESC LIMIT 6"));
    stmt.bindAll(prefix);
    std::vector<std::string> matches;
    for (;;) {
        PTXWB_TRY(bool row, stmt.step());
        if (!row) break;
        matches.push_back(stmt.text(0));
    }
    if (matches.empty()) {
        return makeError(
            ErrorKind::Usage,
            fmt::format("no run matches '{}' (give a UUID prefix or 'latest')", reference),
            ErrorLocation::file(path_));
    }
    if (matches.size() > 1) {
        Error e(ErrorKind::Usage, fmt::format("run prefix '{}' is ambiguous: it matches {}{} runs",
                                              reference, matches.size() > 5 ? "more than " : "",
                                              matches.size() > 5 ? 5 : matches.size()));
        for (std::size_t i = 0; i < matches.size() && i < 5; ++i)
            e.withNote(matches[i]);
        return e;
    }
    return matches.front();
}

namespace {
/// Appends " AND (...)" clauses for every field of `filter` (not its limit) to a query over
/// `run r`, with numbered parameters after those already in `binds`.
void appendRunFilter(const RunFilter& filter, std::string& sql, std::vector<std::string>& binds) {
    auto add = [&](const char* clause, const std::string& value) {
        binds.push_back(value);
        sql += fmt::format(" AND ({})", fmt::format(fmt::runtime(clause), binds.size()));
    };
    if (!filter.gpu.empty()) add("instr(lower(r.gpu_name), lower(?{0})) > 0", filter.gpu);
    if (!filter.arch.empty()) add("r.sm_arch = ?{0}", filter.arch);
    if (!filter.driver.empty()) {
        add("r.driver_version = ?{0} OR substr(r.driver_version, 1, length(?{0}) + 1) = ?{0} || "
            "'.'",
            filter.driver);
    }
    if (!filter.toolkit.empty()) {
        add("r.toolkit_version = ?{0} OR substr(r.toolkit_version, 1, length(?{0}) + 1) = ?{0} || "
            "'.'",
            filter.toolkit);
    }
    if (!filter.kernelSet.empty()) {
        add("r.kernel_set_name = ?{0} OR substr(r.kernel_set_hash, 1, length(?{0})) = ?{0}",
            filter.kernelSet);
    }
    if (!filter.command.empty()) add("r.command = ?{0}", filter.command);
    if (filter.status) add("r.status = ?{0}", runStatusName(*filter.status));
}
} // namespace

Expected<std::vector<RunSummary>> HistoryStore::listRuns(const RunFilter& filter) {
    std::string sql = fmt::format("SELECT {} FROM run r WHERE 1", detail::kRunSummaryColumns);
    std::vector<std::string> binds;
    appendRunFilter(filter, sql, binds);
    sql += " ORDER BY r.started_ms DESC, r.id DESC";
    if (filter.limit > 0) sql += fmt::format(" LIMIT {}", filter.limit);

    PTXWB_TRY(auto stmt, db_.prepare(sql));
    for (std::size_t i = 0; i < binds.size(); ++i)
        stmt.bind(static_cast<int>(i + 1), binds[i]);
    std::vector<RunSummary> runs;
    std::unordered_map<std::int64_t, std::size_t> byRowId;
    for (;;) {
        PTXWB_TRY(bool row, stmt.step());
        if (!row) break;
        std::int64_t rowId = 0;
        PTXWB_TRY(auto summary, detail::readRunSummary(stmt, path_, &rowId));
        byRowId.emplace(rowId, runs.size());
        runs.push_back(std::move(summary));
    }
    // Labels in one pass over the (usually tiny) label table instead of one query per run.
    PTXWB_TRY(auto labels, db_.prepare("SELECT run_id, key, value FROM run_label"));
    for (;;) {
        PTXWB_TRY(bool row, labels.step());
        if (!row) break;
        if (auto it = byRowId.find(labels.int64(0)); it != byRowId.end()) {
            runs[it->second].labels[labels.text(1)] = labels.text(2);
        }
    }
    return runs;
}

Expected<std::string> HistoryStore::integrityCheck() {
    PTXWB_TRY(auto stmt, db_.prepare("PRAGMA integrity_check"));
    std::string out;
    for (;;) {
        PTXWB_TRY(bool row, stmt.step());
        if (!row) break;
        if (!out.empty()) out += '\n';
        out += stmt.text(0);
    }
    return out;
}

Expected<std::vector<std::string>> HistoryStore::checkNamesContaining(std::string_view text,
                                                                      std::size_t limit) {
    PTXWB_TRY(auto stmt, db_.prepare("SELECT DISTINCT name FROM check_result "
                                     "WHERE instr(lower(name), lower(?1)) > 0 ORDER BY name "
                                     "LIMIT ?2"));
    stmt.bindAll(std::string(text), static_cast<std::int64_t>(limit));
    std::vector<std::string> names;
    for (;;) {
        PTXWB_TRY(bool row, stmt.step());
        if (!row) break;
        names.push_back(stmt.text(0));
    }
    return names;
}

Expected<CheckTrend> HistoryStore::trend(const std::string& checkName, const RunFilter& filter) {
    std::string sql =
        "SELECT r.uuid, r.started_ms, r.gpu_name, r.sm_arch, r.driver_version, r.toolkit_version, "
        "r.kernel_set_hash, c.status, c.max_ulp, "
        "c.n_mismatch + c.n_nan_inf + c.n_unwritten + c.n_overrun "
        "FROM check_result c JOIN run r ON r.id = c.run_id WHERE c.name = ?1";
    std::vector<std::string> binds{checkName};
    appendRunFilter(filter, sql, binds);
    sql += " ORDER BY r.started_ms, r.id";
    PTXWB_TRY(auto stmt, db_.prepare(sql));
    for (std::size_t i = 0; i < binds.size(); ++i)
        stmt.bind(static_cast<int>(i + 1), binds[i]);
    CheckTrend trend;
    trend.checkName = checkName;
    for (;;) {
        PTXWB_TRY(bool row, stmt.step());
        if (!row) break;
        TrendPoint p;
        p.runUuid = stmt.text(0);
        p.startedUnixMs = stmt.int64(1);
        p.gpuName = stmt.text(2);
        p.smArch = stmt.text(3);
        p.driverVersion = stmt.text(4);
        p.toolkitVersion = stmt.text(5);
        p.kernelSetHash = stmt.text(6);
        auto status = parseCheckStatus(stmt.text(7));
        if (!status) {
            return makeError(
                ErrorKind::BadInput,
                fmt::format("run {}: unknown check status '{}'", p.runUuid, stmt.text(7)),
                ErrorLocation::file(path_));
        }
        p.status = *status;
        p.maxUlp = static_cast<std::uint32_t>(stmt.int64(8));
        p.failingElements = static_cast<std::uint64_t>(stmt.int64(9));
        trend.points.push_back(std::move(p));
    }
    trend.groups = groupTrend(trend.points);
    return trend;
}

} // namespace ptxwb::store
