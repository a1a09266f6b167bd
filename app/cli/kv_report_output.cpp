#include "kv_report_output.h"

#include "report/text_escape.h"

#include <fmt/format.h>

namespace ptxwb::cli {

std::string kvReportText(const engine::KvValidationReport& report) {
    std::string out =
        fmt::format("KV-cache validation: {} ({} {}, {} elements compared)\n",
                    report.passed ? "PASSED" : "FAILED", report.problems.size(),
                    report.problems.size() == 1 ? "problem" : "problems", report.elementsCompared);
    for (const auto& p : report.problems)
        out += fmt::format("  FAIL  {}\n", p);
    for (const auto& p : report.passes)
        out += fmt::format("  ok    {}\n", p);
    if (report.elementsMismatched > 0) {
        out += fmt::format("  {} elements differ; largest |serial - batched| = {:.6g}\n",
                           report.elementsMismatched, report.maxAbsDifference);
    }
    return out;
}

std::string kvReportJunit(const engine::KvValidationReport& report, const std::string& suiteName) {
    const std::size_t cases = report.problems.size() + report.passes.size();
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n",
                       reports::escapeXml(suiteName), cases, report.problems.size());
    for (const auto& p : report.problems) {
        out += fmt::format(
            "  <testcase classname=\"{}\" name=\"{}\">\n    <failure message=\"{}\"/>\n"
            "  </testcase>\n",
            reports::escapeXml(suiteName), reports::escapeXml(p), reports::escapeXml(p));
    }
    for (const auto& p : report.passes) {
        out += fmt::format("  <testcase classname=\"{}\" name=\"{}\"/>\n",
                           reports::escapeXml(suiteName), reports::escapeXml(p));
    }
    out += "</testsuite>\n";
    return out;
}

} // namespace ptxwb::cli
