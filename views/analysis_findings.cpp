#include "analysis_findings.h"

#include "analysis/analyzer.h"
#include "analysis/kernel_set_analysis.h"
#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "ptx/source_manager.h"

#include <QElapsedTimer>
#include <deque>

namespace ptxwb::views {

namespace {

FindingSeverity toSeverity(analysis::Severity s) {
    switch (s) {
    case analysis::Severity::Error:
        return FindingSeverity::Error;
    case analysis::Severity::Warning:
        return FindingSeverity::Warning;
    case analysis::Severity::Note:
        break;
    }
    return FindingSeverity::Note;
}

SourceRange toRange(const analysis::SourceLocation& l) {
    const int line = int(l.line) - 1;
    const int column = int(l.column) - 1;
    const int endLine = l.endLine ? int(l.endLine) - 1 : line;
    // endColumn is the last character (inclusive); the editor wants one past it.
    const int endColumn = l.endColumn ? int(l.endColumn) : column;
    return SourceRange{{line, column}, {endLine, endColumn}};
}

} // namespace

EditorFinding toEditorFinding(const analysis::Finding& f) {
    EditorFinding out;
    out.severity = toSeverity(f.severity);
    out.ruleId = QString::fromStdString(f.ruleId);
    if (const analysis::RuleInfo* rule = analysis::findRule(f.ruleId))
        out.ruleTitle = QString::fromUtf8(rule->title.data(), qsizetype(rule->title.size()));
    out.message = QString::fromStdString(f.message);
    out.fixHint = QString::fromStdString(f.fixHint);
    out.kernel = QString::fromStdString(f.kernel);
    out.file = QString::fromStdString(f.location.file);
    out.range = f.location.hasPosition() ? toRange(f.location) : SourceRange{};
    for (const auto& r : f.related)
        if (r.location.hasPosition() && r.location.file == f.location.file)
            out.related.push_back(toRange(r.location));
    return out;
}

AnalysisOutcome runAnalysis(const AnalysisRequest& request) {
    QElapsedTimer timer;
    timer.start();
    AnalysisOutcome outcome;
    analysis::AnalysisOptions options;
    options.ptxasPath.clear();
    analysis::Analyzer analyzer(options);
    if (!request.manifestPath.isEmpty()) {
        auto contracts = analysis::readManifestContracts(request.manifestPath.toStdString());
        if (contracts)
            analyzer.setContracts(std::move(*contracts));
        else
            outcome.problems << QString::fromStdString(contracts.error().format());
    }
    for (const auto& [single, batched] : request.pairs)
        analyzer.addPair(single.toStdString(), batched.toStdString());

    // The analyzer keeps pointers into the modules and their buffers until run() returns.
    ptx::SourceManager sources;
    std::deque<ptx::Module> modules;
    for (const auto& file : request.files) {
        const std::string path = file.path.toStdString();
        const ptx::BufferId buffer = sources.addBuffer(path, file.text.toStdString());
        ptx::DiagnosticList diagnostics;
        ptx::Module module = ptx::parseModule(sources, buffer, diagnostics);
        if (diagnostics.hasErrors()) {
            for (const auto& d : diagnostics.all())
                if (d.severity == ptx::Severity::Error) {
                    outcome.problems
                        << QString::fromStdString(ptx::toError(sources, buffer, d).format());
                    break;
                }
            outcome.failedFiles << file.path;
            continue;
        }
        outcome.analysedFiles << file.path;
        modules.push_back(std::move(module));
        analyzer.addModule(path, modules.back());
    }
    const analysis::AnalysisReport report = analyzer.run();
    for (const auto& w : report.warnings)
        outcome.problems << QString::fromStdString(w);
    outcome.findings.reserve(report.findings.size());
    for (const auto& f : report.findings)
        outcome.findings.push_back(toEditorFinding(f));
    outcome.elapsedMs = timer.elapsed();
    return outcome;
}

} // namespace ptxwb::views
