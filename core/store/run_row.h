#pragma once
// Internal to core/store: the run-header columns shared by listing and loading, and the JSON
// column helpers. Not part of the public API.

#include "store/run.h"
#include "store/sqlite_connection.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace ptxwb::store::detail {

/// SELECT list for a RunSummary (aliases the run table as r); readRunSummary() reads it.
inline constexpr const char* kRunSummaryColumns =
    "r.id, r.uuid, r.command, r.command_line, r.started_ms, r.ended_ms, r.status, "
    "r.status_reason, r.host, r.gpu_name, r.gpu_uuid, r.sm_arch, r.driver_version, "
    "r.toolkit_version, r.ptxwb_version, r.git_revision, r.kernel_set_name, r.kernel_set_hash, "
    "r.model_name, r.model_hash, r.seed, r.check_count, r.failed_check_count, r.finding_count";

/// Reads the columns of kRunSummaryColumns (row id first) from the current row.
Expected<RunSummary> readRunSummary(const Statement& row, const std::string& dbPath,
                                    std::int64_t* rowId = nullptr);

/// Fast path for the JSON arrays of strings the store writes (command lines, kernel lists):
/// nlohmann's general parser costs ~2 us per call, which dominated listing 10,000 runs. Returns
/// nullopt for anything it does not handle (surrogate pairs, other JSON), so callers fall back.
std::optional<std::vector<std::string>> decodeStringArray(std::string_view json);

/// Parses a JSON column; damage is a BadInput error naming the database and what was read.
Expected<nlohmann::json> parseJsonColumn(const std::string& text, const std::string& dbPath,
                                         const std::string& what);

} // namespace ptxwb::store::detail
