#pragma once
// Reports of a run from the GUI, through core/report exactly as `ptxwb report` writes them (the
// tests compare the bytes), and the Markdown an issue tracker takes from the clipboard.

#include "report/report.h"
#include "store/history_store.h"

#include <string>
#include <vector>

namespace ptxwb::views {

/// What to export: a run, optionally against a baseline run, as one format into one file.
struct ReportRequest {
    std::string runUuid;
    std::string againstUuid; ///< empty: no comparison
    reports::ReportFormat format = reports::ReportFormat::Markdown;
    std::string outputPath;
};

/// Writes the report (Markdown also writes its heatmap PNGs beside the file); the paths written.
Expected<std::vector<std::string>> exportRunReport(store::HistoryStore& history,
                                                   const ReportRequest& request);

/// The Markdown report without heatmap images (a clipboard cannot carry the PNG files): the text
/// to paste into an issue.
Expected<std::string> runIssueText(store::HistoryStore& history, const std::string& runUuid,
                                   const std::string& againstUuid = {});

} // namespace ptxwb::views
