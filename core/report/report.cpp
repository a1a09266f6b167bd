#include "report/report.h"

#include "report/heatmap.h"
#include "report/report_model.h"
#include "report/text_escape.h"
#include "util/mapped_file.h"
#include "util/paths.h"

#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::reports {

const char* reportFormatName(ReportFormat format) {
    switch (format) {
    case ReportFormat::Markdown:
        return "md";
    case ReportFormat::Html:
        return "html";
    case ReportFormat::Json:
        return "json";
    case ReportFormat::Junit:
        return "junit";
    case ReportFormat::Sarif:
        return "sarif";
    }
    return "md";
}

std::optional<ReportFormat> parseReportFormat(std::string_view name) {
    if (name == "md" || name == "markdown") return ReportFormat::Markdown;
    if (name == "html") return ReportFormat::Html;
    if (name == "json") return ReportFormat::Json;
    if (name == "junit") return ReportFormat::Junit;
    if (name == "sarif") return ReportFormat::Sarif;
    return std::nullopt;
}

const char* reportFileExtension(ReportFormat format) {
    switch (format) {
    case ReportFormat::Markdown:
        return ".md";
    case ReportFormat::Html:
        return ".html";
    case ReportFormat::Json:
        return ".json";
    case ReportFormat::Junit:
        return ".xml";
    case ReportFormat::Sarif:
        return ".sarif";
    }
    return "";
}

std::optional<ReportFormat> reportFormatForExtension(std::string_view extension) {
    if (extension == ".htm") return ReportFormat::Html;
    for (ReportFormat f : {ReportFormat::Markdown, ReportFormat::Html, ReportFormat::Json,
                           ReportFormat::Junit, ReportFormat::Sarif})
        if (extension == reportFileExtension(f)) return f;
    return std::nullopt;
}

Expected<ReportInput> loadReportInput(store::HistoryStore& history, const std::string& runUuid,
                                      const std::string& againstUuid, std::string ptxwbVersion) {
    ReportInput input;
    input.ptxwbVersion = std::move(ptxwbVersion);
    PTXWB_TRY(input.run, history.loadRun(runUuid));
    if (!againstUuid.empty()) {
        store::LoadOptions light;
        light.mismatchMaps = false;
        PTXWB_TRY(store::Run against, history.loadRun(againstUuid, light));
        input.comparison = store::compareRuns(against, input.run);
        input.against = std::move(against);
    }
    return input;
}

Expected<std::vector<HeatmapImage>>
renderFailingHeatmaps(const store::Run& run, const std::string& filePrefix, std::size_t limit) {
    std::vector<HeatmapImage> images;
    for (const store::Check* c : failingChecks(run)) {
        if (images.size() >= limit) break;
        if (!c->mismatchMap || c->mismatchMap->empty()) continue;
        HeatmapOptions options;
        options.title = c->name;
        PTXWB_TRY(auto png, renderHeatmapPng(*c->mismatchMap, options));
        HeatmapImage image;
        image.checkName = c->name;
        image.fileName =
            fmt::format("{}-{}-{}.png", filePrefix, images.size() + 1, slugify(c->name));
        image.png = std::move(png);
        images.push_back(std::move(image));
    }
    return images;
}

Expected<std::vector<std::string>> writeReport(const ReportInput& input, ReportFormat format,
                                               const std::string& outputPath) {
    namespace fs = std::filesystem;
    const fs::path out(outputPath);
    if (out.has_parent_path()) PTXWB_CHECK(makeDirectories(out.parent_path().string()));
    std::vector<std::string> written;
    std::string text;
    switch (format) {
    case ReportFormat::Markdown: {
        // Slugged so the Markdown image links stay valid whatever the report is called.
        PTXWB_TRY(auto heatmaps, renderFailingHeatmaps(input.run, slugify(out.stem().string())));
        const fs::path dir = out.parent_path();
        for (const auto& image : heatmaps) {
            const std::string path = (dir / image.fileName).string();
            std::string_view bytes(reinterpret_cast<const char*>(image.png.data()),
                                   image.png.size());
            PTXWB_CHECK(writeFileAtomic(path, bytes));
            written.push_back(path);
        }
        text = renderMarkdown(input, heatmaps);
        break;
    }
    case ReportFormat::Html: {
        PTXWB_TRY(auto heatmaps, renderFailingHeatmaps(input.run, "heatmap"));
        text = renderHtml(input, heatmaps);
        break;
    }
    case ReportFormat::Json:
        text = renderJson(input);
        break;
    case ReportFormat::Junit:
        text = renderJunit(input);
        break;
    case ReportFormat::Sarif:
        text = renderSarif(input);
        break;
    }
    PTXWB_CHECK(writeFileAtomic(outputPath, text));
    written.insert(written.begin(), outputPath);
    return written;
}

} // namespace ptxwb::reports
