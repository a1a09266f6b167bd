#pragma once
// Row alignment of two PTX functions for the side-by-side view. ptx::diffFunctions() aligns
// instructions and labels (register and label renaming ignored); this turns that into rows of
// source lines: every line of both functions appears once, in order, with a filler (-1) on the
// side that has no counterpart. Declarations, braces and comments between aligned instructions
// are paired in order and count as context. Qt-free so it can run on any thread.

#include "ptx/function_diff.h"
#include "util/expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::views {

/// One row of the side-by-side view; lines are 0-based lines of each whole text, -1 = filler.
struct AlignedRow {
    int left = -1;
    int right = -1;
    ptx::DiffKind kind = ptx::DiffKind::Same;
    bool instruction = false; ///< false: a context line (declaration, brace, comment)
};

/// The aligned rows of two functions and the diff's counts.
struct FunctionAlignment {
    std::vector<AlignedRow> rows;
    std::uint32_t same = 0, changed = 0, onlyLeft = 0, onlyRight = 0;
    int leftFirstLine = 0, leftLastLine = 0;   ///< the left function's lines (0-based, inclusive)
    int rightFirstLine = 0, rightLastLine = 0; ///< same for the right
};

/// Names of the functions with a body (kernels and device functions) of a PTX text, in order.
/// Parse errors elsewhere in the text do not hide the functions that parsed.
[[nodiscard]] std::vector<std::string> ptxFunctionNames(std::string_view ptxText);

/// Parses both texts and aligns function `leftFunction` of the left text with `rightFunction`
/// of the right. Errors (BadInput) name the file and the function that is not there.
[[nodiscard]] Expected<FunctionAlignment>
alignFunctions(const std::string& leftName, std::string_view leftText,
               const std::string& leftFunction, const std::string& rightName,
               std::string_view rightText, const std::string& rightFunction);

} // namespace ptxwb::views
