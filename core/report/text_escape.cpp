#include "report/text_escape.h"

#include <algorithm>

namespace ptxwb::reports {

namespace {

/// The five markup-significant characters as entities. HTML and XML differ only in the
/// apostrophe's entity and in what happens to control characters.
std::string escapeMarkup(std::string_view text, std::string_view apostrophe,
                         bool replaceControlCharacters) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += apostrophe;
            break;
        default:
            if (replaceControlCharacters && static_cast<unsigned char>(c) < 0x20 && c != '\t' &&
                c != '\n' && c != '\r')
                out += "\xEF\xBF\xBD";
            else
                out += c;
        }
    }
    return out;
}

} // namespace

std::string escapeHtml(std::string_view text) {
    return escapeMarkup(text, "&#39;", false);
}

std::string escapeXml(std::string_view text) {
    // XML 1.0 allows only tab, LF and CR below 0x20; anything else makes the file unparseable
    // for a CI system, so it becomes the replacement character.
    return escapeMarkup(text, "&apos;", true);
}

std::string escapeMarkdown(std::string_view text) {
    // Only what can start formatting mid-line: emphasis, code, links and images ([ ]), tables
    // (|), strikethrough. Line-start syntax (#, -, 1.) never applies: callers put escaped text
    // after a prefix of their own.
    static constexpr std::string_view kPunctuation = "\\`*_{}[]|~";
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (char c : text) {
        if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '&') {
            out += "&amp;";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else if (kPunctuation.find(c) != std::string_view::npos) {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out;
}

std::string markdownFence(std::string_view content) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (char c : content) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string base64Encode(std::span<const std::uint8_t> bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        std::uint32_t v =
            std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (std::size_t rest = bytes.size() - i; rest > 0) {
        std::uint32_t v =
            std::uint32_t{bytes[i]} << 16 | (rest == 2 ? std::uint32_t{bytes[i + 1]} << 8 : 0);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string slugify(std::string_view text, std::size_t maxLength) {
    std::string out;
    for (char c : text) {
        if (out.size() >= maxLength) break;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out += c;
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "check" : out;
}

} // namespace ptxwb::reports
