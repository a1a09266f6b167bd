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

/// Fills GPU name/arch, driver and NVRTC versions from a worker job's "environment" object
/// (cuda::toJson of the GPU environment).
void applyGpuEnvironment(store::Environment& env, const nlohmann::json& environment);

/// SHA-256 of a file's bytes ("" if it cannot be read).
std::string fileSha256(const std::string& path);

/// Sets the end time and writes the run unless --no-history; prints where it went (stderr).
/// A history that cannot be written is a warning, not a failure of the command.
void recordRun(const GlobalOptions& global, store::Run& run);

} // namespace ptxwb::cli
