#pragma once
// Token spans for the lines the editor is about to paint, and nothing else. Lines are lexed on
// demand through tokenizePtxLine(); the only whole-file knowledge is the block-comment state at
// each line start, and that is computed only when the file contains a "/*" at all, only up to
// the line asked for, and only again from the first edited line after an edit.

#include "ptx_token_source.h"
#include "text_line_buffer.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ptxwb::views {

/// Per-line PTX token spans with a cache bounded by what was recently painted.
class PtxHighlighter {
public:
    explicit PtxHighlighter(const TextLineBuffer* buffer = nullptr);

    /// After the buffer was replaced as a whole.
    void reset(const TextLineBuffer* buffer);
    /// After an edit: forgets what the edit may have changed.
    void linesChanged(const LineEdit& edit);

    /// Texts that are not PTX (CUDA sources of a kernel set) are shown as plain text: the PTX
    /// lexer would flag C++ as errors.
    void setPlainText(bool plain);
    bool isPlainText() const { return plainText_; }

    /// Spans of one line, lexed now unless cached.
    const std::vector<PtxTokenSpan>& spans(int line);
    /// Lexer state at the start of `line`.
    PtxLineState entryState(int line);

    /// How many lines were lexed since construction (tests and benchmarks prove laziness).
    std::uint64_t linesLexed() const { return linesLexed_; }

private:
    const TextLineBuffer* buffer_ = nullptr;
    std::vector<PtxLineState> endStates_; ///< known end states of lines [0, size)
    std::unordered_map<int, std::vector<PtxTokenSpan>> cache_;
    std::vector<PtxTokenSpan> scratch_;
    std::uint64_t linesLexed_ = 0;
    bool plainText_ = false;
};

} // namespace ptxwb::views
