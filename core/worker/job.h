#pragma once
// A worker job: a named function that takes JSON parameters and returns a JSON result, run in
// the `ptxwb worker` process so that a faulting or hanging kernel cannot take down its caller.
// Jobs register themselves (PTXWB_REGISTER_JOB) from the file that implements them.

#include "util/expected.h"
#include "util/progress.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::worker {

/// What a running job may use to talk to its caller.
struct JobContext {
    ProgressSink progress;                               ///< -> `progress` events
    std::function<void(const std::string& message)> log; ///< -> `log` events
    CancelToken cancel;                                  ///< set by a `cancel` request
};

/// Runs a job; a returned error becomes an `error` event (kind, message, location).
using JobHandler =
    std::function<Expected<nlohmann::json>(const nlohmann::json& params, JobContext&)>;

bool registerJob(const std::string& name, JobHandler handler);
/// nullptr when no job of that name exists.
const JobHandler* findJob(const std::string& name);
std::vector<std::string> registeredJobNames();

} // namespace ptxwb::worker

/// At namespace scope: PTXWB_REGISTER_JOB(gpu_info, "gpu-info", runGpuInfoJob);
#define PTXWB_REGISTER_JOB(id, name, handler)                                                      \
    [[maybe_unused]] static const bool ptxwb_job_registered_##id =                                 \
        ::ptxwb::worker::registerJob(name, handler)
