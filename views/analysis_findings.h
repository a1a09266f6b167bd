#pragma once
// The one place where core/analysis meets the views: running the Analyzer over texts held in
// memory (what the editor shows, edits included) and turning analysis::Finding into the
// EditorFinding the editor and the findings table draw. Qt containers only at the edges; safe
// to call on any thread.

#include "editor_finding.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace ptxwb::analysis {
struct Finding;
}

namespace ptxwb::views {

/// What to analyse: one or more PTX texts, optionally a manifest and pairs to compare.
struct AnalysisRequest {
    struct File {
        QString path;    ///< names the findings (as the editor knows the file)
        QByteArray text; ///< the text to analyse (the editor's, not necessarily the disk's)
    };
    std::vector<File> files;
    QString manifestPath; ///< kernelset.json giving roles and pairs (optional)
    std::vector<std::pair<QString, QString>> pairs; ///< single = batched entry names
};

/// What came back.
struct AnalysisOutcome {
    std::vector<EditorFinding> findings;
    QStringList problems;      ///< parse errors, manifest errors, analyzer warnings
    QStringList analysedFiles; ///< files that parsed: their findings replace the old ones
    QStringList failedFiles;   ///< files that did not parse (their old findings stay shown)
    qint64 elapsedMs = 0;
};

/// Converts a finding (1-based, end column inclusive) to editor coordinates (0-based,
/// half-open). The rule title comes from the analyzer's rule table.
EditorFinding toEditorFinding(const analysis::Finding& finding);

/// Parses every file and runs every rule except resource-usage (which starts ptxas per run and
/// belongs to explicit runs from the CLI). CPU only; blocks, so call it off the GUI thread.
AnalysisOutcome runAnalysis(const AnalysisRequest& request);

} // namespace ptxwb::views
