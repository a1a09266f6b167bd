#pragma once
// A tiny ELF64 section reader for comparing cubins section by section.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ptxwb::ptx::test {

/// Section name → contents (NOBITS sections map to a string of their size in decimal).
/// nullopt when `image` is not a well-formed little-endian ELF64 file.
std::optional<std::map<std::string, std::string>> readElfSections(std::string_view image);

} // namespace ptxwb::ptx::test
