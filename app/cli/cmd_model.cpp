// `ptxwb model`: GGUF models: inspect, dequantise, run the CPU reference, make synthetic ones.
#include "cmd_model.h"

namespace ptxwb::cli {
namespace {

void setupModelCommand(CommandLine& cl) {
    auto* model = cl.app().add_subcommand(
        "model",
        "GGUF models: inspect, dequantise tensors, run the CPU reference, make synthetic models");
    model->require_subcommand(1);
    setupModelInfoCommand(cl, model);
    setupModelDequantCommand(cl, model);
    setupModelRunCommand(cl, model);
    setupModelMakeCommand(cl, model);
}

} // namespace
PTXWB_REGISTER_COMMAND(model, 40, setupModelCommand);
} // namespace ptxwb::cli
