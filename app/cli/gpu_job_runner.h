#pragma once
// Runs a GPU job for a CLI command in a supervised `ptxwb worker` child, so a faulting or hanging
// kernel kills the worker, not the command, and the command ends within the job's deadline.
// PTXWB_IN_PROCESS=1 runs the job in this process instead (debugging a job under a debugger).

#include "cli_output.h"
#include "worker/job.h"
#include "worker_client.h"

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace ptxwb::cli {

/// How long a GPU job may go without progress once it started reporting (see
/// JobRequest::stallTimeout), and where to say which step hung. In-process runs have neither.
struct StallWatch {
    std::chrono::milliseconds timeout{0};
    std::optional<ProgressUpdate>* stalledAt = nullptr;
};

inline Expected<nlohmann::json> runGpuJob(const GlobalOptions& global, const std::string& name,
                                          const nlohmann::json& params,
                                          std::chrono::seconds deadline, bool showProgress,
                                          const StallWatch& stall = {}) {
    const char* inProcess = std::getenv("PTXWB_IN_PROCESS");
    if (inProcess == nullptr || std::string(inProcess) != "1") {
        GlobalOptions options = global;
        options.noProgress = options.noProgress || !showProgress;
        worker::JobRequest request{name, params, deadline};
        request.stallTimeout = stall.timeout;
        return runJobInWorker(options, request, stall.stalledAt);
    }
    const worker::JobHandler* job = worker::findJob(name);
    if (job == nullptr)
        return makeError(ErrorKind::Internal, fmt::format("no worker job '{}'", name));
    ProgressLine line(showProgress && !global.noProgress);
    worker::JobContext ctx;
    ctx.progress = line.sink();
    ctx.log = [&line](const std::string& message) {
        line.finish();
        fmt::print(stderr, "{}\n", message);
    };
    auto result =
        (*job)(withDevice(global, worker::JobRequest{name, params, deadline}).params, ctx);
    line.finish();
    return result;
}

/// Why a step of a GPU job was given up after `seconds` without progress: "STEP did not finish
/// within S s (a hung kernel); the worker was killed" (without the step when it is empty). The one
/// wording parity, selftest and probe report a hung kernel with.
inline std::string hungKernelReason(const std::string& step, int seconds) {
    return fmt::format("{}did not finish within {} s (a hung kernel); the worker was killed",
                       step.empty() ? "" : step + " ", seconds);
}

/// Runs a job that reports a step before each kernel it launches, past kernels that never return:
/// when the job makes no progress for `checkTimeout`, its worker is killed and `settle` gets the
/// step it hung in, and changes `params` so that the next run reports that step instead of
/// launching it (returning false when it cannot: then the stalled job's error is returned). The
/// job then runs again in a fresh worker.
inline Expected<nlohmann::json>
runGpuJobPastHangs(const GlobalOptions& global, const std::string& name, nlohmann::json& params,
                   std::chrono::seconds deadline, bool showProgress,
                   std::chrono::seconds checkTimeout,
                   const std::function<bool(const ProgressUpdate&, nlohmann::json&)>& settle) {
    for (;;) {
        std::optional<ProgressUpdate> stalledAt;
        auto result = runGpuJob(global, name, params, deadline, showProgress,
                                StallWatch{checkTimeout, &stalledAt});
        if (result || !stalledAt || !settle(*stalledAt, params)) return result;
    }
}

} // namespace ptxwb::cli
