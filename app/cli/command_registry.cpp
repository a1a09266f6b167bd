#include "command_registry.h"

#include "cli_output.h"
#include "version.h"

#include <algorithm>
#include <vector>

namespace ptxwb::cli {

namespace {
struct Registration {
    const char* name;
    int order;
    CommandSetup setup;
};

std::vector<Registration>& registry() {
    static std::vector<Registration> entries;
    return entries;
}
} // namespace

bool registerCommand(const char* name, int order, CommandSetup setup) {
    registry().push_back({name, order, setup});
    return true;
}

void setupRegisteredCommands(CommandLine& cl) {
    auto entries = registry();
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.order != b.order ? a.order < b.order : std::string_view(a.name) < b.name;
    });
    for (const auto& e : entries)
        e.setup(cl);
}

CommandLine::CommandLine()
    : app_("ptxwb — the PTX Workbench: parity, analysis and tracing for LLM inference kernels",
           "ptxwb") {
    app_.set_version_flag("--version", versionLine());
    app_.require_subcommand(1);
    app_.fallthrough();
    app_.option_defaults()->always_capture_default();
    app_.add_option("--db", global_.dbPath,
                    "Run-history database (default: $XDG_DATA_HOME/ptxwb/history.sqlite)");
    app_.add_flag("--no-progress", global_.noProgress, "Do not draw a progress line on stderr");
    app_.add_flag("-q,--quiet", global_.quiet, "Print only results and errors");
    app_.add_flag("--no-history", global_.noHistory,
                  "Do not record this run in the history database");
    app_.add_option("--device", global_.device,
                    "CUDA device ordinal GPU jobs run on (default 0; see ptxwb gpu-info)")
        ->check(CLI::NonNegativeNumber);
    app_.add_option("--progress-format", global_.progressFormat,
                    "line: a progress line for people; jsonl: one JSON event per line on stderr "
                    "(progress, recorded run) for programs")
        ->check(CLI::IsMember({"line", "jsonl"}));
    app_.footer("Exit codes: 0 ok, 1 checks failed, 2 usage error, 3 bad input file, "
                "4 environment (no GPU/driver/NVRTC), 5 GPU fault or internal error.");
}

int CommandLine::run(int argc, char** argv) {
    global_.argv.assign(argv, argv + argc);
    try {
        app_.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app_.help().c_str(), stdout);
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::fputs(app_.help("", CLI::AppFormatMode::All).c_str(), stdout);
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::puts(versionLine().c_str());
        return 0;
    } catch (const CLI::ParseError& e) {
        // Subcommand help (e.g. `ptxwb ptx --help`) arrives here as a CallForHelp from the
        // subcommand; CLI11 reports it through exit(), which prints it for us.
        if (e.get_exit_code() == 0) return app_.exit(e);
        printUsageError(e.what());
        return exit_code::usage;
    }
    setProgressFormat(global_.progressFormat == "jsonl" ? ProgressFormat::Jsonl
                                                        : ProgressFormat::Line);
    if (!action_) {
        printUsageError("no command given; see ptxwb --help");
        return exit_code::usage;
    }
    return action_();
}

} // namespace ptxwb::cli
