#include "report_export.h"

namespace ptxwb::views {

Expected<reports::ReportInput> loadReportInput(store::HistoryStore& history,
                                               const std::string& runUuid,
                                               const std::string& againstUuid) {
    reports::ReportInput input;
    input.ptxwbVersion = PTXWB_VERSION;
    PTXWB_TRY(input.run, history.loadRun(runUuid));
    if (!againstUuid.empty()) {
        // The baseline is only compared, never drawn: its maps are not needed.
        store::LoadOptions light;
        light.mismatchMaps = false;
        PTXWB_TRY(store::Run against, history.loadRun(againstUuid, light));
        input.comparison = store::compareRuns(against, input.run);
        input.against = std::move(against);
    }
    return input;
}

Expected<std::vector<std::string>> exportRunReport(store::HistoryStore& history,
                                                   const ReportRequest& request) {
    PTXWB_TRY(reports::ReportInput input,
              loadReportInput(history, request.runUuid, request.againstUuid));
    return reports::writeReport(input, request.format, request.outputPath);
}

Expected<std::string> runIssueText(store::HistoryStore& history, const std::string& runUuid,
                                   const std::string& againstUuid) {
    PTXWB_TRY(reports::ReportInput input, loadReportInput(history, runUuid, againstUuid));
    return reports::renderMarkdown(input, {});
}

const char* reportFileExtension(reports::ReportFormat format) {
    switch (format) {
    case reports::ReportFormat::Markdown:
        return ".md";
    case reports::ReportFormat::Html:
        return ".html";
    case reports::ReportFormat::Json:
        return ".json";
    case reports::ReportFormat::Junit:
        return ".xml";
    case reports::ReportFormat::Sarif:
        return ".sarif";
    }
    return "";
}

} // namespace ptxwb::views
