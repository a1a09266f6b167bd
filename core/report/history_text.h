#pragma once
// Plain-text views of the history for `ptxwb history ...`: aligned tables a person reads in a
// terminal (the --format json output comes from store/run_json.h).

#include "store/check_trend.h"
#include "store/history_store.h"
#include "store/run_compare.h"

#include <string>
#include <vector>

namespace ptxwb::reports {

/// One line per run: short UUID, start time, command, status, checks, GPU, arch, driver.
[[nodiscard]] std::string formatRunList(const std::vector<store::RunSummary>& runs);
/// Header, environment, then failing checks with evidence, findings and a per-status tally.
[[nodiscard]] std::string formatRunDetails(const store::Run& run);
/// Changed checks grouped by kind of change, then what differs in environment and PTX.
[[nodiscard]] std::string formatComparison(const store::RunComparison& comparison);
[[nodiscard]] std::string formatTrend(const store::CheckTrend& trend);
[[nodiscard]] std::string formatImportSummary(const store::ImportSummary& summary,
                                              const std::string& source);

} // namespace ptxwb::reports
