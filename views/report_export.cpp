#include "report_export.h"

namespace ptxwb::views {

Expected<std::vector<std::string>> exportRunReport(store::HistoryStore& history,
                                                   const ReportRequest& request) {
    PTXWB_TRY(
        reports::ReportInput input,
        reports::loadReportInput(history, request.runUuid, request.againstUuid, PTXWB_VERSION));
    return reports::writeReport(input, request.format, request.outputPath);
}

Expected<std::string> runIssueText(store::HistoryStore& history, const std::string& runUuid,
                                   const std::string& againstUuid) {
    PTXWB_TRY(reports::ReportInput input,
              reports::loadReportInput(history, runUuid, againstUuid, PTXWB_VERSION));
    return reports::renderMarkdown(input, {});
}

} // namespace ptxwb::views
