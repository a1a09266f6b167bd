#include "analysis/source_text.h"

#include <algorithm>

namespace ptxwb::analysis {

SourceText::SourceText(std::string fileName, std::string_view text)
    : file_(std::move(fileName)), text_(text) {
    lineStarts_.push_back(0);
    for (std::uint32_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') lineStarts_.push_back(i + 1);
}

std::uint32_t SourceText::lineOf(std::uint32_t offset) const {
    auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
    return static_cast<std::uint32_t>(it - lineStarts_.begin());
}

std::string_view SourceText::lineText(std::uint32_t line) const {
    if (line == 0 || line > lineStarts_.size()) return {};
    const auto begin = lineStarts_[line - 1];
    auto end =
        line < lineStarts_.size() ? lineStarts_[line] : static_cast<std::uint32_t>(text_.size());
    while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r'))
        --end;
    return text_.substr(begin, end - begin);
}

SourceLocation SourceText::locate(ptx::SourceRange range) const {
    SourceLocation loc;
    loc.file = file_;
    const auto size = static_cast<std::uint32_t>(text_.size());
    const auto begin = std::min(range.begin, size);
    const auto end = std::max(begin, std::min(range.end, size));
    loc.offset = begin;
    loc.length = end - begin;
    loc.line = lineOf(begin);
    loc.column = begin - lineStarts_[loc.line - 1] + 1;
    const auto last = end > begin ? end - 1 : begin;
    loc.endLine = lineOf(last);
    loc.endColumn = last - lineStarts_[loc.endLine - 1] + 1;
    loc.lineText = std::string(lineText(loc.line));
    return loc;
}

} // namespace ptxwb::analysis
