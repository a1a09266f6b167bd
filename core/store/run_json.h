#pragma once
// JSON forms of runs, comparisons and trends: `ptxwb history ... --format json` and the JSON
// report. The shapes are documented in resources/schemas/ptxwb-report.schema.json; keep the two
// in step (the report tests validate output against the schema).

#include "store/check_trend.h"
#include "store/history_store.h"
#include "store/run_compare.h"

#include <nlohmann/json.hpp>

namespace ptxwb::store {

[[nodiscard]] nlohmann::json toJson(const Environment& environment);
[[nodiscard]] nlohmann::json toJson(const RunSummary& summary);
/// A check with its evidence; a mismatch map appears as its shape and counts (the map itself
/// stays in the database and in heatmaps).
[[nodiscard]] nlohmann::json toJson(const Check& check);
[[nodiscard]] nlohmann::json toJson(const Finding& finding);
/// The whole run: summary fields plus kernels, checks, findings, trace and KV validation.
[[nodiscard]] nlohmann::json toJson(const Run& run);
[[nodiscard]] nlohmann::json toJson(const RunComparison& comparison);
[[nodiscard]] nlohmann::json toJson(const CheckTrend& trend);
[[nodiscard]] nlohmann::json toJson(const ImportSummary& summary);

} // namespace ptxwb::store
