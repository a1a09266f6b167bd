#pragma once
// Where the functions of a PTX text are: for the outline dock, folding per function and
// go-to-definition. The scan looks only at braces, comments and function headers (bytes, no
// decoding), so it covers 40 MB in well under 100 ms; the header line itself is classified by
// tokenizePtxLine(). It is replaced by ptx::Module's function list once core/ptx is there.

#include "text_line_buffer.h"

#include <QString>
#include <vector>

namespace ptxwb::views {

/// One `.entry` or `.func` with a body.
struct PtxFunctionOutline {
    QString name;
    bool isEntry = false; ///< .entry (a kernel) rather than .func
    int headerLine = 0;   ///< line of the .entry/.func keyword
    int openLine = 0;     ///< line of the body's `{`
    int closeLine = 0;    ///< line of the matching `}`
};

/// Functions in text order.
struct PtxOutline {
    std::vector<PtxFunctionOutline> functions;

    /// Index of the function whose header..close range holds `line`, or -1.
    int functionContaining(int line) const;
    /// Index of the function named `name`, or -1.
    int functionNamed(QStringView name) const;
};

/// Scans the whole buffer.
PtxOutline scanPtxOutline(const TextLineBuffer& text);

/// Line of `label:` within [fromLine, toLine], or -1.
int findLabelDefinition(const TextLineBuffer& text, QStringView label, int fromLine, int toLine);

} // namespace ptxwb::views
