#pragma once
#include <string>

namespace ptxwb::cli {
/// "ptxwb 0.1.0" plus the git revision when the build knows it.
std::string versionLine();
std::string versionNumber();
} // namespace ptxwb::cli
