// `ptxwb selftest [--static-only]`: the bug zoo must be caught and every good kernel must pass.
#include "cli_output.h"
#include "command_registry.h"
#include "gpu_job_runner.h"
#include "parity/parity_job.h"
#include "parity/text_report.h"
#include "record/job_results.h"
#include "run_recorder.h"

#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

struct SelftestOptions {
    std::string kernelSet, format = "text";
    bool staticOnly = false;
    int checkTimeoutSeconds = 60;
};

/// Runs the selftest job; a kernel that hangs the worker (no progress for --check-timeout) or
/// leaves a sticky CUDA error is settled as an error row and the job runs again in a fresh
/// worker without it, so one bad kernel does not hide the verdict on the others. The kernels
/// that ended this way are listed in result["hung"] and result["faulted"].
Expected<nlohmann::json> runSelftestJobs(CommandLine& cl, const SelftestOptions& o,
                                         nlohmann::json& params) {
    nlohmann::json hung = nlohmann::json::array(), faulted = nlohmann::json::array();
    auto settleHang = [&](const ProgressUpdate& step, nlohmann::json& p) {
        // The selftest job reports each kernel's name as the step it is at; its row names it.
        if (!parity::settleSelftestKernel(p, step.phase,
                                          hungKernelReason({}, o.checkTimeoutSeconds)))
            return false;
        hung.push_back(step.phase);
        printWarning(fmt::format("{} hung; running the rest in a fresh worker", step.phase));
        return true;
    };
    for (;;) {
        auto result = runGpuJobPastHangs(cl.global(), "selftest", params, std::chrono::seconds(300),
                                         o.format == "text",
                                         std::chrono::seconds(o.checkTimeoutSeconds), settleHang);
        if (result && result->contains("faulted_kernel")) {
            const auto kernel = (*result)["faulted_kernel"].get<std::string>();
            const auto reason = result->value("fault", std::string("sticky CUDA error"));
            if (parity::settleSelftestKernel(params, kernel, reason)) {
                faulted.push_back(kernel);
                printWarning(fmt::format("{} left a sticky CUDA error; running the rest in a fresh "
                                         "worker",
                                         kernel));
                continue;
            }
        }
        if (result && !hung.empty()) (*result)["hung"] = hung;
        if (result && !faulted.empty()) (*result)["faulted"] = faulted;
        return result;
    }
}

int runSelftest(CommandLine& cl, const SelftestOptions& o) {
    nlohmann::json params{{"kernel_set", o.kernelSet}, {"static_only", o.staticOnly}};
    store::Run run = beginRun(cl.global(), "selftest");
    if (o.staticOnly) run.labels["static_only"] = "yes";
    auto result = runSelftestJobs(cl, o, params);
    recordJobRun(cl.global(), std::move(run), result, record::addSelftestResult, o.kernelSet);
    if (!result) return printError(result.error());
    if (o.format == "json")
        fmt::print("{}\n", result->dump(2));
    else
        fmt::print("{}", parity::formatSelftestText(*result));
    if (parity::runFaulted(*result)) return exit_code::fault;
    return parity::selftestFailed(*result) ? exit_code::checksFailed : exit_code::ok;
}

void setupSelftestCommand(CommandLine& cl) {
    auto o = std::make_shared<SelftestOptions>();
    auto* sub = cl.app().add_subcommand("selftest", "Prove the workbench catches its own bug zoo");
    sub->add_option("--kernel-set", o->kernelSet, "Kernel set directory (default: built-in)");
    sub->add_flag("--static-only", o->staticOnly, "Only the checks that need no GPU");
    sub->add_option("--format", o->format, "text or json");
    sub->add_option("--check-timeout", o->checkTimeoutSeconds,
                    "Seconds one kernel's checks may take before it counts as hung (default 60)")
        ->check(CLI::Range(1, 86400));
    onRun(cl, sub, [&cl, o] { return runSelftest(cl, *o); });
}

} // namespace
PTXWB_REGISTER_COMMAND(selftest, 32, setupSelftestCommand);
} // namespace ptxwb::cli
