#pragma once
// Turns byte ranges of one PTX file into the SourceLocations that findings carry. Keeps its own
// line table so analysis works on any parsed text (a SourceManager buffer, a benchmark string).

#include "analysis/finding.h"
#include "ptx/source_manager.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::analysis {

class SourceText {
public:
    SourceText(std::string fileName, std::string_view text);

    [[nodiscard]] const std::string& fileName() const { return file_; }
    [[nodiscard]] std::string_view text() const { return text_; }
    /// 1-based line of a byte offset.
    [[nodiscard]] std::uint32_t lineOf(std::uint32_t offset) const;
    [[nodiscard]] SourceLocation locate(ptx::SourceRange range) const;
    [[nodiscard]] std::string_view lineText(std::uint32_t line) const;

private:
    std::string file_;
    std::string_view text_;
    std::vector<std::uint32_t> lineStarts_;
};

} // namespace ptxwb::analysis
