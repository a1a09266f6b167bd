#include "analysis/finding.h"

#include <algorithm>
#include <tuple>

namespace ptxwb::analysis {

std::string_view severityName(Severity s) {
    switch (s) {
    case Severity::Note:
        return "note";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "note";
}

std::optional<Severity> parseSeverity(std::string_view text) {
    if (text == "note") return Severity::Note;
    if (text == "warning") return Severity::Warning;
    if (text == "error") return Severity::Error;
    return std::nullopt;
}

void sortFindings(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.location.file, a.location.line, a.location.column, a.ruleId, a.kernel,
                        a.message) < std::tie(b.location.file, b.location.line, b.location.column,
                                              b.ruleId, b.kernel, b.message);
    });
}

bool anyAtLeast(const std::vector<Finding>& findings, Severity threshold) {
    return std::any_of(findings.begin(), findings.end(),
                       [threshold](const Finding& f) { return f.severity >= threshold; });
}

} // namespace ptxwb::analysis
