#pragma once
// Runs the built `ptxwb` executable with arguments and captures its exit code, stdout and
// stderr, so tests check what a user sees.

#include <string>
#include <vector>

namespace ptxwb::test {

struct CliResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs PTXWB_CLI_PATH with `args` (no shell), optional stdin text, and extra environment
/// assignments ("NAME=value").
CliResult runCli(const std::vector<std::string>& args, const std::string& input = {},
                 const std::vector<std::string>& env = {});

} // namespace ptxwb::test
