#pragma once
// Records a finished command in the run history (--db, default in the XDG data dir): the run's
// identity, command line and environment, plus whatever results the command adds. Commands that
// check something call this so that every run can be listed, compared and reported later.

#include "command_registry.h"
#include "store/run.h"

#include <nlohmann/json.hpp>

namespace ptxwb::cli {

/// A Run with a fresh UUID, the command line, the host, the ptxwb version and the start time.
store::Run beginRun(const GlobalOptions& global, const std::string& command);

/// SHA-256 of a file's bytes ("" if it cannot be read).
std::string fileSha256(const std::string& path);

/// Sets the end time and writes the run unless --no-history; prints where it went (stderr).
/// A history that cannot be written is a warning, not a failure of the command.
void recordRun(const GlobalOptions& global, store::Run& run);

} // namespace ptxwb::cli

#include "util/expected.h"

#include <functional>

namespace ptxwb::cli {

/// Converts a GPU job's result into the run's results (record::addParityResult and friends).
using JobResultRecorder = std::function<Status(store::Run&, const nlohmann::json&)>;

/// Records a GPU job (parity, probe, selftest, trace) begun with beginRun(): the job's results
/// through `addResults`, the exact PTX of the kernels it used (from the kernel set at
/// `kernelSetDir`, "" = built-in), and the status its checks give. A job that died (GPU fault,
/// deadline, crashed worker) is recorded as an error run with the reason; usage and
/// environment errors (no GPU, bad options) ran nothing and are not recorded.
void recordJobRun(const GlobalOptions& global, store::Run run,
                  const Expected<nlohmann::json>& result, const JobResultRecorder& addResults,
                  const std::string& kernelSetDir);

} // namespace ptxwb::cli
