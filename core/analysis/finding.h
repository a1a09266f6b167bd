#pragma once
// What the analyzer reports. A Finding is a plain value: its locations carry the file name,
// 1-based line/column and the source line itself, so the store, the report exporters and the GUI
// can show it without the SourceManager that produced it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::analysis {

/// How serious a finding is. Ordered: Note < Warning < Error (used by --fail-on).
enum class Severity : std::uint8_t { Note, Warning, Error };

[[nodiscard]] std::string_view severityName(Severity s);
/// Parses "error" / "warning" / "note"; nullopt for anything else.
[[nodiscard]] std::optional<Severity> parseSeverity(std::string_view text);

/// A byte range of a source file with its human coordinates (all 1-based, end inclusive of the
/// last column so a caret line can underline it).
struct SourceLocation {
    std::string file;
    std::uint32_t offset = 0; ///< byte offset of the first character
    std::uint32_t length = 0; ///< bytes
    std::uint32_t line = 0;   ///< 0 when the finding has no position (e.g. a whole module)
    std::uint32_t column = 0;
    std::uint32_t endLine = 0;
    std::uint32_t endColumn = 0; ///< column of the last character
    std::string lineText;        ///< the source line of `line`, without its terminator

    [[nodiscard]] bool hasPosition() const { return line != 0; }
    friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

/// A secondary location with what it shows ("address formed here").
struct RelatedLocation {
    SourceLocation location;
    std::string message;
    friend bool operator==(const RelatedLocation&, const RelatedLocation&) = default;
};

/// One problem found by one rule in one kernel (or kernel pair).
struct Finding {
    std::string ruleId;
    Severity severity = Severity::Warning;
    std::string kernel; ///< for pair findings: the batched kernel
    SourceLocation location;
    std::string message;
    std::vector<RelatedLocation> related;
    std::string fixHint;
    friend bool operator==(const Finding&, const Finding&) = default;
};

/// Sorts findings by file, line, column, rule id, kernel, message: the output of a run does not
/// depend on rule or thread order, so two runs over the same input diff cleanly.
void sortFindings(std::vector<Finding>& findings);

/// True when at least one finding is at or above `threshold`.
[[nodiscard]] bool anyAtLeast(const std::vector<Finding>& findings, Severity threshold);

} // namespace ptxwb::analysis
