// `ptxwb analyze FILE...`: the PTX static analyzer (core/analysis) on the command line.
// Exit codes: 0 no finding at --fail-on or above; 1 some; 2 usage; 3 unparsable input (with the
// parser's located diagnostic); 4 never (ptxas missing only skips resource-usage).
#include "analysis/analyzer.h"
#include "analysis/format.h"
#include "analysis/manifest_contracts.h"
#include "analysis/sarif.h"
#include "cli_output.h"
#include "command_registry.h"
#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "ptx/source_manager.h"
#include "version.h"

#include <fmt/format.h>
#include <unistd.h>

namespace ptxwb::cli {
namespace {

struct AnalyzeOptions {
    std::vector<std::string> files;
    std::string manifest;
    std::vector<std::string> pairs;
    std::vector<std::string> rules;
    std::string format = "text";
    std::string failOn = "error";
    bool summary = false;
    std::string ptxas = "ptxas";
    std::string ptxasArch;
    analysis::AnalysisOptions thresholds;
};

int runAnalyze(const AnalyzeOptions& o) {
    auto failOn = analysis::parseSeverity(o.failOn);
    if (!failOn) {
        printUsageError("--fail-on must be error, warning or note");
        return exit_code::usage;
    }
    analysis::AnalysisOptions options = o.thresholds;
    options.ptxasPath = o.ptxas;
    options.ptxasArch = o.ptxasArch;
    analysis::Analyzer analyzer(options);
    if (!o.rules.empty())
        if (auto st = analyzer.selectRules(o.rules); !st) return printError(st.error());
    for (const auto& pair : o.pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
            printUsageError("--pair expects SINGLE=BATCHED, got '" + pair + "'");
            return exit_code::usage;
        }
        analyzer.addPair(pair.substr(0, eq), pair.substr(eq + 1));
    }
    if (!o.manifest.empty()) {
        auto contracts = analysis::readManifestContracts(o.manifest);
        if (!contracts) return printError(contracts.error());
        analyzer.setContracts(std::move(*contracts));
    }

    ptx::SourceManager sources;
    std::vector<ptx::Module> modules;
    modules.reserve(o.files.size());
    for (const auto& file : o.files) {
        auto buffer = sources.addFile(file);
        if (!buffer) return printError(buffer.error());
        ptx::DiagnosticList diagnostics;
        modules.push_back(ptx::parseModule(sources, *buffer, diagnostics));
        if (diagnostics.hasErrors()) {
            for (const auto& d : diagnostics.all())
                if (d.severity == ptx::Severity::Error)
                    fmt::print(stderr, "{}", ptx::formatDiagnostic(sources, *buffer, d));
            for (const auto& d : diagnostics.all())
                if (d.severity == ptx::Severity::Error)
                    return printError(ptx::toError(sources, *buffer, d));
        }
        analyzer.addModule(file, modules.back());
    }

    const auto report = analyzer.run();
    for (const auto& w : report.warnings)
        printWarning(w);
    if (o.format == "json") {
        fmt::print("{}\n", analysis::toJson(report).dump(2));
    } else if (o.format == "sarif") {
        fmt::print("{}\n", analysis::toSarif(report.findings, versionNumber()).dump(2));
    } else {
        fmt::print("{}", analysis::formatText(report.findings, ::isatty(STDOUT_FILENO) != 0));
        if (o.summary) fmt::print("{}", analysis::formatSummary(report.kernels));
        std::size_t counts[3] = {0, 0, 0};
        for (const auto& f : report.findings)
            ++counts[static_cast<int>(f.severity)];
        fmt::print(stderr, "{} error(s), {} warning(s), {} note(s) in {} kernel(s)\n", counts[2],
                   counts[1], counts[0], report.kernels.size());
    }
    return analysis::anyAtLeast(report.findings, *failOn) ? exit_code::checksFailed : exit_code::ok;
}

void setupAnalyzeCommand(CommandLine& cl) {
    auto o = std::make_shared<AnalyzeOptions>();
    auto* sub = cl.app().add_subcommand("analyze", "Static analysis of PTX kernels");
    sub->add_option("files", o->files, "PTX files")->required()->check(CLI::ExistingFile);
    sub->add_option("--manifest", o->manifest, "kernelset.json giving roles, variants, pairs");
    sub->add_option("--pair", o->pairs, "Compare SINGLE=BATCHED (entry names); repeatable");
    sub->add_option("--rules", o->rules, "Only these rule ids (comma separated)")->delimiter(',');
    sub->add_option("--format", o->format, "text, json or sarif")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
    sub->add_option("--fail-on", o->failOn, "Exit 1 when a finding reaches: error, warning, note")
        ->check(CLI::IsMember({"error", "warning", "note"}));
    sub->add_flag("--summary", o->summary, "List every kernel: variant, batch axis, positions");
    sub->add_option("--ptxas", o->ptxas, "ptxas for resource-usage (\"\" disables)");
    sub->add_option("--ptxas-arch", o->ptxasArch, "GPU name for ptxas (default: the .target)");
    sub->add_option("--max-registers", o->thresholds.maxRegisters, "resource-usage threshold");
    sub->add_option("--max-spill-bytes", o->thresholds.maxSpillBytes, "resource-usage threshold");
    sub->add_option("--max-stack-bytes", o->thresholds.maxStackBytes, "resource-usage threshold");
    sub->add_option("--max-shared-bytes", o->thresholds.maxSharedBytes, "resource-usage threshold");
    onRun(cl, sub, [o] { return runAnalyze(*o); });
}

} // namespace
PTXWB_REGISTER_COMMAND(analyze, 30, setupAnalyzeCommand);
} // namespace ptxwb::cli
