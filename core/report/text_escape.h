#pragma once
// Escaping for every output format. Kernel names, check names, messages and evidence come
// from user files and other machines: every byte of them passes through one of these before it
// reaches a report.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ptxwb::reports {

/// &, <, >, " and ' as entities: safe in HTML text and in quoted attribute values.
[[nodiscard]] std::string escapeHtml(std::string_view text);
/// XML 1.0 text/attribute escaping; control characters XML cannot carry become U+FFFD.
[[nodiscard]] std::string escapeXml(std::string_view text);
/// Inline Markdown (never at the start of a line): backslash-escapes the characters that start
/// emphasis, code, links or table cells, and turns <, > and & into entities so issue trackers
/// render neither formatting nor HTML; newlines become spaces (keeps tables whole).
[[nodiscard]] std::string escapeMarkdown(std::string_view text);
/// A code fence longer than any run of backticks in `content`.
[[nodiscard]] std::string markdownFence(std::string_view content);
/// Standard base64 (RFC 4648) with padding, for data: URIs.
[[nodiscard]] std::string base64Encode(std::span<const std::uint8_t> bytes);
/// A file-name-safe slug of `text`: [a-z0-9-], at most `maxLength` characters.
[[nodiscard]] std::string slugify(std::string_view text, std::size_t maxLength = 48);

} // namespace ptxwb::reports
