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
    const std::string ext = std::filesystem::path(args.output).extension().string();
    if (ext == ".md") return reports::ReportFormat::Markdown;
    if (ext == ".html" || ext == ".htm") return reports::ReportFormat::Html;
    if (ext == ".json") return reports::ReportFormat::Json;
    if (ext == ".xml") return reports::ReportFormat::Junit;
    if (ext == ".sarif") return reports::ReportFormat::Sarif;
    return std::nullopt;
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
    reports::ReportInput input;
    input.ptxwbVersion = versionNumber();
    auto run = history->loadRun(*uuid);
    if (!run) return printError(run.error());
    input.run = std::move(*run);
    if (!args.against.empty()) {
        auto baseline = history->resolveRun(args.against);
        if (!baseline) return printError(baseline.error());
        store::LoadOptions options;
        options.mismatchMaps = false;
        auto against = history->loadRun(*baseline, options);
        if (!against) return printError(against.error());
        input.comparison = store::compareRuns(*against, input.run);
        input.against = std::move(*against);
    }
    auto written = reports::writeReport(input, *format, args.output);
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
