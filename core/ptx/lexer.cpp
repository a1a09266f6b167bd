#include "ptx/lexer.h"

#include <array>
#include <cstring>

namespace ptxwb::ptx {
namespace {

enum : std::uint8_t {
    kIdentStart = 1, // letters, '_', '$'
    kIdentBody = 2,  // letters, digits, '_', '$'
    kDigit = 4,
    kHex = 8,
    kSpace = 16,
};

constexpr std::array<std::uint8_t, 256> makeClasses() {
    std::array<std::uint8_t, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] |= kIdentStart | kIdentBody;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[c] |= kIdentStart | kIdentBody;
    for (int c = '0'; c <= '9'; ++c)
        t[c] |= kIdentBody | kDigit | kHex;
    for (int c = 'a'; c <= 'f'; ++c)
        t[c] |= kHex;
    for (int c = 'A'; c <= 'F'; ++c)
        t[c] |= kHex;
    t['_'] |= kIdentStart | kIdentBody;
    t['$'] |= kIdentStart | kIdentBody;
    t[' '] |= kSpace;
    t['\t'] |= kSpace;
    t['\r'] |= kSpace;
    t['\n'] |= kSpace;
    t['\f'] |= kSpace;
    t['\v'] |= kSpace;
    return t;
}
constexpr std::array<std::uint8_t, 256> kClass = makeClasses();

inline bool has(char c, std::uint8_t cls) {
    return kClass[static_cast<unsigned char>(c)] & cls;
}

} // namespace

namespace charclass {
bool isIdentStart(unsigned char c) {
    return kClass[c] & kIdentStart;
}
bool isIdentBody(unsigned char c) {
    return kClass[c] & kIdentBody;
}
} // namespace charclass

std::string_view tokenKindSpelling(TokenKind kind) {
    switch (kind) {
#define PTX_TOKEN(Id)                                                                              \
    case TokenKind::Id:                                                                            \
        return #Id;
#define PTX_PUNCT(Id, Spelling)                                                                    \
    case TokenKind::Id:                                                                            \
        return Spelling;
#include "ptx/defs/tokens.def"
    }
    return "?";
}

std::string_view lexErrorMessage(LexError error) {
    switch (error) {
    case LexError::None:
        return "no error";
    case LexError::InvalidCharacter:
        return "invalid character";
    case LexError::UnterminatedString:
        return "missing terminating '\"' character";
    case LexError::UnterminatedComment:
        return "unterminated /* comment";
    case LexError::MalformedNumber:
        return "malformed number";
    }
    return "lexer error";
}

// Inlined into next(Token&) so the token's fields go from registers to their destination.
[[gnu::always_inline]] inline Token Lexer::lex() {
    sawNewline_ = false;
    for (;;) {
        // Local copies keep the hot loops in registers.
        const char* p = cur_;
        const char* end = end_;
        bool newline = false;
        while (p < end && has(*p, kSpace)) {
            newline |= *p == '\n';
            ++p;
        }
        cur_ = p;
        sawNewline_ |= newline;
        if (cur_ >= end_) return make(TokenKind::EndOfFile, cur_);
        if (*cur_ != '/' || cur_ + 1 >= end_) break;
        const char* start = cur_;
        if (cur_[1] == '/') {
            const void* nl = std::memchr(cur_, '\n', static_cast<std::size_t>(end_ - cur_));
            cur_ = nl ? static_cast<const char*>(nl) : end_;
            if (keepComments_) return make(TokenKind::Comment, start);
            continue;
        }
        if (cur_[1] == '*') {
            const char* p = cur_ + 2;
            for (;;) {
                const void* star = std::memchr(p, '*', static_cast<std::size_t>(end_ - p));
                if (!star) {
                    cur_ = end_;
                    return make(TokenKind::Error, start, LexError::UnterminatedComment);
                }
                p = static_cast<const char*>(star) + 1;
                if (p < end_ && *p == '/') break;
            }
            if (std::memchr(cur_, '\n', static_cast<std::size_t>(p - cur_))) sawNewline_ = true;
            cur_ = p + 1;
            if (keepComments_) return make(TokenKind::Comment, start);
            continue;
        }
        break;
    }

    const char* start = cur_;
    char c = *cur_;
    if (has(c, kIdentStart)) {
        ++cur_;
        while (cur_ < end_ && has(*cur_, kIdentBody))
            ++cur_;
        return make(TokenKind::Identifier, start);
    }
    if (has(c, kDigit)) return lexNumber(start);
    ++cur_;
    auto twoChar = [&](char second, TokenKind two, TokenKind one) {
        if (cur_ < end_ && *cur_ == second) {
            ++cur_;
            return make(two, start);
        }
        return make(one, start);
    };
    switch (c) {
    case '%':
        if (cur_ < end_ && has(*cur_, kIdentBody)) {
            while (cur_ < end_ && has(*cur_, kIdentBody))
                ++cur_;
            return make(TokenKind::Register, start);
        }
        return make(TokenKind::Percent, start);
    case '.':
        if (cur_ < end_ && has(*cur_, kIdentBody)) return lexDotName(start);
        return make(TokenKind::Error, start, LexError::InvalidCharacter);
    case '"':
        return lexString(start);
    case ',':
        return make(TokenKind::Comma, start);
    case ';':
        return make(TokenKind::Semicolon, start);
    case ':':
        return make(TokenKind::Colon, start);
    case '{':
        return make(TokenKind::LBrace, start);
    case '}':
        return make(TokenKind::RBrace, start);
    case '[':
        return make(TokenKind::LBracket, start);
    case ']':
        return make(TokenKind::RBracket, start);
    case '(':
        return make(TokenKind::LParen, start);
    case ')':
        return make(TokenKind::RParen, start);
    case '+':
        return make(TokenKind::Plus, start);
    case '-':
        return make(TokenKind::Minus, start);
    case '*':
        return make(TokenKind::Star, start);
    case '/':
        return make(TokenKind::Slash, start);
    case '@':
        return make(TokenKind::At, start);
    case '^':
        return make(TokenKind::Caret, start);
    case '~':
        return make(TokenKind::Tilde, start);
    case '?':
        return make(TokenKind::Question, start);
    case '!':
        return twoChar('=', TokenKind::ExclaimEqual, TokenKind::Exclaim);
    case '=':
        return twoChar('=', TokenKind::EqualEqual, TokenKind::Equal);
    case '|':
        return twoChar('|', TokenKind::PipePipe, TokenKind::Pipe);
    case '&':
        return twoChar('&', TokenKind::AmpAmp, TokenKind::Amp);
    case '<':
        if (cur_ < end_ && *cur_ == '<') return ++cur_, make(TokenKind::LessLess, start);
        return twoChar('=', TokenKind::LessEqual, TokenKind::Less);
    case '>':
        if (cur_ < end_ && *cur_ == '>') return ++cur_, make(TokenKind::GreaterGreater, start);
        return twoChar('=', TokenKind::GreaterEqual, TokenKind::Greater);
    default:
        break;
    }
    // Swallow a whole UTF-8 sequence (or one stray byte) so one bad character is one error.
    if (static_cast<unsigned char>(c) >= 0xC0)
        while (cur_ < end_ && (static_cast<unsigned char>(*cur_) & 0xC0) == 0x80)
            ++cur_;
    return make(TokenKind::Error, start, LexError::InvalidCharacter);
}

void Lexer::next(Token& out) {
    Token t = lex();
    out.kind = t.kind;
    out.error = t.error;
    out.offset = t.offset;
    out.text = t.text;
}

Token Lexer::lexDotName(const char* start) {
    // ".name" optionally followed by "::part" groups: .shared::cluster, .L2::cache_hint,
    // .mbarrier::complete_tx::bytes are single modifiers in the ISA.
    for (;;) {
        while (cur_ < end_ && has(*cur_, kIdentBody))
            ++cur_;
        if (cur_ + 2 < end_ && cur_[0] == ':' && cur_[1] == ':' && has(cur_[2], kIdentBody)) {
            cur_ += 2;
            continue;
        }
        break;
    }
    return make(TokenKind::DotName, start);
}

Token Lexer::lexString(const char* start) {
    while (cur_ < end_ && *cur_ != '"' && *cur_ != '\n') {
        if (*cur_ == '\\' && cur_ + 1 < end_ && cur_[1] != '\n') ++cur_;
        ++cur_;
    }
    if (cur_ >= end_ || *cur_ != '"')
        return make(TokenKind::Error, start, LexError::UnterminatedString);
    ++cur_;
    return make(TokenKind::String, start);
}

Token Lexer::lexNumber(const char* start) {
    // Consume the whole alphanumeric run first, then validate it, so "0x" or "12ab" is one
    // malformed-number token rather than a number followed by an identifier.
    bool isFloat = false;
    if (cur_ + 1 < end_ && cur_[0] == '0' &&
        (cur_[1] == 'f' || cur_[1] == 'F' || cur_[1] == 'd' || cur_[1] == 'D')) {
        std::size_t want = (cur_[1] == 'f' || cur_[1] == 'F') ? 8 : 16;
        cur_ += 2;
        const char* digits = cur_;
        while (cur_ < end_ && has(*cur_, kIdentBody))
            ++cur_;
        std::size_t n = static_cast<std::size_t>(cur_ - digits);
        bool ok = n == want;
        for (const char* p = digits; ok && p < cur_; ++p)
            ok = has(*p, kHex);
        return make(ok ? TokenKind::Float : TokenKind::Error, start,
                    ok ? LexError::None : LexError::MalformedNumber);
    }
    while (cur_ < end_ && has(*cur_, kIdentBody))
        ++cur_;
    // Decimal floating point: digits '.' digits [e[+-]digits] or digits e[+-]digits.
    if (cur_ < end_ && *cur_ == '.' && cur_ + 1 < end_ && has(cur_[1], kDigit)) {
        isFloat = true;
        ++cur_;
        while (cur_ < end_ && has(*cur_, kIdentBody))
            ++cur_;
    }
    std::string_view body(start, static_cast<std::size_t>(cur_ - start));
    bool hex = body.size() > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
    if (!hex && cur_ < end_ && (*cur_ == '+' || *cur_ == '-') && !body.empty() &&
        (body.back() == 'e' || body.back() == 'E') && cur_ + 1 < end_ && has(cur_[1], kDigit)) {
        isFloat = true;
        ++cur_;
        while (cur_ < end_ && has(*cur_, kDigit))
            ++cur_;
        body = std::string_view(start, static_cast<std::size_t>(cur_ - start));
    }
    if (isFloat || (!hex && body.find_first_of("eE") != std::string_view::npos)) {
        // Validate: digits, one '.', optional exponent.
        std::size_t i = 0;
        while (i < body.size() && has(body[i], kDigit))
            ++i;
        if (i < body.size() && body[i] == '.') {
            ++i;
            while (i < body.size() && has(body[i], kDigit))
                ++i;
        }
        bool ok = i > 0;
        if (ok && i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
            ++i;
            if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
            std::size_t d = i;
            while (i < body.size() && has(body[i], kDigit))
                ++i;
            ok = i > d;
        }
        ok = ok && i == body.size();
        return make(ok ? TokenKind::Float : TokenKind::Error, start,
                    ok ? LexError::None : LexError::MalformedNumber);
    }
    // Integer: validate digits for its base; optional trailing U.
    std::string_view digits = body;
    if (!digits.empty() && (digits.back() == 'U' || digits.back() == 'u')) digits.remove_suffix(1);
    bool ok = !digits.empty();
    if (ok && hex) {
        ok = digits.size() > 2;
        for (std::size_t i = 2; ok && i < digits.size(); ++i)
            ok = has(digits[i], kHex);
    } else if (ok && digits.size() > 1 && digits[0] == '0' &&
               (digits[1] == 'b' || digits[1] == 'B')) {
        ok = digits.size() > 2;
        for (std::size_t i = 2; ok && i < digits.size(); ++i)
            ok = digits[i] == '0' || digits[i] == '1';
    } else if (ok && digits[0] == '0') {
        for (std::size_t i = 1; ok && i < digits.size(); ++i)
            ok = digits[i] >= '0' && digits[i] <= '7';
    } else {
        for (std::size_t i = 0; ok && i < digits.size(); ++i)
            ok = has(digits[i], kDigit);
    }
    return make(ok ? TokenKind::Integer : TokenKind::Error, start,
                ok ? LexError::None : LexError::MalformedNumber);
}

} // namespace ptxwb::ptx
