#pragma once
// The run history: one SQLite database file (WAL mode) holding every run of this machine, and
// of others once imported. Open it, insert runs (each in one transaction), query and merge.

#include "store/check_trend.h"
#include "store/run.h"
#include "store/sqlite_connection.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::store {

/// Which runs to list. Empty strings match everything.
struct RunFilter {
    std::string gpu;       ///< substring of the GPU name, case-insensitive
    std::string arch;      ///< exact SM architecture, "sm_90"
    std::string driver;    ///< driver version prefix, "550" matches "550.54.15"
    std::string toolkit;   ///< toolkit version prefix
    std::string kernelSet; ///< kernel-set name, or a prefix of its content hash
    std::string command;   ///< exact command ("parity")
    std::optional<RunStatus> status;
    std::size_t limit = 0; ///< newest N; 0 = all
};

struct LoadOptions {
    bool mismatchMaps = true; ///< decode maps (the bulk of a run's bytes)
    bool ptxTexts = false;    ///< fill KernelSource::ptxText
};

/// What an import did.
struct ImportSummary {
    std::size_t runsImported = 0;
    std::size_t runsAlreadyPresent = 0;
    std::vector<std::string> importedUuids;
};

/// One connection to a history file. Not thread-safe: use one HistoryStore per thread (or
/// process); any number of them may read and write the same file at once.
class HistoryStore {
public:
    enum class OpenMode {
        CreateIfMissing, ///< a missing file starts a new history (parent folders made)
        MustExist,       ///< read-write; a missing file is an error
        ReadOnly,        ///< never writes; an older schema is migrated in a private memory copy
    };

    /// Opens (and if needed creates or migrates) the history at `path`. A file that is not a
    /// ptxwb history (another format, another application's SQLite database, damaged, or from
    /// a newer ptxwb) is a BadInput error and the file is left untouched.
    static Expected<HistoryStore> open(const std::string& path,
                                       OpenMode mode = OpenMode::CreateIfMissing);

    [[nodiscard]] const std::string& path() const { return path_; }
    /// Writes the whole run in one transaction; a UUID already present is a Usage error.
    Status insertRun(const Run& run);
    Expected<bool> containsRun(const std::string& uuid);
    /// "latest", a full UUID or a unique prefix of one -> the full UUID.
    Expected<std::string> resolveRun(std::string_view reference);
    /// Newest first.
    Expected<std::vector<RunSummary>> listRuns(const RunFilter& filter = {});
    Expected<Run> loadRun(const std::string& uuid, const LoadOptions& options = {});
    /// The mismatch map of one check of a run, decoded on demand (a GUI lists checks with
    /// LoadOptions::mismatchMaps off and fetches the map the user opens); nullopt if it has none.
    Expected<std::optional<MismatchMap>> loadMismatchMap(const std::string& uuid, CheckKind kind,
                                                         const std::string& checkName);
    /// The PTX text stored under a SHA-256 hash.
    Expected<std::string> ptxText(const std::string& hash);
    /// The results of check `name` over the runs that match `filter`, oldest first.
    Expected<CheckTrend> trend(const std::string& checkName, const RunFilter& filter = {});
    /// Distinct check names containing `text` (for "did you mean" and unique-substring lookup).
    Expected<std::vector<std::string>> checkNamesContaining(std::string_view text,
                                                            std::size_t limit = 20);
    /// Copies every run of `otherPath` not present here (by UUID), in one transaction. PTX texts
    /// are shared by hash.
    Expected<ImportSummary> importFrom(const std::string& otherPath);
    /// Writes run `uuid` into the history at `targetPath` (created if missing).
    Status exportRun(const std::string& uuid, const std::string& targetPath);
    /// "ok" or SQLite's list of problems (PRAGMA integrity_check).
    Expected<std::string> integrityCheck();

    /// The underlying connection, for tests and tools that inspect the file.
    SqliteConnection& connection() { return db_; }

private:
    HistoryStore(SqliteConnection db, std::string path)
        : db_(std::move(db)), path_(std::move(path)) {}
    Expected<std::int64_t> runRowId(const std::string& uuid);
    Status insertResults(std::int64_t runId, const Run& run);
    Status insertPtxText(const KernelSource& kernel, std::string& hashOut);
    Status loadResults(std::int64_t runId, Run& run, const LoadOptions& options);

    SqliteConnection db_;
    std::string path_;
};

} // namespace ptxwb::store
