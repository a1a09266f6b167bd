#pragma once
// What every report format agrees on: which checks count as failing, in what order, and how the
// worst evidence of a check is put into words.

#include "store/run.h"

#include <string>
#include <vector>

namespace ptxwb::reports {

/// Failing checks (failed or error), worst first: errors, then by failing elements, then ULP.
[[nodiscard]] std::vector<const store::Check*> failingChecks(const store::Run& run);
/// "4096 ULP", "2^20 ULP" for large powers of two, "NaN" for the saturated value.
[[nodiscard]] std::string formatUlp(std::uint32_t ulp);
/// One line: "mismatch 768, NaN/Inf 1, unwritten 6 of 16384 elements" (only non-zero failing
/// categories; "all 16384 elements identical or within contract" otherwise).
[[nodiscard]] std::string countsLine(const store::Check& check);
/// The evidence of a failing check as short lines: counts, max ULP and relative error, the first
/// mismatches with both values, and the check's evidence fields.
[[nodiscard]] std::vector<std::string> worstEvidence(const store::Check& check);
/// "2025-11-24 16:00:00 UTC" and the duration "5.2 s".
[[nodiscard]] std::string formatDuration(std::int64_t startMs, std::int64_t endMs);
/// Environment as (label, value) rows, in the order a triage meeting asks about them.
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
environmentRows(const store::Environment& env);
/// The first 16 hex digits of a SHA-256: enough to tell content apart in a table.
[[nodiscard]] std::string shortHash(const std::string& hash);
/// "builtin (c4253e13003b0d95)", or whichever of the two is known.
[[nodiscard]] std::string nameWithHash(const std::string& name, const std::string& hash);
/// An environment difference's value as tables show it (hashes shortened).
[[nodiscard]] std::string environmentValueForDisplay(const std::string& field,
                                                     const std::string& value);
/// A number printed without trailing zeros ("0.4375", "1e-07", "NaN").
[[nodiscard]] std::string formatNumber(double value);

} // namespace ptxwb::reports
