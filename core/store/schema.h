#pragma once
// The history database schema, versioned with PRAGMA user_version. Migration N takes a database
// from version N-1 to N; all pending migrations run in one transaction, so a crash mid-way
// leaves the file at its old version, never between two.

#include "store/sqlite_connection.h"

#include <cstdint>
#include <span>

namespace ptxwb::store {

/// PRAGMA application_id of a ptxwb history database ("PXWB"): tells ours from a foreign file.
inline constexpr std::int64_t kApplicationId = 0x50585742;

struct Migration {
    int toVersion;
    const char* summary;
    const char* sql;
};

/// Every migration in order; the last one's toVersion is the current schema version.
[[nodiscard]] std::span<const Migration> migrations();
[[nodiscard]] int currentSchemaVersion();

/// Brings the database to `targetVersion` (default: current) inside one BEGIN IMMEDIATE
/// transaction, re-reading the version under the lock so two processes opening a new file at
/// once migrate it exactly once. Refuses a database newer than this ptxwb or with another
/// application id.
Status migrate(SqliteConnection& db, int targetVersion = -1);

} // namespace ptxwb::store
