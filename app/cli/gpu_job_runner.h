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
#include <nlohmann/json.hpp>

namespace ptxwb::cli {

inline Expected<nlohmann::json> runGpuJob(const GlobalOptions& global, const std::string& name,
                                          const nlohmann::json& params,
                                          std::chrono::seconds deadline, bool showProgress) {
    const char* inProcess = std::getenv("PTXWB_IN_PROCESS");
    if (inProcess == nullptr || std::string(inProcess) != "1") {
        GlobalOptions options = global;
        options.noProgress = options.noProgress || !showProgress;
        return runJobInWorker(options, worker::JobRequest{name, params, deadline});
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

} // namespace ptxwb::cli
