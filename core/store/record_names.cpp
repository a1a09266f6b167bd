// Text names of the record enums: the exact strings in the database, JSON and reports.
#include "store/run.h"

#include <array>
#include <utility>

namespace ptxwb::store {

namespace {
template <typename Enum, std::size_t N>
const char* nameOf(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
    for (const auto& [e, name] : table) {
        if (e == value) return name;
    }
    return "unknown";
}
template <typename Enum, std::size_t N>
std::optional<Enum> parseName(const std::array<std::pair<Enum, const char*>, N>& table,
                              std::string_view text) {
    for (const auto& [e, name] : table) {
        if (text == name) return e;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<CheckKind, const char*>, 7> kCheckKinds{{
    {CheckKind::Parity, "parity"},
    {CheckKind::Reference, "reference"},
    {CheckKind::Probe, "probe"},
    {CheckKind::Selftest, "selftest"},
    {CheckKind::Kv, "kv"},
    {CheckKind::Static, "static"},
    {CheckKind::Trace, "trace"},
}};
constexpr std::array<std::pair<CheckStatus, const char*>, 4> kCheckStatuses{{
    {CheckStatus::Passed, "passed"},
    {CheckStatus::Failed, "failed"},
    {CheckStatus::Error, "error"},
    {CheckStatus::Skipped, "skipped"},
}};
constexpr std::array<std::pair<Severity, const char*>, 3> kSeverities{{
    {Severity::Error, "error"},
    {Severity::Warning, "warning"},
    {Severity::Note, "note"},
}};
constexpr std::array<std::pair<RunStatus, const char*>, 3> kRunStatuses{{
    {RunStatus::Passed, "passed"},
    {RunStatus::Failed, "failed"},
    {RunStatus::Error, "error"},
}};
} // namespace

const char* checkKindName(CheckKind kind) {
    return nameOf(kCheckKinds, kind);
}
std::optional<CheckKind> parseCheckKind(std::string_view name) {
    return parseName(kCheckKinds, name);
}
const char* checkStatusName(CheckStatus status) {
    return nameOf(kCheckStatuses, status);
}
std::optional<CheckStatus> parseCheckStatus(std::string_view name) {
    return parseName(kCheckStatuses, name);
}
const char* severityName(Severity severity) {
    return nameOf(kSeverities, severity);
}
std::optional<Severity> parseSeverity(std::string_view name) {
    return parseName(kSeverities, name);
}
const char* runStatusName(RunStatus status) {
    return nameOf(kRunStatuses, status);
}
std::optional<RunStatus> parseRunStatus(std::string_view name) {
    return parseName(kRunStatuses, name);
}

} // namespace ptxwb::store
