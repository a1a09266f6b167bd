#pragma once
// SARIF 2.1.0 export of analyzer findings, self-contained: one run whose tool.driver.rules
// carries every rule of the table (id, name, descriptions, help from the rule page, default
// level), and one result per finding with its physical location, the kernel as a logical
// location, and the related locations. GitHub code scanning and IDE SARIF viewers read it.
//
// Columns: ptxwb columns count bytes; PTX is ASCII, so they equal the utf16CodeUnits columns
// SARIF assumes by default. Relative file paths are emitted with uriBaseId "%SRCROOT%".

#include "analysis/finding.h"

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace ptxwb::analysis {

/// The SARIF "level" of a severity ("error", "warning", "note").
[[nodiscard]] std::string_view sarifLevel(Severity s);
/// The complete SARIF log.
[[nodiscard]] nlohmann::json toSarif(const std::vector<Finding>& findings,
                                     std::string_view toolVersion);

} // namespace ptxwb::analysis
