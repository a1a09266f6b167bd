#pragma once
// Whole parity, probe and selftest jobs, driven by JSON parameters and returning JSON results.
// These are the bodies of the worker jobs "parity", "probe" and "selftest"; the CLI runs them in
// the worker (or in-process until the worker lands) and formats the JSON.

#include "gguf/gguf_file.h"
#include "kernels/manifest.h"
#include "util/expected.h"
#include "util/progress.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::parity {

/// params: kernel_set (dir, "" = built-in), pairs [names], m [ints], shapes [strings],
/// seed, distribution, timing_reps, measure_bandwidth (bool), model, tensor, first_check,
/// hung_checks [{check, reason}] (checks reported as errors without being run).
/// Result: environment, copy_bandwidth_gbps, checks [...], totals; "aborted" on a sticky fault.
Expected<nlohmann::json> runParityJob(const nlohmann::json& params, const ProgressSink& progress,
                                      const CancelToken& cancel);

/// A weight matrix of a model that a GEMV kernel can take.
struct GemvTensor {
    std::string name;
    kernels::WeightFormat format = kernels::WeightFormat::None;
    int rows = 0;
    int rowLength = 0;
};
/// The model's weight matrices for `parity --model`: the tensor `only`, or (empty) every 2-D
/// tensor whose format has GEMV kernels and whose rows are whole 256-value units, except the
/// token embedding (a lookup table, not a GEMV weight) unless the model ties its output head to
/// it. A named tensor that is missing or not such a matrix is an error.
Expected<std::vector<GemvTensor>> gemvTensors(const gguf::GgufFile& model, const std::string& only);

/// params: kernel_set, kernel, n, k, seed.
/// True when a sticky CUDA error stopped a parity result before its last planned check: the
/// rest can run in a fresh worker with params["first_check"] = result["next_check"].
[[nodiscard]] bool parityRunCutShort(const nlohmann::json& result);
/// Appends {key: id, "reason": reason} to the JSON array `list` (made an array if it is not one)
/// unless an entry with that id is there already; false then. The shared step of
/// markParityCheckHung and settleSelftestKernel.
bool addSkipEntry(nlohmann::json& list, const char* key, const nlohmann::json& id,
                  const std::string& reason);
/// Marks planned check `check` (the progress index a stalled parity job last reported) as hung
/// in the job's params, so that running the job again reports it as an error with `reason`
/// instead of launching it. False when it was already marked (the run should give up).
bool markParityCheckHung(nlohmann::json& params, std::uint64_t check, const std::string& reason);
/// Appends the checks and totals of a continuation (run from "first_check") to `merged`; both
/// runs' sticky errors stay in "aborted", and "next_check" follows the continuation.
void appendParityContinuation(nlohmann::json& merged, const nlohmann::json& next);

Expected<nlohmann::json> runProbeJob(const nlohmann::json& params, const ProgressSink& progress,
                                     const CancelToken& cancel);

/// params: kernel_set, static_only (bool). Result: static [...] and (unless static_only) zoo [...]
/// and good [...] rows, and totals (escaped mutants, failed good kernels, pending checks).
Expected<nlohmann::json> runSelftestJob(const nlohmann::json& params, const ProgressSink& progress,
                                        const CancelToken& cancel);

/// Settles `kernel` for the next run of a selftest job: a kernel that hung its worker (named by
/// the job's last progress report) or left a sticky CUDA error is reported with `reason` instead
/// of being run again. False when it was already settled (the caller should give up).
bool settleSelftestKernel(nlohmann::json& params, const std::string& kernel,
                          const std::string& reason);

/// The environment record of a run on the current device (GPU, arch, driver, NVRTC, set hash).
nlohmann::json environmentRecord(const std::string& kernelSetHash);

} // namespace ptxwb::parity
