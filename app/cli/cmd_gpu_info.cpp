// `ptxwb gpu-info [--json]`: the driver, every device, NVRTC and the architectures it targets.
// Without a driver it still shows NVRTC (static compiles work without a GPU) and exits 4.
#include "cli_output.h"
#include "command_registry.h"
#include "cuda/device_info.h"

#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

void setupGpuInfoCommand(CommandLine& cl) {
    auto json = std::make_shared<bool>(false);
    auto* sub = cl.app().add_subcommand("gpu-info", "Show the CUDA driver, GPUs and NVRTC");
    sub->add_flag("--json", *json, "Print as JSON");
    onRun(cl, sub, [json] {
        cuda::GpuEnvironment env = cuda::queryGpuEnvironment();
        if (*json)
            fmt::print("{}\n", cuda::toJson(env).dump(2));
        else
            fmt::print("{}", cuda::formatText(env));
        if (env.driverError) return printError(*env.driverError);
        return exit_code::ok;
    });
}

} // namespace
PTXWB_REGISTER_COMMAND(gpu_info, 5, setupGpuInfoCommand);
} // namespace ptxwb::cli
