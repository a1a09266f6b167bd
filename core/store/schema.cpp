#include "store/schema.h"

#include <array>
#include <fmt/format.h>

namespace ptxwb::store {

namespace {

// Version 1: the original layout. Mismatch maps lived inline in check_result.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE run (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  command TEXT NOT NULL,
  command_line TEXT NOT NULL,              -- JSON array of argv
  started_ms INTEGER NOT NULL,             -- Unix epoch milliseconds, UTC
  ended_ms INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error')),
  status_reason TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  gpu_name TEXT NOT NULL DEFAULT '',
  gpu_uuid TEXT NOT NULL DEFAULT '',
  sm_arch TEXT NOT NULL DEFAULT '',
  driver_version TEXT NOT NULL DEFAULT '',
  toolkit_version TEXT NOT NULL DEFAULT '',
  ptxwb_version TEXT NOT NULL DEFAULT '',
  git_revision TEXT NOT NULL DEFAULT '',
  kernel_set_name TEXT NOT NULL DEFAULT '',
  kernel_set_hash TEXT NOT NULL DEFAULT '',
  model_name TEXT NOT NULL DEFAULT '',
  model_hash TEXT NOT NULL DEFAULT '',
  seed INTEGER,                            -- u64 stored bit-for-bit in an i64
  check_count INTEGER NOT NULL DEFAULT 0,  -- denormalised so listing never scans results
  failed_check_count INTEGER NOT NULL DEFAULT 0,
  finding_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX run_started ON run (started_ms);
CREATE TABLE ptx_text (
  hash TEXT PRIMARY KEY,                   -- SHA-256 hex of the uncompressed text
  byte_size INTEGER NOT NULL,
  zstd BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE run_kernel (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  entry TEXT NOT NULL DEFAULT '',
  source_path TEXT NOT NULL DEFAULT '',
  ptx_hash TEXT REFERENCES ptx_text (hash),
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE TABLE check_result (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  kernels TEXT NOT NULL DEFAULT '[]',      -- JSON array of kernel names
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'skipped')),
  n_identical INTEGER NOT NULL DEFAULT 0,
  n_within_contract INTEGER NOT NULL DEFAULT 0,
  n_mismatch INTEGER NOT NULL DEFAULT 0,
  n_nan_inf INTEGER NOT NULL DEFAULT 0,
  n_unwritten INTEGER NOT NULL DEFAULT 0,
  n_overrun INTEGER NOT NULL DEFAULT 0,
  max_ulp INTEGER NOT NULL DEFAULT 0,
  max_rel_err REAL NOT NULL DEFAULT 0,
  first_mismatches TEXT NOT NULL DEFAULT '[]',
  evidence TEXT NOT NULL DEFAULT '{}',
  mismatch_map BLOB,
  UNIQUE (run_id, seq),
  UNIQUE (run_id, kind, name)
);
CREATE TABLE finding (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  rule_id TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'note')),
  kernel TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL DEFAULT '',
  line INTEGER NOT NULL DEFAULT 0,
  col INTEGER NOT NULL DEFAULT 0,
  end_line INTEGER NOT NULL DEFAULT 0,
  end_col INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL,
  related TEXT NOT NULL DEFAULT '[]',      -- JSON array of related locations
  fix_hint TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE trace_launch (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  op TEXT NOT NULL,
  kernel TEXT NOT NULL,
  entry TEXT NOT NULL DEFAULT '',
  grid_x INTEGER NOT NULL, grid_y INTEGER NOT NULL, grid_z INTEGER NOT NULL,
  block_x INTEGER NOT NULL, block_y INTEGER NOT NULL, block_z INTEGER NOT NULL,
  shared_bytes INTEGER NOT NULL DEFAULT 0,
  registers INTEGER NOT NULL DEFAULT 0,
  scalar_params TEXT NOT NULL DEFAULT '{}',
  position_path TEXT NOT NULL DEFAULT '',
  position_value INTEGER,
  duration_us REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE kv_validation (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  tensor TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'skipped')),
  mismatched_elements INTEGER NOT NULL DEFAULT 0,
  max_abs_diff REAL NOT NULL DEFAULT 0,
  expected_length INTEGER NOT NULL DEFAULT 0,
  actual_length INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
)sql";

// Version 2: mismatch maps move to their own table so listing, comparing and trends never page
// in megabytes of blobs; an index serves trend queries by check name.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE mismatch_map (
  check_id INTEGER PRIMARY KEY REFERENCES check_result (id) ON DELETE CASCADE,
  encoded BLOB NOT NULL                    -- encodeMismatchMap(): header + zstd frame
);
INSERT INTO mismatch_map (check_id, encoded)
  SELECT id, mismatch_map FROM check_result WHERE mismatch_map IS NOT NULL;
ALTER TABLE check_result DROP COLUMN mismatch_map;
CREATE INDEX check_result_name ON check_result (name, run_id);
)sql";

// Version 3: free-form labels per run (CI job, node of a cluster job array, branch), so runs
// merged from a fleet can still be told apart.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE run_label (
  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
)sql";

// Version 4: the engine phase of a trace launch and whether it ran as a CUDA graph node, so the
// trace view can badge graph launches (the decode path whose positions come from position_buf).
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE trace_launch ADD COLUMN phase TEXT NOT NULL DEFAULT '';
ALTER TABLE trace_launch ADD COLUMN from_graph INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr std::array<Migration, 4> kMigrations{{
    {1, "base schema: runs, results, PTX texts", kSchemaV1},
    {2, "mismatch maps in their own table; index on check name", kSchemaV2},
    {3, "run labels", kSchemaV3},
    {4, "trace launch phase and CUDA graph flag", kSchemaV4},
}};

} // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}
int currentSchemaVersion() {
    return kMigrations.back().toVersion;
}

Status migrate(SqliteConnection& db, int targetVersion) {
    if (targetVersion < 0) targetVersion = currentSchemaVersion();
    PTXWB_TRY(auto tx, Transaction::begin(db));
    PTXWB_TRY(std::int64_t appId, db.queryInt("PRAGMA application_id"));
    PTXWB_TRY(std::int64_t version, db.queryInt("PRAGMA user_version"));
    PTXWB_TRY(std::int64_t objects, db.queryInt("SELECT count(*) FROM sqlite_schema"));
    if (appId != kApplicationId && !(appId == 0 && version == 0 && objects == 0)) {
        // Anything but an empty file or one of ours: refuse to touch it.
        return makeError(ErrorKind::BadInput,
                         appId == 0 ? "an SQLite database, but not a ptxwb run history (it has "
                                      "other tables); it was left as is"
                                    : fmt::format("an SQLite database of another application "
                                                  "(application_id 0x{:08x}); it was left as is",
                                                  appId),
                         ErrorLocation::file(db.path()));
    }
    if (version > currentSchemaVersion()) {
        return makeError(ErrorKind::BadInput,
                         fmt::format("history schema version {} is newer than this ptxwb "
                                     "understands ({}); upgrade ptxwb",
                                     version, currentSchemaVersion()),
                         ErrorLocation::file(db.path()));
    }
    if (version >= targetVersion) return tx.commit();
    for (const auto& m : kMigrations) {
        if (m.toVersion <= version || m.toVersion > targetVersion) continue;
        if (auto st = db.exec(m.sql); !st) {
            return Unexpected{std::move(st.error())
                                  .withContext(fmt::format("migrating history to schema version "
                                                           "{} ({})",
                                                           m.toVersion, m.summary))};
        }
    }
    PTXWB_CHECK(db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId)));
    PTXWB_CHECK(db.exec(fmt::format("PRAGMA user_version = {}", targetVersion)));
    return tx.commit();
}

} // namespace ptxwb::store
