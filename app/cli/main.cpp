// ptxwb: the command-line front end. Each command is set up by its own cmd_*.cpp.
#include "command_registry.h"

int main(int argc, char** argv) {
    ptxwb::cli::CommandLine commandLine;
    ptxwb::cli::setupRegisteredCommands(commandLine);
    return commandLine.run(argc, argv);
}
