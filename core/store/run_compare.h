#pragma once
// Comparing two runs: which checks changed, and the differences in environment and kernel
// source that could explain it. A pure function of two loaded runs.

#include "store/run.h"

#include <string>
#include <vector>

namespace ptxwb::store {

enum class CheckChange {
    Same,            ///< same status and same evidence
    NewlyFailing,    ///< passed (or skipped) in A, failed or errored in B
    NewlyPassing,    ///< failed or errored in A, passed in B
    EvidenceChanged, ///< same status, different counts, ULPs, first mismatches or evidence
    StatusChanged,   ///< any other status change (failed <-> error, passed <-> skipped)
    OnlyInA,         ///< check not run in B
    OnlyInB,         ///< check new in B
};
[[nodiscard]] const char* checkChangeName(CheckChange change);

/// One piece of a check's evidence that differs between the runs, as short display text:
/// "failing elements", "max ULP", "max relative error", "first mismatch", or a key of
/// Check::evidence ("summary", "candidate_vs_cpu" ...). Values longer than 160 characters are
/// cut with "...".
struct EvidenceDifference {
    std::string field;
    std::string a;
    std::string b;
};

/// One check as seen in both runs.
struct CheckComparison {
    CheckKind kind = CheckKind::Parity;
    std::string name;
    CheckChange change = CheckChange::Same;
    std::optional<CheckStatus> statusA;
    std::optional<CheckStatus> statusB;
    std::uint32_t maxUlpA = 0;
    std::uint32_t maxUlpB = 0;
    std::uint64_t failingElementsA = 0;
    std::uint64_t failingElementsB = 0;
    /// Kernels of this check whose PTX differs between the runs: the likeliest explanation.
    std::vector<std::string> changedKernels;
    /// What differs in the evidence (for checks in both runs; empty when the same). Timings
    /// (evidence key "timing") are measurements, not evidence, and never listed.
    std::vector<EvidenceDifference> evidence;
};

/// A field of the environment that differs ("driver_version": "550.54" -> "555.42").
struct EnvironmentDifference {
    std::string field;
    std::string a;
    std::string b;
};

/// A kernel whose PTX differs (or that exists in one run only: the other hash is empty).
struct KernelSourceDifference {
    std::string kernel;
    std::string ptxHashA;
    std::string ptxHashB;
    bool inA = true; ///< false: the kernel is not in run A at all (an empty hash with inA means
                     ///< it ran, but its PTX was not recorded, e.g. no NVRTC where it was recorded)
    bool inB = true;
};
/// "(absent)", "(no PTX recorded)" or the first 16 hex digits of the hash, for tables.
[[nodiscard]] std::string kernelSourceLabel(bool present, const std::string& hash);

struct RunComparison {
    RunSummary a;
    RunSummary b;
    std::vector<EnvironmentDifference> environment;
    std::vector<KernelSourceDifference> kernelSources;
    std::vector<CheckComparison> checks; ///< in B's order, then checks only in A

    [[nodiscard]] std::size_t count(CheckChange change) const;
    /// True when B fails a check that A passed (the CLI's exit code 1).
    [[nodiscard]] bool hasRegressions() const { return count(CheckChange::NewlyFailing) > 0; }
};

/// Compares runs A (baseline) and B; checks are matched by (kind, name).
[[nodiscard]] RunComparison compareRuns(const Run& a, const Run& b);
/// The environment fields that differ, in a fixed order with database column names. Run labels
/// that differ (the settings a command records, e.g. the input distribution) follow as
/// "label:KEY"; compareRuns adds them.
[[nodiscard]] std::vector<EnvironmentDifference> environmentDifferences(const Environment& a,
                                                                        const Environment& b);

} // namespace ptxwb::store
