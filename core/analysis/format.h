#pragma once
// Text and JSON renderings of findings (SARIF is in sarif.h).
//
// JSON schema (version 1), one object:
//   { "schema": "ptxwb-findings", "version": 1,
//     "findings": [ {
//         "rule": "shared-address-64bit", "severity": "error" | "warning" | "note",
//         "kernel": "batched_rmsnorm",
//         "location": { "file": "b.ptx", "line": 42, "column": 17, "endLine": 42,
//                       "endColumn": 23, "offset": 1234, "length": 7 },
//         "message": "...",
//         "related": [ { "location": { ...as above... }, "message": "..." } ],
//         "fix": "..." } ],
//     "kernels": [ { "file": "b.ptx", "kernel": "...", "variant": "single" | "batched",
//                    "batchAxis": "grid.y" | "loop" | ..., "positions": "none" | "direct" |
//                    "indirect" | "batched-positions" (joined with '+'), "pairedWith": "...",
//                    "contract": "manifest" | "inferred", "instructions": 123 } ],
//     "counts": { "error": 1, "warning": 0, "note": 2 } }
// Lines and columns are 1-based; columns count bytes; endColumn is the last byte's column.
// A finding without a position (line 0) has no "line"/"column" keys.

#include "analysis/analyzer.h"
#include "analysis/finding.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::analysis {

/// Clang-style: "file:line:col: severity: message [rule]", the source line, a caret line,
/// then each related location as a note with its own caret line, then "fix:" with the hint.
[[nodiscard]] std::string formatText(const std::vector<Finding>& findings, bool color = false);
/// The per-kernel table of --summary.
[[nodiscard]] std::string formatSummary(const std::vector<KernelSummary>& kernels);
[[nodiscard]] nlohmann::json toJson(const SourceLocation& location);
[[nodiscard]] nlohmann::json toJson(const AnalysisReport& report);

} // namespace ptxwb::analysis
