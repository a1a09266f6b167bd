#pragma once
// What the views need to know about a finding. A plain struct so that the editor, the findings
// table and their tests do not wait for core/analysis; analysis::Finding converts into it in
// one function once it exists.

#include "text_line_buffer.h"

#include <QString>
#include <vector>

namespace ptxwb::views {

/// Ordered by importance: higher is worse (sorting and "most severe on this line" rely on it).
enum class FindingSeverity : int { Note = 0, Warning = 1, Error = 2 };

/// A half-open source range [begin, end) in editor coordinates (0-based lines and columns).
struct SourceRange {
    TextPosition begin;
    TextPosition end;
    bool containsLine(int line) const { return line >= begin.line && line <= end.line; }
};

/// One diagnostic of the analyzer as shown in the editor and the findings table.
struct EditorFinding {
    FindingSeverity severity = FindingSeverity::Warning;
    QString ruleId;    ///< "shared-address-64"
    QString ruleTitle; ///< "64-bit address into shared memory"
    QString message;   ///< what is wrong at this place
    QString fixHint;   ///< what to do about it (may be empty)
    QString kernel;    ///< entry or function name
    QString file;      ///< path as opened
    SourceRange range;
    std::vector<SourceRange> related; ///< e.g. where the offending register was defined
};

QString severityName(FindingSeverity severity);

} // namespace ptxwb::views
