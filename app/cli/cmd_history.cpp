// `ptxwb history`: list, show, compare and trend runs of the history database, and merge
// histories of other machines (import) or pass one run on (export).
#include "cli_output.h"
#include "command_registry.h"
#include "report/history_text.h"
#include "store/history_store.h"
#include "store/run_json.h"
#include "util/paths.h"

#include <fmt/format.h>
#include <memory>

namespace ptxwb::cli {
namespace {

struct HistoryArgs {
    std::string format = "text";
    store::RunFilter filter;
    std::string status;
    std::string runA;
    std::string runB;
    std::string check;
    std::string file;
    std::string output;
};

std::string historyPath(const GlobalOptions& global) {
    return global.dbPath.empty() ? defaultHistoryDatabase() : global.dbPath;
}

/// Opens the history of --db; a missing file starts a new one, anything else that is not a
/// ptxwb history is refused untouched (exit 3).
Expected<store::HistoryStore> openHistory(const GlobalOptions& global) {
    return store::HistoryStore::open(historyPath(global));
}

void print(const HistoryArgs& args, const nlohmann::json& json, const std::string& text) {
    if (args.format == "json") {
        fmt::print("{}\n", json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
        fmt::print("{}", text);
    }
}

void addFormat(CLI::App* sub, HistoryArgs& args) {
    sub->add_option("--format", args.format, "Output format")
        ->check(CLI::IsMember({"text", "json"}));
}

void addFilters(CLI::App* sub, HistoryArgs& args) {
    sub->add_option("--gpu", args.filter.gpu, "GPU name contains (case-insensitive)");
    sub->add_option("--arch", args.filter.arch, "SM architecture, e.g. sm_90");
    sub->add_option("--driver", args.filter.driver, "Driver version or prefix, e.g. 550 or 550.54");
    sub->add_option("--kernel-set", args.filter.kernelSet,
                    "Kernel-set name or content-hash prefix");
}

int runList(CommandLine& cl, HistoryArgs& args) {
    if (!args.status.empty()) {
        args.filter.status = store::parseRunStatus(args.status);
    }
    auto history = openHistory(cl.global());
    if (!history) return printError(history.error());
    auto runs = history->listRuns(args.filter);
    if (!runs) return printError(runs.error());
    nlohmann::json json = nlohmann::json::array();
    if (args.format == "json") {
        for (const auto& r : *runs)
            json.push_back(store::toJson(r));
    }
    std::string text = reports::formatRunList(*runs);
    if (args.filter.limit > 0 && runs->size() == args.filter.limit) {
        text += fmt::format("(newest {} shown; --limit 0 lists all)\n", args.filter.limit);
    }
    print(args, json, text);
    return exit_code::ok;
}

int runShow(CommandLine& cl, const HistoryArgs& args) {
    auto history = openHistory(cl.global());
    if (!history) return printError(history.error());
    auto uuid = history->resolveRun(args.runA);
    if (!uuid) return printError(uuid.error());
    auto run = history->loadRun(*uuid); // with maps: probe maps name the quant position
    if (!run) return printError(run.error());
    print(args, args.format == "json" ? store::toJson(*run) : nlohmann::json(),
          args.format == "json" ? "" : reports::formatRunDetails(*run));
    return exit_code::ok;
}

int runCompare(CommandLine& cl, const HistoryArgs& args) {
    auto history = openHistory(cl.global());
    if (!history) return printError(history.error());
    auto a = history->resolveRun(args.runA);
    if (!a) return printError(a.error());
    auto b = history->resolveRun(args.runB);
    if (!b) return printError(b.error());
    store::LoadOptions options;
    options.mismatchMaps = false;
    auto runA = history->loadRun(*a, options);
    if (!runA) return printError(runA.error());
    auto runB = history->loadRun(*b, options);
    if (!runB) return printError(runB.error());
    auto comparison = store::compareRuns(*runA, *runB);
    print(args, args.format == "json" ? store::toJson(comparison) : nlohmann::json(),
          args.format == "json" ? "" : reports::formatComparison(comparison));
    return comparison.hasRegressions() ? exit_code::checksFailed : exit_code::ok;
}

int runTrend(CommandLine& cl, const HistoryArgs& args) {
    auto history = openHistory(cl.global());
    if (!history) return printError(history.error());
    auto trend = history->trend(args.check, args.filter);
    if (!trend) return printError(trend.error());
    if (trend->points.empty()) {
        // Not the exact name: accept a unique substring, otherwise say what exists.
        auto names = history->checkNamesContaining(args.check);
        if (!names) return printError(names.error());
        if (names->size() == 1) {
            trend = history->trend(names->front(), args.filter);
            if (!trend) return printError(trend.error());
        } else {
            Error e(ErrorKind::Usage,
                    names->empty() ? fmt::format("no check named or containing '{}' in the history",
                                                 args.check)
                                   : fmt::format("'{}' matches {} checks; give the full name",
                                                 args.check, names->size()));
            for (const auto& n : *names)
                e.withNote(n);
            return printError(e);
        }
    }
    print(args, args.format == "json" ? store::toJson(*trend) : nlohmann::json(),
          args.format == "json" ? "" : reports::formatTrend(*trend));
    return exit_code::ok;
}

int runImport(CommandLine& cl, const HistoryArgs& args) {
    auto history = openHistory(cl.global());
    if (!history) return printError(history.error());
    auto summary = history->importFrom(args.file);
    if (!summary) return printError(summary.error());
    print(args, args.format == "json" ? store::toJson(*summary) : nlohmann::json(),
          args.format == "json" ? "" : reports::formatImportSummary(*summary, args.file));
    return exit_code::ok;
}

int runExport(CommandLine& cl, const HistoryArgs& args) {
    auto history = openHistory(cl.global());
    if (!history) return printError(history.error());
    auto uuid = history->resolveRun(args.runA);
    if (!uuid) return printError(uuid.error());
    if (auto st = history->exportRun(*uuid, args.output); !st) return printError(st.error());
    if (args.format == "json") {
        fmt::print("{}\n", nlohmann::json{{"exported", *uuid}, {"file", args.output}}.dump(2));
    } else if (!cl.global().quiet) {
        fmt::print("exported run {} to {}\n", *uuid, args.output);
    }
    return exit_code::ok;
}

void setupHistoryCommand(CommandLine& cl) {
    auto args = std::make_shared<HistoryArgs>();
    auto* history = cl.app().add_subcommand(
        "history",
        "Query and merge the run history (--db, default $XDG_DATA_HOME/ptxwb/history.sqlite)");
    history->require_subcommand(1);
    const char* runHelp = "Run: a UUID, a unique UUID prefix, or 'latest'";

    auto* list = history->add_subcommand("list", "List runs, newest first");
    addFilters(list, *args);
    list->add_option("--toolkit", args->filter.toolkit, "CUDA toolkit / NVRTC version or prefix");
    list->add_option("--command", args->filter.command,
                     "Only runs of this ptxwb command (parity, ...)");
    list->add_option("--status", args->status, "Only runs with this status")
        ->check(CLI::IsMember({"passed", "failed", "error"}));
    args->filter.limit = 50;
    list->add_option("-n,--limit", args->filter.limit, "Show the newest N runs (0: all)");
    addFormat(list, *args);
    onRun(cl, list, [&cl, args] { return runList(cl, *args); });

    auto* show =
        history->add_subcommand("show", "Show one run: environment, failing checks, findings");
    show->add_option("run", args->runA, runHelp)->required();
    addFormat(show, *args);
    onRun(cl, show, [&cl, args] { return runShow(cl, *args); });

    auto* compare = history->add_subcommand(
        "compare", "Compare two runs check by check, with the environment and PTX differences "
                   "that could explain a change (exit 1 when B fails a check A passed)");
    compare->add_option("run_a", args->runA, "Baseline run")->required();
    compare->add_option("run_b", args->runB, "Run to compare with the baseline")->required();
    addFormat(compare, *args);
    onRun(cl, compare, [&cl, args] { return runCompare(cl, *args); });

    auto* trend = history->add_subcommand(
        "trend", "A check's results over time, grouped by driver and SM architecture");
    trend->add_option("check", args->check, "Check name (or a unique part of it)")->required();
    addFilters(trend, *args);
    addFormat(trend, *args);
    onRun(cl, trend, [&cl, args] { return runTrend(cl, *args); });

    auto* import = history->add_subcommand(
        "import", "Merge the runs of another history file (deduplicated by run UUID)");
    import->add_option("file", args->file, "History database of another machine")->required();
    addFormat(import, *args);
    onRun(cl, import, [&cl, args] { return runImport(cl, *args); });

    auto* exportCmd = history->add_subcommand(
        "export", "Write one run (with its PTX and mismatch maps) to a history file");
    exportCmd->add_option("run", args->runA, runHelp)->required();
    exportCmd->add_option("-o,--output", args->output, "Target history file (created if missing)")
        ->required();
    addFormat(exportCmd, *args);
    onRun(cl, exportCmd, [&cl, args] { return runExport(cl, *args); });
}

} // namespace
PTXWB_REGISTER_COMMAND(history, 80, setupHistoryCommand);
} // namespace ptxwb::cli
