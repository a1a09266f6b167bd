#pragma once
// The PTX lexer: never throws, never allocates, never reads past the buffer. Malformed input
// becomes Error tokens the parser reports. Also usable alone, e.g. by a highlighter that
// colours one line at a time (see highlight.h).

#include "ptx/token.h"

#include <cstdint>
#include <string_view>

namespace ptxwb::ptx {

class Lexer {
public:
    /// Lexes `text`; token offsets are relative to `text.data()` plus `baseOffset`.
    explicit Lexer(std::string_view text, bool keepComments = false, std::uint32_t baseOffset = 0)
        : begin_(text.data()), cur_(text.data()), end_(text.data() + text.size()),
          base_(baseOffset), keepComments_(keepComments) {}

    /// The next token; EndOfFile forever once the text is exhausted.
    Token next();
    /// Current byte offset (start of the next token or whitespace before it).
    [[nodiscard]] std::uint32_t offset() const {
        return base_ + static_cast<std::uint32_t>(cur_ - begin_);
    }
    /// True when there was a newline between the previous token and the next one. Used by the
    /// parser to recover from a missing ';' without swallowing the next line.
    [[nodiscard]] bool sawNewline() const { return sawNewline_; }
    /// True if the next non-blank character on the current line is `c` (a cheap look-ahead
    /// used to tell a label "name:" from an instruction without lexing a token).
    [[nodiscard]] bool nextCharIs(char c) const {
        const char* p = cur_;
        while (p < end_ && (*p == ' ' || *p == '\t'))
            ++p;
        return p < end_ && *p == c;
    }

private:
    Token make(TokenKind kind, const char* start, LexError err = LexError::None) const {
        Token t;
        t.kind = kind;
        t.error = err;
        t.offset = base_ + static_cast<std::uint32_t>(start - begin_);
        t.text = std::string_view(start, static_cast<std::size_t>(cur_ - start));
        return t;
    }
    Token lexNumber(const char* start);
    Token lexDotName(const char* start);
    Token lexString(const char* start);

    const char* begin_;
    const char* cur_;
    const char* end_;
    std::uint32_t base_;
    bool keepComments_;
    bool sawNewline_ = false;
};

/// Character classes used by the lexer (exposed for the highlighter and tests).
namespace charclass {
bool isIdentStart(unsigned char c);
bool isIdentBody(unsigned char c);
} // namespace charclass

} // namespace ptxwb::ptx
