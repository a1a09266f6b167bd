#pragma once
// Commands register themselves from their own cmd_*.cpp file (a static registrar), so the CLI
// grows without a central list to edit. main() builds the CLI11 tree from the registry.

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

namespace ptxwb::cli {

/// Options every command can see (set before the command's action runs).
struct GlobalOptions {
    std::string dbPath; ///< --db: run-history database ("" = default location)
    bool noProgress = false;
    bool quiet = false;
    bool noHistory = false;
    int device = 0;                      ///< --device: CUDA ordinal the GPU jobs run on
    std::string progressFormat = "line"; ///< --progress-format: "line" or "jsonl"
    std::vector<std::string> argv;       ///< the whole command line, for run records
};

/// What a command does once its arguments are parsed; returns the process exit code.
using CommandAction = std::function<int()>;

/// The CLI being assembled: the CLI11 app, global options, and the action chosen by parsing.
class CommandLine {
public:
    CommandLine();
    CLI::App& app() { return app_; }
    GlobalOptions& global() { return global_; }
    /// Called from a subcommand's callback: remembers what to run after parsing.
    void setAction(CommandAction action) { action_ = std::move(action); }
    /// Parses argv and runs the chosen command; maps parse errors to exit code 2.
    int run(int argc, char** argv);

private:
    CLI::App app_;
    GlobalOptions global_;
    CommandAction action_;
};

/// A function that adds one command (with its subcommands) to the command line.
using CommandSetup = void (*)(CommandLine&);

/// Registers `setup` under `name`; `order` sorts commands in --help.
bool registerCommand(const char* name, int order, CommandSetup setup);
/// Adds every registered command to `cl`.
void setupRegisteredCommands(CommandLine& cl);

/// Binds an action to a subcommand: when the subcommand is parsed, `action` becomes the action.
inline void onRun(CommandLine& cl, CLI::App* sub, CommandAction action) {
    sub->callback([&cl, action = std::move(action)] { cl.setAction(action); });
}

} // namespace ptxwb::cli

/// Put at namespace scope in a cmd_*.cpp: PTXWB_REGISTER_COMMAND(ptx, 30, setupPtxCommand);
#define PTXWB_REGISTER_COMMAND(name, order, setup)                                                 \
    [[maybe_unused]] static const bool ptxwb_registered_##name =                                   \
        ::ptxwb::cli::registerCommand(#name, order, setup)
