// `ptxwb analyze [FILE...]`: the PTX static analyzer (core/analysis) on the command line.
// With files: analyses them, with roles from --manifest kernelset.json or --kernel-set DIR's
// manifest (else the naming heuristics). Without files: analyses a whole kernel set (--kernel-set
// DIR, default the built-in one), .cu sources compiled to PTX by NVRTC (no GPU needed).
// Every run is recorded in the history database with its findings (--db, --no-history).
// Exit codes: 0 no finding at --fail-on or above; 1 some; 2 usage; 3 unparsable input or manifest
// (located file:line:col); 4 a kernel set without NVRTC to compile its .cu sources.
#include "analysis/analyzer.h"
#include "analysis/format.h"
#include "analysis/kernel_set_analysis.h"
#include "analysis/sarif.h"
#include "cli_output.h"
#include "command_registry.h"
#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "ptx/source_manager.h"
#include "run_recorder.h"
#include "version.h"

#include <fmt/format.h>
#include <unistd.h>

namespace ptxwb::cli {
namespace {

struct AnalyzeOptions {
    std::vector<std::string> files;
    std::string manifest;
    std::string kernelSet;
    bool kernelSetGiven = false;
    int arch = 80;
    std::vector<std::string> pairs;
    std::vector<std::string> rules;
    std::string format = "text";
    std::string failOn = "error";
    bool summary = false;
    std::string ptxas = "ptxas";
    std::string ptxasArch;
    analysis::AnalysisOptions thresholds;
};

store::Severity toStoreSeverity(analysis::Severity s) {
    switch (s) {
    case analysis::Severity::Error:
        return store::Severity::Error;
    case analysis::Severity::Warning:
        return store::Severity::Warning;
    default:
        return store::Severity::Note;
    }
}

/// The run record of an analysis: every finding with its related locations; the run fails
/// when a finding reaches --fail-on.
void recordAnalysis(const GlobalOptions& global, store::Run& run,
                    const analysis::AnalysisReport& report, analysis::Severity failOn) {
    for (const auto& f : report.findings) {
        store::Finding sf;
        sf.ruleId = f.ruleId;
        sf.severity = toStoreSeverity(f.severity);
        sf.kernel = f.kernel;
        sf.file = f.location.file;
        sf.line = f.location.line;
        sf.column = f.location.column;
        sf.endLine = f.location.endLine;
        sf.endColumn = f.location.endColumn;
        sf.message = f.message;
        sf.fixHint = f.fixHint;
        for (const auto& r : f.related)
            sf.related.push_back({r.location.file, r.location.line, r.location.column,
                                  r.location.endLine, r.location.endColumn, r.message});
        run.findings.push_back(std::move(sf));
    }
    const bool failed = analysis::anyAtLeast(report.findings, failOn);
    run.status = failed ? store::RunStatus::Failed : store::RunStatus::Passed;
    if (failed)
        run.statusReason = fmt::format("findings at or above {}", analysis::severityName(failOn));
    recordRun(global, run);
}

int printReport(const AnalyzeOptions& o, const analysis::AnalysisReport& report,
                analysis::Severity failOn) {
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
    return analysis::anyAtLeast(report.findings, failOn) ? exit_code::checksFailed : exit_code::ok;
}

/// No files: the whole kernel set, as it would be loaded on a device.
int analyzeSet(const GlobalOptions& global, const AnalyzeOptions& o, analysis::Severity failOn,
               const analysis::AnalysisOptions& options) {
    auto set = kernels::KernelSet::load(o.kernelSet);
    if (!set) return printError(set.error());
    store::Run run = beginRun(global, "analyze");
    run.environment.kernelSetName = set->manifest().name;
    run.environment.kernelSetHash = set->contentHash();
    analysis::KernelSetAnalysisOptions setOptions;
    setOptions.analysis = options;
    setOptions.rules = o.rules;
    setOptions.arch = o.arch;
    auto analysed = analysis::analyzeKernelSet(*set, setOptions);
    if (!analysed) return printError(analysed.error());
    for (const auto& skipped : analysed->skipped)
        printWarning("not analysed: " + skipped);
    if (analysed->ptx.empty() && !analysed->skipped.empty())
        return printError(
            Error(ErrorKind::Environment, "no source of the kernel set could be compiled to PTX"));
    for (const auto& [name, text] : analysed->ptx)
        run.kernels.push_back({name, "", name, "", text});
    recordAnalysis(global, run, analysed->report, failOn);
    return printReport(o, analysed->report, failOn);
}

int runAnalyze(const GlobalOptions& global, const AnalyzeOptions& o) {
    auto failOn = analysis::parseSeverity(o.failOn);
    if (!failOn) {
        printUsageError("--fail-on must be error, warning or note");
        return exit_code::usage;
    }
    if (!o.manifest.empty() && o.kernelSetGiven) {
        printUsageError("--manifest and --kernel-set both give roles; pass one");
        return exit_code::usage;
    }
    analysis::AnalysisOptions options = o.thresholds;
    options.ptxasPath = o.ptxas;
    options.ptxasArch = o.ptxasArch;
    if (o.files.empty()) {
        if (!o.pairs.empty()) {
            printUsageError("--pair needs PTX files; a kernel set pairs by its manifest");
            return exit_code::usage;
        }
        return analyzeSet(global, o, *failOn, options);
    }
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
    store::Run run = beginRun(global, "analyze");
    if (!o.manifest.empty()) {
        auto contracts = analysis::readManifestContracts(o.manifest);
        if (!contracts) return printError(contracts.error());
        analyzer.setContracts(std::move(*contracts));
    } else if (o.kernelSetGiven) {
        auto set = kernels::KernelSet::load(o.kernelSet);
        if (!set) return printError(set.error());
        run.environment.kernelSetName = set->manifest().name;
        run.environment.kernelSetHash = set->contentHash();
        analyzer.setContracts(analysis::contractsFromManifest(set->manifest()));
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
        run.kernels.push_back({file, "", file, "", std::string(modules.back().source)});
    }

    const auto report = analyzer.run();
    recordAnalysis(global, run, report, *failOn);
    return printReport(o, report, *failOn);
}

void setupAnalyzeCommand(CommandLine& cl) {
    auto o = std::make_shared<AnalyzeOptions>();
    auto* sub = cl.app().add_subcommand("analyze", "Static analysis of PTX kernels");
    sub->add_option("files", o->files, "PTX files (none: the kernel set's sources)")
        ->check(CLI::ExistingFile);
    sub->add_option("--manifest", o->manifest, "kernelset.json giving roles, variants, pairs");
    sub->add_option("--kernel-set", o->kernelSet,
                    "Kernel set directory: its manifest gives roles; without FILEs its sources "
                    "are analysed (default: the built-in set)")
        ->each([o](const std::string&) { o->kernelSetGiven = true; });
    sub->add_option("--arch", o->arch, "compute_ARCH for NVRTC when analysing a kernel set")
        ->check(CLI::Range(50, 200));
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
    onRun(cl, sub, [&cl, o] { return runAnalyze(cl.global(), *o); });
}

} // namespace
PTXWB_REGISTER_COMMAND(analyze, 30, setupAnalyzeCommand);
} // namespace ptxwb::cli
