#pragma once
// Tokens of PTX source: a kind and a string_view into the buffer the lexer reads.

#include <cstdint>
#include <string_view>

namespace ptxwb::ptx {

enum class TokenKind : std::uint8_t {
#define PTX_TOKEN(Id) Id,
#include "ptx/defs/tokens.def"
};

/// Why the lexer produced an Error token. The parser turns these into diagnostics.
enum class LexError : std::uint8_t {
    None,
    InvalidCharacter,    ///< a byte that starts no PTX token (includes NUL and non-ASCII)
    UnterminatedString,  ///< '"' without a closing quote on the same line
    UnterminatedComment, ///< "/*" without "*/"
    MalformedNumber,     ///< e.g. 0x without digits, 0f with other than 8 hex digits
};

/// One token. `text` points into the lexed buffer; `offset` is its byte offset there.
struct Token {
    TokenKind kind = TokenKind::EndOfFile;
    LexError error = LexError::None;
    std::uint32_t offset = 0;
    std::string_view text;

    [[nodiscard]] bool is(TokenKind k) const { return kind == k; }
    [[nodiscard]] std::uint32_t end() const {
        return offset + static_cast<std::uint32_t>(text.size());
    }
};

/// The spelling of a punctuation token kind, or a description of a variable one
/// ("identifier"), for diagnostics such as "expected ';'".
[[nodiscard]] std::string_view tokenKindSpelling(TokenKind kind);
/// A short English description of a lexer error for diagnostics.
[[nodiscard]] std::string_view lexErrorMessage(LexError error);

} // namespace ptxwb::ptx
