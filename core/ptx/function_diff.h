#pragma once
// A normalised comparison of two functions, for people: instructions are aligned by their
// shape (opcode, modifiers, operand kinds and register widths, constants, global names), then
// registers and labels are matched by a consistent renaming (alpha-equivalence), so two
// compilations that differ only in register numbering and label names compare as the same.

#include "ptx/ast.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ptxwb::ptx {

enum class DiffKind : std::uint8_t {
    Same,      ///< equal up to register/label renaming
    Changed,   ///< aligned, same opcode shape, but operands differ beyond renaming
    OnlyLeft,  ///< present only in the left function
    OnlyRight, ///< present only in the right function
};

[[nodiscard]] const char* diffKindName(DiffKind k);

/// One line of the diff. A line is an instruction or a label; the side that is absent has
/// index kNoIndex and empty text.
struct DiffLine {
    DiffKind kind = DiffKind::Same;
    bool isLabel = false;
    std::uint32_t left = kNoIndex;  ///< Module::instructions (or labels) index in the left module
    std::uint32_t right = kNoIndex; ///< same in the right module
    SourceRange leftRange, rightRange;
    std::string leftText, rightText; ///< canonical printing of the instruction or label
};

struct FunctionDiff {
    std::vector<DiffLine> lines;
    std::uint32_t same = 0, changed = 0, onlyLeft = 0, onlyRight = 0;
    /// True when every line is Same.
    [[nodiscard]] bool equivalent() const {
        return changed == 0 && onlyLeft == 0 && onlyRight == 0;
    }
};

/// Compares function `leftFunction` of `left` with `rightFunction` of `right`.
[[nodiscard]] FunctionDiff diffFunctions(const Module& left, std::uint32_t leftFunction,
                                         const Module& right, std::uint32_t rightFunction);

} // namespace ptxwb::ptx
