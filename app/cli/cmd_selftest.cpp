// `ptxwb selftest [--static-only]`: the bug zoo must be caught and every good kernel must pass.
#include "cli_output.h"
#include "command_registry.h"
#include "gpu_job_runner.h"
#include "parity/text_report.h"

#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

struct SelftestOptions {
    std::string kernelSet, format = "text";
    bool staticOnly = false;
};

int runSelftest(CommandLine& cl, const SelftestOptions& o) {
    nlohmann::json params{{"kernel_set", o.kernelSet}, {"static_only", o.staticOnly}};
    auto result =
        runGpuJob(cl.global(), "selftest", params, std::chrono::seconds(300), o.format == "text");
    if (!result) return printError(result.error());
    if (o.format == "json")
        fmt::print("{}\n", result->dump(2));
    else
        fmt::print("{}", parity::formatSelftestText(*result));
    if (result->contains("aborted")) return exit_code::fault;
    return parity::selftestFailed(*result) ? exit_code::checksFailed : exit_code::ok;
}

void setupSelftestCommand(CommandLine& cl) {
    auto o = std::make_shared<SelftestOptions>();
    auto* sub = cl.app().add_subcommand("selftest", "Prove the workbench catches its own bug zoo");
    sub->add_option("--kernel-set", o->kernelSet, "Kernel set directory (default: built-in)");
    sub->add_flag("--static-only", o->staticOnly, "Only the checks that need no GPU");
    sub->add_option("--format", o->format, "text or json");
    onRun(cl, sub, [&cl, o] { return runSelftest(cl, *o); });
}

} // namespace
PTXWB_REGISTER_COMMAND(selftest, 32, setupSelftestCommand);
} // namespace ptxwb::cli
