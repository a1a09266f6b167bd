#pragma once
// Diagnostics of the PTX front end: severity, a source range, a message and notes. They print
// like a compiler's: "file:line:col: error: expected ';' after instruction", the source line,
// and a caret under the range.

#include "ptx/source_manager.h"
#include "util/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ptxwb::ptx {

enum class Severity : std::uint8_t { Note, Warning, Error };

/// Extra context attached to a diagnostic ("previous declaration is here").
struct DiagnosticNote {
    SourceRange range;
    std::string message;
};

struct Diagnostic {
    Severity severity = Severity::Error;
    SourceRange range; ///< where the caret points; range.begin is the reported column
    std::string message;
    std::vector<DiagnosticNote> notes;
};

/// Collects diagnostics for one buffer. Parsing never stops on errors: callers look at
/// errorCount() afterwards. After `limit` errors further ones are counted but dropped, so a
/// binary file cannot produce gigabytes of messages.
class DiagnosticList {
public:
    explicit DiagnosticList(std::size_t limit = 200) : limit_(limit) {}

    Diagnostic& report(Severity severity, SourceRange range, std::string message);
    Diagnostic& error(SourceRange range, std::string message) {
        return report(Severity::Error, range, std::move(message));
    }
    Diagnostic& warning(SourceRange range, std::string message) {
        return report(Severity::Warning, range, std::move(message));
    }

    [[nodiscard]] const std::vector<Diagnostic>& all() const { return list_; }
    [[nodiscard]] std::size_t errorCount() const { return errors_; }
    [[nodiscard]] std::size_t warningCount() const { return warnings_; }
    [[nodiscard]] bool hasErrors() const { return errors_ > 0; }
    void append(const DiagnosticList& other);

private:
    std::vector<Diagnostic> list_;
    Diagnostic overflow_; ///< returned once the limit is reached (written to, never kept)
    std::size_t limit_;
    std::size_t errors_ = 0;
    std::size_t warnings_ = 0;
};

/// Formats one diagnostic with its caret line and notes, ending in '\n'.
[[nodiscard]] std::string formatDiagnostic(const SourceManager& sources, BufferId buffer,
                                           const Diagnostic& d);
/// The first error as a util Error (kind BadInput, with file:line:col), for CLI exit codes.
[[nodiscard]] Error toError(const SourceManager& sources, BufferId buffer, const Diagnostic& d);

} // namespace ptxwb::ptx
