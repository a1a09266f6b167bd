// JUnit XML: one testsuite per check kind, one testcase per check, so CI systems (GitLab,
// Jenkins, GitHub test reporters) list each parity pair and show the evidence of a failure.
#include "report/report.h"
#include "report/report_model.h"
#include "report/text_escape.h"

#include <fmt/format.h>
#include <map>

namespace ptxwb::reports {

using namespace store;

namespace {
std::string x(std::string_view text) {
    return escapeXml(text);
}
} // namespace

std::string renderJunit(const ReportInput& input) {
    const Run& run = input.run;
    std::map<std::string, std::vector<const Check*>> byKind;
    for (const auto& c : run.checks)
        byKind[checkKindName(c.kind)].push_back(&c);

    auto tally = [](const std::vector<const Check*>& checks, CheckStatus status) {
        std::size_t n = 0;
        for (const auto* c : checks)
            n += c->status == status ? 1 : 0;
        return n;
    };
    std::vector<const Check*> all;
    for (const auto& c : run.checks)
        all.push_back(&c);
    const double seconds = static_cast<double>(run.endedUnixMs - run.startedUnixMs) / 1000.0;
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out +=
        fmt::format("<testsuites name=\"ptxwb {} {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
                    "skipped=\"{}\" time=\"{:.3f}\">\n",
                    x(run.command), x(run.uuid), all.size(), tally(all, CheckStatus::Failed),
                    tally(all, CheckStatus::Error), tally(all, CheckStatus::Skipped), seconds);
    for (const auto& [kind, checks] : byKind) {
        std::string timestamp = formatUtc(run.startedUnixMs);
        timestamp.pop_back(); // JUnit's timestamp is ISO 8601 without a zone designator
        out += fmt::format(
            "  <testsuite name=\"ptxwb.{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
            "skipped=\"{}\" time=\"0\" timestamp=\"{}\" hostname=\"{}\">\n",
            x(kind), checks.size(), tally(checks, CheckStatus::Failed),
            tally(checks, CheckStatus::Error), tally(checks, CheckStatus::Skipped), x(timestamp),
            x(run.environment.host.empty() ? "unknown" : run.environment.host));
        out += "    <properties>\n";
        auto property = [&](const std::string& name, const std::string& value) {
            out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", x(name), x(value));
        };
        property("run_uuid", run.uuid);
        property("reproduce", shellCommandLine(run.commandLine));
        for (const auto& [label, value] : environmentRows(run.environment))
            property(label, value);
        out += "    </properties>\n";
        for (const Check* c : checks) {
            const std::string classname =
                c->kernels.empty() ? "ptxwb." + kind : "ptxwb." + kind + "." + c->kernels.front();
            out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
                               x(classname), x(c->name));
            std::string body;
            for (const auto& line : worstEvidence(*c))
                body += line + "\n";
            switch (c->status) {
            case CheckStatus::Passed:
                out += "/>\n";
                continue;
            case CheckStatus::Skipped:
                out += fmt::format(">\n      <skipped message=\"{}\"/>\n",
                                   x(c->evidence.value("reason", "skipped")));
                break;
            case CheckStatus::Failed:
                out += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                                   x(countsLine(*c)), x(kind), x(body));
                break;
            case CheckStatus::Error:
                out +=
                    fmt::format(">\n      <error message=\"{}\" type=\"error\">{}</error>\n",
                                x(c->evidence.value("error", "check could not complete")), x(body));
                break;
            }
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

} // namespace ptxwb::reports
