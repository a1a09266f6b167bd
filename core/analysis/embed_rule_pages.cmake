# Writes a C++ file holding every rule page as a raw string literal, keyed by file stem.
# Invoked at build time: cmake -DOUTPUT=... -DPAGES="a.md;b.md" -P embed_rule_pages.cmake
set(_body "")
foreach(page ${PAGES})
  get_filename_component(_id "${page}" NAME_WE)
  file(READ "${page}" _text)
  string(APPEND _body "    {\"${_id}\", R\"ptxwbrule(${_text})ptxwbrule\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from resources/rules/*.md by embed_rule_pages.cmake. Do not edit.
#include <optional>
#include <string_view>
#include <utility>

namespace ptxwb::analysis {
namespace {
const std::pair<std::string_view, std::string_view> kPages[] = {
${_body}};
} // namespace

std::optional<std::string_view> embeddedRulePage(std::string_view id) {
    for (const auto& [name, text] : kPages)
        if (name == id) return text;
    return std::nullopt;
}
} // namespace ptxwb::analysis
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
