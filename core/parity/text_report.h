#pragma once
// Text and JUnit renderings of the JSON results of the parity, probe and selftest jobs (the JSON
// is what the worker returns, so the CLI formats the same thing whichever process ran the job).

#include <nlohmann/json.hpp>
#include <string>

namespace ptxwb::parity {

/// One table row per pair x shape x M with status and the worst evidence, then the totals.
std::string formatParityText(const nlohmann::json& result);
std::string formatParityJunit(const nlohmann::json& result);
std::string formatSelftestText(const nlohmann::json& result);
/// True when a kernel faulted or hung during the run: a sticky CUDA error cut it short
/// ("aborted"), or kernels hung ("hung") or faulted and were settled ("faulted"). Exit code 5.
bool runFaulted(const nlohmann::json& result);
/// True when any check failed or errored, or the run faulted (exit code 1 for --fail-on
/// mismatch, unless runFaulted says 5).
bool parityFailed(const nlohmann::json& result);
bool selftestFailed(const nlohmann::json& result);

} // namespace ptxwb::parity
