#pragma once
// `ptxwb model ...`: the subcommands live in cmd_model_<sub>.cpp; cmd_model.cpp registers the
// `model` command and calls each setup function below.

#include "command_registry.h"

namespace ptxwb::cli {

void setupModelInfoCommand(CommandLine& cl, CLI::App* model);
void setupModelDequantCommand(CommandLine& cl, CLI::App* model);
void setupModelRunCommand(CommandLine& cl, CLI::App* model);
void setupModelMakeCommand(CommandLine& cl, CLI::App* model);

} // namespace ptxwb::cli
