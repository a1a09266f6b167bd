#pragma once
// Helpers shared by the `ptxwb ptx` subcommands: loading a file with diagnostics on stderr,
// FILE[:FUNCTION] arguments, and printing a function diff.

#include "ptx/diagnostics.h"
#include "ptx/function_diff.h"
#include "ptx/parser.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ptxwb::cli {

/// A parsed file and the SourceManager that owns its text.
struct LoadedPtx {
    ptx::SourceManager sources;
    ptx::BufferId buffer = 0;
    ptx::Module module;
    std::string path;
};

/// Loads and parses `path` (and verifies it when `verify`), printing diagnostics to stderr.
/// Returns 0, or 3 when the file is unreadable or has errors.
int loadPtx(const std::string& path, LoadedPtx& out, bool verify);

struct PtxFunctionSpec {
    std::string path;
    std::string function; ///< empty: every function
};
/// Splits "file.ptx:func" (a path that exists as written is never split).
PtxFunctionSpec splitFunctionSpec(const std::string& spec);

/// Chooses the function pairs to compare: the named ones, or every defined function whose name
/// exists on both sides (or the single defined function of each). Returns an exit code.
int pairFunctions(const LoadedPtx& a, const std::string& fa, const LoadedPtx& b,
                  const std::string& fb,
                  std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs);

void printDiff(const LoadedPtx& a, const LoadedPtx& b, const std::string& nameA,
               const std::string& nameB, const ptx::FunctionDiff& d);
nlohmann::json diffJson(const LoadedPtx& a, const LoadedPtx& b, const std::string& nameA,
                        const std::string& nameB, const ptx::FunctionDiff& d);

} // namespace ptxwb::cli
