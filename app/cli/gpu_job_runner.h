#pragma once
// Runs a registered worker job for a CLI command. Today the job runs in this process; once the
// worker supervisor is on main this is the one place that switches to `ptxwb worker` (with the
// job's deadline), so every GPU command gets fault isolation at once.

#include "cli_output.h"
#include "worker/job.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {

inline Expected<nlohmann::json> runGpuJob(const std::string& name, const nlohmann::json& params,
                                          bool showProgress) {
    const worker::JobHandler* job = worker::findJob(name);
    if (job == nullptr)
        return makeError(ErrorKind::Internal, fmt::format("no worker job '{}'", name));
    ProgressLine line(showProgress);
    worker::JobContext ctx;
    ctx.progress = line.sink();
    ctx.log = [&line](const std::string& message) {
        line.finish();
        fmt::print(stderr, "{}\n", message);
    };
    auto result = (*job)(params, ctx);
    line.finish();
    return result;
}

} // namespace ptxwb::cli
