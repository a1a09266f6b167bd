// `ptxwb parity`: every batched kernel against its single twin (bitwise by default) and both
// against the CPU oracle, for each batch size; a table per pair x M; exit 1 on any violation.
#include "cli_output.h"
#include "command_registry.h"
#include "gpu_job_runner.h"
#include "parity/parity_job.h"
#include "parity/text_report.h"
#include "record/job_results.h"
#include "run_recorder.h"

#include <filesystem>
#include <fmt/format.h>
#include <optional>

namespace ptxwb::cli {
namespace {

struct ParityOptions {
    std::string kernelSet, model, tensor, format = "text", failOn = "mismatch",
                                          distribution = "normal";
    std::vector<std::string> pairs, shapes;
    std::vector<int> ms;
    std::uint64_t seed = 1;
    int timingReps = 10;
    int deadlineSeconds = 600;
    int checkTimeoutSeconds = 60;
    bool bandwidth = false, includeZoo = false;
};

/// One worker's share of a run (from params["first_check"]). A check whose kernel never returns
/// stops the job's progress: the worker is killed after --check-timeout, and the part runs
/// again in a fresh worker with that check reported as hung instead of launched (the checks
/// before it run again too; each keeps its seed, so they give the same results).
Expected<nlohmann::json> runParityPart(CommandLine& cl, const ParityOptions& o,
                                       nlohmann::json& params) {
    return runGpuJobPastHangs(
        cl.global(), "parity", params, std::chrono::seconds(o.deadlineSeconds), o.format == "text",
        std::chrono::seconds(o.checkTimeoutSeconds),
        [&](const ProgressUpdate& hung, nlohmann::json& p) {
            if (!parity::markParityCheckHung(p, hung.done,
                                             hungKernelReason(hung.phase, o.checkTimeoutSeconds)))
                return false;
            printWarning(fmt::format("check {} ({}) hung; running the rest in a fresh worker",
                                     hung.done + 1, hung.phase));
            return true;
        });
}

int runParity(CommandLine& cl, const ParityOptions& o) {
    if (o.format != "text" && o.format != "json" && o.format != "junit") {
        printUsageError("--format must be text, json or junit");
        return exit_code::usage;
    }
    if (o.failOn != "mismatch" && o.failOn != "none") {
        printUsageError("--fail-on must be mismatch or none");
        return exit_code::usage;
    }
    nlohmann::json params{{"kernel_set", o.kernelSet},
                          {"pairs", o.pairs},
                          {"m", o.ms},
                          {"shapes", o.shapes},
                          {"seed", o.seed},
                          {"model", o.model},
                          {"tensor", o.tensor},
                          {"distribution", o.distribution},
                          {"timing_reps", o.timingReps},
                          {"measure_bandwidth", o.bandwidth}};
    if (o.includeZoo) params["include_zoo"] = true;
    store::Run run = beginRun(cl.global(), "parity");
    // Settings that change which checks run or their inputs, so a comparison can name them.
    if (o.includeZoo) run.labels["zoo"] = "included";
    if (!o.pairs.empty()) run.labels["pairs"] = fmt::format("{}", fmt::join(o.pairs, ","));
    if (!o.model.empty()) {
        run.environment.modelName = std::filesystem::path(o.model).filename().string();
        run.environment.modelHash = fileSha256(o.model);
    }
    auto result = runParityPart(cl, o, params);
    // A sticky CUDA error kills the worker's context: the checks after it run in a fresh worker.
    while (result && parity::parityRunCutShort(*result)) {
        params["first_check"] = (*result)["next_check"];
        printWarning(fmt::format("{}; going on from check {} in a fresh worker",
                                 (*result)["aborted"].get<std::string>(),
                                 (*result)["next_check"].get<std::size_t>() + 1));
        auto next = runParityPart(cl, o, params);
        if (!next) {
            (*result)["aborted"] = fmt::format(
                "{}; then {}", (*result)["aborted"].get<std::string>(), next.error().format());
            result->erase("next_check");
            break;
        }
        parity::appendParityContinuation(*result, *next);
    }
    // Hung checks are errors in the table; the run also says which, and ends as a fault.
    if (result && params.contains("hung_checks")) (*result)["hung"] = params["hung_checks"];
    recordJobRun(cl.global(), std::move(run), result, record::addParityResult, o.kernelSet);
    if (!result) return printError(result.error());
    if (o.format == "json")
        fmt::print("{}\n", result->dump(2));
    else if (o.format == "junit")
        fmt::print("{}", parity::formatParityJunit(*result));
    else
        fmt::print("{}", parity::formatParityText(*result));
    if (parity::runFaulted(*result)) return exit_code::fault;
    return o.failOn == "mismatch" && parity::parityFailed(*result) ? exit_code::checksFailed
                                                                   : exit_code::ok;
}

void setupParityCommand(CommandLine& cl) {
    auto o = std::make_shared<ParityOptions>();
    auto* sub = cl.app().add_subcommand(
        "parity", "Check batched kernels against their single twins and the CPU oracle");
    sub->add_option("--kernel-set", o->kernelSet, "Kernel set directory (default: built-in)");
    sub->add_option("--pairs", o->pairs,
                    "Candidate kernels (or single kernels: all their candidates)")
        ->delimiter(',');
    sub->add_option("--m", o->ms, "Batch sizes (default 1,2,3,4,8,16)")->delimiter(',');
    sub->add_option("--shapes", o->shapes,
                    "Shapes, e.g. 4096x14336 or N=4096:K=14336 (per op dims)")
        ->delimiter(',');
    sub->add_option("--model", o->model,
                    "GGUF model: each of its weight matrices (or --tensor) is a GEMV weight "
                    "matrix, its first 4096 rows");
    sub->add_option("--tensor", o->tensor, "The one tensor of --model to check");
    sub->add_option("--seed", o->seed, "Seed of the input generators (default 1)");
    sub->add_option("--inputs", o->distribution,
                    "Input distribution: normal, uniform, outliers, special");
    sub->add_option("--format", o->format, "Output: text, json or junit");
    sub->add_option("--fail-on", o->failOn, "mismatch (default: exit 1 on any violation) or none");
    sub->add_option("--timing-reps", o->timingReps, "Launches per timing (0: no timing)");
    sub->add_flag("--bandwidth", o->bandwidth,
                  "Measure device-to-device copy bandwidth for %-of-peak columns");
    sub->add_flag("--zoo", o->includeZoo, "Include the bug zoo's mutants");
    sub->add_option("--deadline", o->deadlineSeconds,
                    "Seconds the whole run may take, JIT included (default 600)")
        ->check(CLI::Range(1, 86400));
    sub->add_option("--check-timeout", o->checkTimeoutSeconds,
                    "Seconds one check may take before its kernel counts as hung (default 60)")
        ->check(CLI::Range(1, 86400));
    onRun(cl, sub, [&cl, o] { return runParity(cl, *o); });
}

} // namespace
PTXWB_REGISTER_COMMAND(parity, 30, setupParityCommand);
} // namespace ptxwb::cli
