#include "ptx_highlighter.h"

#include <algorithm>

namespace ptxwb::views {
namespace {
// A screen holds ~100 lines; the cache keeps a few screens so scrolling back and forth and the
// outline/minimap do not re-lex, and is dropped wholesale when it grows past that.
constexpr std::size_t kMaxCachedLines = 2048;
} // namespace

PtxHighlighter::PtxHighlighter(const TextLineBuffer* buffer) : buffer_(buffer) {}

void PtxHighlighter::reset(const TextLineBuffer* buffer) {
    buffer_ = buffer;
    endStates_.clear();
    cache_.clear();
}

void PtxHighlighter::linesChanged(const LineEdit& edit) {
    if (endStates_.size() > std::size_t(edit.firstLine))
        endStates_.resize(std::size_t(edit.firstLine));
    // Line numbers after the edit shifted; the visible window is re-lexed on the next paint.
    cache_.clear();
}

PtxLineState PtxHighlighter::entryState(int line) {
    if (line <= 0 || !buffer_ || !buffer_->mayContainBlockComments()) return PtxLineState::Normal;
    while (endStates_.size() < std::size_t(line)) {
        const int l = int(endStates_.size());
        const PtxLineState entry = l == 0 ? PtxLineState::Normal : endStates_.back();
        scratch_.clear();
        endStates_.push_back(tokenizePtxLine(buffer_->line(l), entry, scratch_));
        ++linesLexed_;
    }
    return endStates_[std::size_t(line) - 1];
}

void PtxHighlighter::setPlainText(bool plain) {
    plainText_ = plain;
    endStates_.clear();
    cache_.clear();
}

const std::vector<PtxTokenSpan>& PtxHighlighter::spans(int line) {
    if (auto it = cache_.find(line); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedLines) cache_.clear();
    std::vector<PtxTokenSpan> out;
    if (plainText_ && buffer_ && line >= 0 && line < buffer_->lineCount()) {
        out.push_back({0, int(buffer_->line(line).size()), PtxTokenCategory::Text});
    } else if (buffer_ && line >= 0 && line < buffer_->lineCount()) {
        const PtxLineState entry = entryState(line);
        const PtxLineState end = tokenizePtxLine(buffer_->line(line), entry, out);
        ++linesLexed_;
        if (endStates_.size() == std::size_t(line)) endStates_.push_back(end);
    }
    return cache_.emplace(line, std::move(out)).first->second;
}

} // namespace ptxwb::views
