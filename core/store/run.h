#pragma once
// store::Run: one recorded invocation of ptxwb with its environment and every result.

#include "store/results.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ptxwb::store {

enum class RunStatus {
    Passed,
    Failed, ///< completed, and at least one check failed
    Error,  ///< did not complete (reason says why: GPU fault, deadline, JIT error)
};
[[nodiscard]] const char* runStatusName(RunStatus status);
[[nodiscard]] std::optional<RunStatus> parseRunStatus(std::string_view name);

/// Everything about the machine and inputs that can explain why two runs differ.
struct Environment {
    std::string host;
    std::string gpuName;        ///< "NVIDIA H100 80GB HBM3"
    std::string gpuUuid;        ///< "GPU-..." from the driver
    std::string smArch;         ///< "sm_90"
    std::string driverVersion;  ///< "550.54.15"
    std::string toolkitVersion; ///< NVRTC / CUDA toolkit, "12.4"
    std::string ptxwbVersion;
    std::string gitRevision; ///< of ptxwb
    std::string kernelSetName;
    std::string kernelSetHash; ///< SHA-256 of the kernel set's content
    std::string modelName;
    std::string modelHash;
    std::optional<std::uint64_t> seed;
    friend bool operator==(const Environment&, const Environment&) = default;
};

/// A whole run as written to and read from the store.
struct Run {
    std::string uuid;    ///< lower-case RFC 4122 text; newRunUuid() makes one
    std::string command; ///< the ptxwb command that made it: "parity", "analyze", "qa" ...
    std::vector<std::string> commandLine; ///< argv, so a report can print the reproducer
    std::int64_t startedUnixMs = 0;
    std::int64_t endedUnixMs = 0;
    RunStatus status = RunStatus::Passed;
    std::string statusReason; ///< why it failed or errored; empty when passed
    Environment environment;
    std::map<std::string, std::string> labels; ///< free-form: CI job, node, branch ...

    std::vector<KernelSource> kernels;
    std::vector<Check> checks;
    std::vector<Finding> findings;
    std::vector<TraceLaunch> traceLaunches;
    std::vector<KvValidation> kvValidations;
};

/// A run's header and counts, as listed (no results loaded).
struct RunSummary {
    std::string uuid;
    std::string command;
    std::vector<std::string> commandLine;
    std::int64_t startedUnixMs = 0;
    std::int64_t endedUnixMs = 0;
    RunStatus status = RunStatus::Passed;
    std::string statusReason;
    Environment environment;
    std::map<std::string, std::string> labels;
    std::uint32_t checkCount = 0;
    std::uint32_t failedCheckCount = 0;
    std::uint32_t findingCount = 0;
};

/// The header of `run` with counts computed from its results.
[[nodiscard]] RunSummary summarize(const Run& run);

/// A fresh random (version 4) UUID.
[[nodiscard]] std::string newRunUuid();
/// Milliseconds since the Unix epoch, now.
[[nodiscard]] std::int64_t nowUnixMs();
/// "2026-11-26T15:30:28.123Z".
[[nodiscard]] std::string formatUtc(std::int64_t unixMs);
/// argv joined for a POSIX shell, quoting only where needed: the line a report prints to rerun.
[[nodiscard]] std::string shellCommandLine(const std::vector<std::string>& argv);

} // namespace ptxwb::store
