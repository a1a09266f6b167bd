#pragma once
// `ptxwb report`: a run (optionally against a baseline run) rendered for people and tools:
// Markdown for issue trackers, self-contained HTML, JSON, JUnit XML for CI, SARIF for findings.
// The module's namespace is ptxwb::reports because ptxwb::report() is the progress helper of
// util/progress.h.

#include "store/history_store.h"
#include "store/run.h"
#include "store/run_compare.h"
#include "util/expected.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::reports {

enum class ReportFormat { Markdown, Html, Json, Junit, Sarif };
[[nodiscard]] const char* reportFormatName(ReportFormat format);
/// "md"/"markdown", "html", "json", "junit", "sarif".
[[nodiscard]] std::optional<ReportFormat> parseReportFormat(std::string_view name);
/// The file extension of a report: ".md", ".html", ".json", ".xml", ".sarif".
[[nodiscard]] const char* reportFileExtension(ReportFormat format);
/// The format a file extension names (reportFileExtension's, and ".htm"), if any.
[[nodiscard]] std::optional<ReportFormat> reportFormatForExtension(std::string_view extension);

/// Rule metadata for SARIF (the analysis module supplies its catalogue; without it rules are
/// described by their id and the findings' fix hints).
struct RuleInfo {
    std::string name;
    std::string shortDescription;
    std::string helpUri;
};

/// What a report shows.
struct ReportInput {
    store::Run run;                                 ///< loaded with its mismatch maps
    std::optional<store::Run> against;              ///< the baseline of --against
    std::optional<store::RunComparison> comparison; ///< compareRuns(*against, run)
    std::map<std::string, RuleInfo> rules;          ///< by rule id, optional
    std::string ptxwbVersion;                       ///< of the ptxwb writing the report
};

/// A heatmap image that belongs with a report.
struct HeatmapImage {
    std::string checkName;
    std::string fileName; ///< beside the Markdown file; unused by HTML (data URI)
    std::vector<std::uint8_t> png;
};

/// Heatmaps of failing checks that have a mismatch map, worst first, at most `limit`.
Expected<std::vector<HeatmapImage>>
renderFailingHeatmaps(const store::Run& run, const std::string& filePrefix, std::size_t limit = 12);

[[nodiscard]] std::string renderMarkdown(const ReportInput& input,
                                         const std::vector<HeatmapImage>& heatmaps);
[[nodiscard]] std::string renderHtml(const ReportInput& input,
                                     const std::vector<HeatmapImage>& heatmaps);
[[nodiscard]] std::string renderJson(const ReportInput& input);
[[nodiscard]] std::string renderJunit(const ReportInput& input);
[[nodiscard]] std::string renderSarif(const ReportInput& input);

/// The run `runUuid` (with its mismatch maps) and, given a baseline uuid, the comparison with it
/// (the baseline is only compared, so its maps are not read): what `ptxwb report` and the GUI's
/// export write.
Expected<ReportInput> loadReportInput(store::HistoryStore& history, const std::string& runUuid,
                                      const std::string& againstUuid, std::string ptxwbVersion);

/// Renders `input` as `format` and writes it to `outputPath` (atomically). Markdown also writes
/// its heatmap PNGs beside the file, named "<stem>-<n>-<check>.png". Returns the paths written.
Expected<std::vector<std::string>> writeReport(const ReportInput& input, ReportFormat format,
                                               const std::string& outputPath);

} // namespace ptxwb::reports
