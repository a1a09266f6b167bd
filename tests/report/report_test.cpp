#include "../store/test_support.h"
#include "fixture_runs.h"
#include "../store/json_schema_subset.h"
#include "report/report.h"
#include "util/mapped_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>

using namespace ptxwb;
using namespace ptxwb::reports;
using ptxwb::testing_support::TempDir;
using testing::HasSubstr;
using testing::Not;

namespace {

store::Run baseline() {
    return store::fixtures::makeParityRun({});
}

store::Run failing() {
    store::fixtures::ParityRunOptions o;
    o.seed = 2;
    o.withDequantBug = true;
    o.driverVersion = "555.42.02";
    return store::fixtures::makeParityRun(o);
}

ReportInput comparedInput() {
    ReportInput in;
    in.run = failing();
    in.against = baseline();
    in.comparison = store::compareRuns(*in.against, in.run);
    in.ptxwbVersion = "0.1.0";
    return in;
}

ReportInput hostileInput() {
    ReportInput in;
    in.run = store::fixtures::makeHostileNamesRun();
    in.ptxwbVersion = "0.1.0";
    return in;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
        ++n;
    return n;
}

nlohmann::json reportSchema() {
    auto text =
        readFileText(std::string(PTXWB_RESOURCES_DIR) + "/schemas/ptxwb-report.schema.json");
    EXPECT_TRUE(text);
    return nlohmann::json::parse(*text);
}

} // namespace

TEST(MarkdownReport, HasReproducerEnvironmentAndWorstFailureFirst) {
    auto heatmaps = renderFailingHeatmaps(comparedInput().run, "r");
    ASSERT_TRUE(heatmaps);
    ASSERT_EQ(heatmaps->size(), 2u);
    EXPECT_EQ((*heatmaps)[0].checkName, "BatchedQ6KGemvKernel dequant probe 256x4096")
        << "32768 failing elements beat 775";
    const std::string md = renderMarkdown(comparedInput(), *heatmaps);
    EXPECT_THAT(md, HasSubstr("```sh\nptxwb parity --kernel-set builtin --seed 2 --m 1,4\n```"));
    EXPECT_THAT(md, HasSubstr("| Driver | 555.42.02 |"));
    EXPECT_THAT(md,
                HasSubstr("### 1. BatchedQ6KGemvKernel dequant probe 256x4096 (probe, failed)"));
    EXPECT_THAT(md, HasSubstr("### 2. BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096"));
    EXPECT_THAT(
        md,
        HasSubstr("- mismatch 768, NaN/Inf 1, unwritten 6, within contract 123 of 16384 elements"));
    EXPECT_THAT(
        md, HasSubstr("![heatmap of BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096](r-2-"));
    EXPECT_THAT(md, HasSubstr("| newly_failing |"));
    EXPECT_THAT(md, HasSubstr("| driver\\_version | 550.54.15 | 555.42.02 |"));
    EXPECT_THAT(md, HasSubstr("| BatchedQ6KGemvKernel | "));
    EXPECT_THAT(
        md,
        HasSubstr(
            "| warning | shared-address-u64 | kernels/BatchedVectorizedRmsNormKernel.ptx:41:5 |"));
}

TEST(MarkdownReport, HostileNamesCannotInjectMarkupIntoTheTracker) {
    const std::string md = renderMarkdown(hostileInput(), {});
    EXPECT_THAT(md, Not(HasSubstr("<script")));
    EXPECT_THAT(md, Not(HasSubstr("<img")));
    EXPECT_THAT(
        md,
        HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; vs \\| pipe \\`tick\\` \\*star\\* M=4"));
    // The reproducer is inside a code fence, quoted for the shell, so it stays literal.
    EXPECT_THAT(md, HasSubstr("ptxwb parity --kernel-set 'evil dir/<b>set</b>' --seed 3"));
}

TEST(MarkdownReport, WriteReportPutsHeatmapPngsBesideTheFile) {
    TempDir dir;
    auto written = writeReport(comparedInput(), ReportFormat::Markdown, dir.file("bug/report.md"));
    ASSERT_TRUE(written) << written.error().format();
    ASSERT_EQ(written->size(), 3u);
    EXPECT_EQ((*written)[0], dir.file("bug/report.md"));
    EXPECT_EQ((*written)[1],
              dir.file("bug/report-1-batchedq6kgemvkernel-dequant-probe-256x4096.png"));
    const std::string png = testing_support::readBytes((*written)[2]);
    EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
    EXPECT_THAT(testing_support::readBytes((*written)[0]),
                HasSubstr("(report-1-batchedq6kgemvkernel-dequant-probe-256x4096.png)"));
}

TEST(MarkdownReport, ImageLinksStayValidForReportNamesWithSpaces) {
    TempDir dir;
    auto written = writeReport(comparedInput(), ReportFormat::Markdown, dir.file("Bug Report (v2).md"));
    ASSERT_TRUE(written) << written.error().format();
    EXPECT_EQ((*written)[1], dir.file("bug-report-v2-1-batchedq6kgemvkernel-dequant-probe-256x4096.png"));
    EXPECT_THAT(testing_support::readBytes((*written)[0]),
                HasSubstr("](bug-report-v2-1-batchedq6kgemvkernel-dequant-probe-256x4096.png)"));
}

TEST(HtmlReport, ScriptInKernelNameShowsAsText) {
    auto heatmaps = renderFailingHeatmaps(hostileInput().run, "h");
    ASSERT_TRUE(heatmaps);
    const std::string html = renderHtml(hostileInput(), *heatmaps);
    std::string lower = html;
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_THAT(lower, Not(HasSubstr("<script"))) << "no script element of any spelling";
    EXPECT_THAT(lower, Not(HasSubstr("<img src=x")));
    EXPECT_THAT(lower, Not(HasSubstr("<b>bold")));
    EXPECT_THAT(lower, Not(HasSubstr("<b>set")));
    EXPECT_THAT(
        html,
        HasSubstr("<h3>1. &lt;script&gt;alert(1)&lt;/script&gt; vs | pipe `tick` *star* M=4"));
    EXPECT_THAT(html, HasSubstr("1 of 1 checks failed: &lt;img src=x onerror=alert(2)&gt;"));
    EXPECT_THAT(html, HasSubstr("GPU &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    EXPECT_THAT(html, HasSubstr("note: &lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;"));
    EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
}

TEST(HtmlReport, IsSelfContainedWithHeatmapsAsDataUris) {
    auto in = comparedInput();
    auto heatmaps = renderFailingHeatmaps(in.run, "h");
    ASSERT_TRUE(heatmaps);
    const std::string html = renderHtml(in, *heatmaps);
    EXPECT_EQ(occurrences(html, "src=\"data:image/png;base64,iVBORw0KGgo"), 2u);
    std::regex external(R"((src|href)\s*=\s*"(?!data:))");
    EXPECT_FALSE(std::regex_search(html, external)) << "no external resource of any kind";
    EXPECT_THAT(
        html, HasSubstr("<td class=\"newly_failing\">newly_failing</td><td>BatchedQ6KGemvKernel vs "
                        "Q6KGemvKernel M=4 4096x4096</td>"));
}

TEST(JsonReport, ConformsToTheDocumentedSchema) {
    const nlohmann::json schema = reportSchema();
    for (const auto& in : {comparedInput(), hostileInput()}) {
        auto j = nlohmann::json::parse(renderJson(in));
        auto problems = testing_support::validateAgainstSchema(j, schema);
        EXPECT_THAT(problems, testing::IsEmpty()) << in.run.uuid;
    }
}

TEST(JsonReport, SchemaCheckCatchesADriftedWriter) {
    auto j = nlohmann::json::parse(renderJson(comparedInput()));
    j["run"]["checks"][0].erase("maxUlp");
    j["run"]["status"] = "green";
    auto problems = testing_support::validateAgainstSchema(j, reportSchema());
    EXPECT_THAT(problems, testing::Contains("/run/checks/0: missing maxUlp"));
    EXPECT_THAT(problems, testing::Contains(
                              "/run/status: \"green\" not in [\"passed\",\"failed\",\"error\"]"));
}

TEST(JsonReport, CarriesComparisonAndFailingChecks) {
    auto j = nlohmann::json::parse(renderJson(comparedInput()));
    EXPECT_EQ(j["schema"], "ptxwb-report/1");
    EXPECT_EQ(j["failingChecks"].size(), 2u);
    EXPECT_EQ(j["comparison"]["changeCounts"]["newly_failing"], 1);
    EXPECT_EQ(j["baseline"]["uuid"], baseline().uuid);
    EXPECT_EQ(j["run"]["checks"][5]["mismatchMap"]["rows"], 4);
}

TEST(JunitReport, OneTestcasePerCheckWithFailureEvidence) {
    const std::string xml = renderJunit(comparedInput());
    EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 0), 0u);
    EXPECT_EQ(occurrences(xml, "<testcase "), 13u);
    EXPECT_EQ(occurrences(xml, "<failure "), 2u);
    EXPECT_THAT(xml,
                HasSubstr("tests=\"13\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"5.230\""));
    EXPECT_THAT(xml, HasSubstr("<testsuite name=\"ptxwb.parity\" tests=\"12\" failures=\"1\""));
    EXPECT_THAT(
        xml,
        HasSubstr(
            "<testcase classname=\"ptxwb.parity.BatchedQ6KGemvKernel\" name=\"BatchedQ6KGemvKernel "
            "vs Q6KGemvKernel M=4 4096x4096\" time=\"0\">\n      <failure message=\"mismatch "
            "768, NaN/Inf 1, unwritten 6, within contract 123 of 16384 elements\" "
            "type=\"parity\">"));
    EXPECT_THAT(xml, HasSubstr("timestamp=\"2025-11-24T16:00:00.000\""));
}

TEST(JunitReport, HostileNamesAreEscaped) {
    const std::string xml = renderJunit(hostileInput());
    EXPECT_THAT(
        xml,
        HasSubstr("name=\"&lt;script&gt;alert(1)&lt;/script&gt; vs | pipe `tick` *star* M=4\""));
    EXPECT_THAT(xml, Not(HasSubstr("<script")));
    EXPECT_THAT(xml, HasSubstr("value=\"GPU &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;\""));
}

TEST(SarifReport, FindingsWithRulesLocationsAndRelatedLocations) {
    auto j = nlohmann::json::parse(renderSarif(comparedInput()));
    EXPECT_EQ(j["version"], "2.1.0");
    const auto& run = j["runs"][0];
    EXPECT_EQ(run["tool"]["driver"]["name"], "ptxwb");
    ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 1u);
    const auto& rule = run["tool"]["driver"]["rules"][0];
    EXPECT_EQ(rule["id"], "shared-address-u64");
    EXPECT_EQ(rule["defaultConfiguration"]["level"], "warning");
    EXPECT_EQ(rule["help"]["text"],
              "cvta.to.shared.u32 and use a %r register for ld.shared/st.shared");
    ASSERT_EQ(run["results"].size(), 1u);
    const auto& result = run["results"][0];
    EXPECT_EQ(result["ruleIndex"], 0);
    EXPECT_EQ(result["level"], "warning");
    const auto& loc = result["locations"][0];
    EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"],
              "kernels/BatchedVectorizedRmsNormKernel.ptx");
    EXPECT_EQ(loc["physicalLocation"]["region"],
              (nlohmann::json{
                  {"startLine", 41}, {"startColumn", 5}, {"endLine", 41}, {"endColumn", 38}}));
    EXPECT_EQ(loc["logicalLocations"][0]["name"], "BatchedVectorizedRmsNormKernel");
    const auto& related = result["relatedLocations"][0];
    EXPECT_EQ(related["id"], 1);
    EXPECT_EQ(related["physicalLocation"]["region"]["startLine"], 37);
    EXPECT_EQ(related["message"]["text"], "32-bit shared address in the single-vector kernel");
    EXPECT_EQ(run["invocations"][0]["commandLine"],
              "ptxwb parity --kernel-set builtin --seed 2 --m 1,4");
    EXPECT_EQ(run["automationDetails"]["id"], "ptxwb/parity/" + failing().uuid);
}

TEST(SarifReport, RuleCatalogueFillsRuleMetadata) {
    auto in = comparedInput();
    in.rules["shared-address-u64"] = {"SharedAddressU64",
                                      "Shared memory addressed through a 64-bit register",
                                      "https://example.invalid/rules/shared-address-u64"};
    auto j = nlohmann::json::parse(renderSarif(in));
    const auto& rule = j["runs"][0]["tool"]["driver"]["rules"][0];
    EXPECT_EQ(rule["name"], "SharedAddressU64");
    EXPECT_EQ(rule["shortDescription"]["text"],
              "Shared memory addressed through a 64-bit register");
    EXPECT_EQ(rule["helpUri"], "https://example.invalid/rules/shared-address-u64");
}

TEST(ReportFormat, NamesParse) {
    EXPECT_EQ(parseReportFormat("md"), ReportFormat::Markdown);
    EXPECT_EQ(parseReportFormat("markdown"), ReportFormat::Markdown);
    EXPECT_EQ(parseReportFormat("sarif"), ReportFormat::Sarif);
    EXPECT_EQ(parseReportFormat("pdf"), std::nullopt);
}
