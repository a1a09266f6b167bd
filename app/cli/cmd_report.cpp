// `ptxwb report RUN [--against RUN2] --format md|html|json|junit|sarif -o PATH`: a run from the
// history rendered for an issue tracker, a browser or a CI system.
#include "cli_output.h"
#include "command_registry.h"
#include "report/report.h"
#include "store/history_store.h"
#include "util/paths.h"
#include "version.h"

#include <filesystem>
#include <fmt/format.h>
#include <memory>

namespace ptxwb::cli {
namespace {

struct ReportArgs {
    std::string run;
    std::string against;
    std::string format;
    std::string output;
};

/// --format, or the output file's extension when --format is not given.
std::optional<reports::ReportFormat> chooseFormat(const ReportArgs& args) {
    if (!args.format.empty()) return reports::parseReportFormat(args.format);
    return reports::reportFormatForExtension(
        std::filesystem::path(args.output).extension().string());
}

int runReport(CommandLine& cl, const ReportArgs& args) {
    auto format = chooseFormat(args);
    if (!format) {
        printUsageError(fmt::format("cannot tell the report format from '{}'; give --format "
                                    "md|html|json|junit|sarif",
                                    args.output));
        return exit_code::usage;
    }
    const std::string dbPath =
        cl.global().dbPath.empty() ? defaultHistoryDatabase() : cl.global().dbPath;
    auto history = store::HistoryStore::open(dbPath, store::HistoryStore::OpenMode::ReadOnly);
    if (!history) return printError(history.error());
    auto uuid = history->resolveRun(args.run);
    if (!uuid) return printError(uuid.error());
    std::string baseline;
    if (!args.against.empty()) {
        auto resolved = history->resolveRun(args.against);
        if (!resolved) return printError(resolved.error());
        baseline = *resolved;
    }
    auto input = reports::loadReportInput(*history, *uuid, baseline, versionNumber());
    if (!input) return printError(input.error());
    auto written = reports::writeReport(*input, *format, args.output);
    if (!written) return printError(written.error());
    if (!cl.global().quiet) {
        for (const auto& path : *written)
            fmt::print("wrote {}\n", path);
    }
    return exit_code::ok;
}

void setupReportCommand(CommandLine& cl) {
    auto args = std::make_shared<ReportArgs>();
    auto* sub = cl.app().add_subcommand(
        "report", "Render a run of the history as Markdown (with heatmap PNGs), self-contained "
                  "HTML, JSON, JUnit XML or SARIF");
    sub->add_option("run", args->run, "Run: a UUID, a unique UUID prefix, or 'latest'")->required();
    sub->add_option("--against", args->against, "Baseline run to compare with");
    sub->add_option("--format", args->format, "Report format (default: from the -o extension)")
        ->check(CLI::IsMember({"md", "markdown", "html", "json", "junit", "sarif"}));
    sub->add_option("-o,--output", args->output, "Report file to write")->required();
    onRun(cl, sub, [&cl, args] { return runReport(cl, *args); });
}

} // namespace
PTXWB_REGISTER_COMMAND(report, 85, setupReportCommand);
} // namespace ptxwb::cli
