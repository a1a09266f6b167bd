// `ptxwb probe --kernel NAME`: recover W as a GEMV kernel sees it and compare with the CPU.
#include "cli_output.h"
#include "command_registry.h"
#include "gpu_job_runner.h"
#include "parity/probe.h"
#include "record/job_results.h"
#include "run_recorder.h"

#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

struct ProbeOptions {
    std::string kernelSet, kernel, model, tensor, format = "text";
    int n = 64, k = 1024;
    std::uint64_t seed = 1;
    int checkTimeoutSeconds = 60;
};

int runProbe(CommandLine& cl, const ProbeOptions& o) {
    if (o.format != "text" && o.format != "json") {
        printUsageError("--format must be text or json");
        return exit_code::usage;
    }
    if (!o.tensor.empty() && o.model.empty()) {
        printUsageError("--tensor needs --model");
        return exit_code::usage;
    }
    nlohmann::json params{
        {"kernel_set", o.kernelSet}, {"kernel", o.kernel}, {"n", o.n}, {"k", o.k}, {"seed", o.seed},
        {"model", o.model},          {"tensor", o.tensor}};
    store::Run run = beginRun(cl.global(), "probe");
    if (o.model.empty()) {
        run.environment.seed = o.seed; // random weights; a model's tensor needs no seed
    } else {
        run.environment.modelName = std::filesystem::path(o.model).filename().string();
        run.environment.modelHash = fileSha256(o.model);
    }
    // The job reports a step before it launches the kernel; a kernel that never returns then
    // stops its progress, and the worker is killed after --check-timeout instead of holding the
    // command for the whole deadline.
    std::optional<ProgressUpdate> stalledAt;
    auto result =
        runGpuJob(cl.global(), "probe", params, std::chrono::seconds(300), o.format == "text",
                  StallWatch{std::chrono::seconds(o.checkTimeoutSeconds), &stalledAt});
    if (!result && stalledAt) {
        result = makeError(ErrorKind::GpuFault,
                           hungKernelReason(stalledAt->phase, o.checkTimeoutSeconds));
    }
    recordJobRun(cl.global(), std::move(run), result, record::addProbeResult, o.kernelSet);
    if (!result) return printError(result.error());
    if (o.format == "json") {
        fmt::print("{}\n", result->dump(2));
    } else {
        parity::ProbeResult r;
        r.kernel = result->value("kernel", "");
        r.format = result->value("format", "");
        r.n = result->value("n", 0);
        r.k = result->value("k", 0);
        r.elements = result->value("elements", 0ull);
        r.mismatches = result->value("mismatches", 0ull);
        r.blockValues = result->value("block_values", 256);
        r.subBlockValues = result->value("sub_block_values", 32);
        r.bySuperBlock = result->value("by_super_block", std::vector<std::uint64_t>{});
        r.bySubBlock = result->value("by_sub_block", std::vector<std::uint64_t>{});
        r.byPosition = result->value("by_position", std::vector<std::uint64_t>{});
        for (const auto& s : result->value("samples", nlohmann::json::array()))
            r.samples.push_back({s.value("row", 0), s.value("col", 0), s.value("seen", 0.0f),
                                 s.value("expected", 0.0f)});
        fmt::print("{}", parity::formatText(r));
    }
    return result->value("mismatches", 0ull) > 0 ? exit_code::checksFailed : exit_code::ok;
}

void setupProbeCommand(CommandLine& cl) {
    auto o = std::make_shared<ProbeOptions>();
    auto* sub =
        cl.app().add_subcommand("probe", "Dequant probe: the weights a GEMV kernel really sees");
    sub->add_option("--kernel", o->kernel, "GEMV kernel name")->required();
    sub->add_option("--kernel-set", o->kernelSet, "Kernel set directory (default: built-in)");
    sub->add_option("--model", o->model, "GGUF model to take the weights from");
    sub->add_option("--tensor", o->tensor, "Tensor of --model");
    sub->add_option("--n", o->n, "Rows of the random weight matrix (default 64)");
    sub->add_option("--k", o->k, "Columns, a multiple of 256 (default 1024)");
    sub->add_option("--seed", o->seed, "Seed of the random weights");
    sub->add_option("--format", o->format, "text or json");
    sub->add_option("--check-timeout", o->checkTimeoutSeconds,
                    "Seconds the probed kernel may run before it counts as hung and its worker is "
                    "killed (default 60)")
        ->check(CLI::Range(1, 86400));
    onRun(cl, sub, [&cl, o] { return runProbe(cl, *o); });
}

} // namespace
PTXWB_REGISTER_COMMAND(probe, 31, setupProbeCommand);
} // namespace ptxwb::cli
