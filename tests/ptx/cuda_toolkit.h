#pragma once
// Test helpers: finding nvcc/ptxas and running a tool with its output captured.

#include <string>
#include <vector>

namespace ptxwb::ptx::test {

/// Path of a CUDA tool (nvcc, ptxas) from CUDAToolkit_ROOT, /usr/local/cuda or PATH; "" if none.
std::string findCudaTool(const std::string& name);

struct ToolResult {
    int exitCode = -1;
    std::string output; ///< stdout and stderr together
};
/// Runs argv (no shell) and waits for it.
ToolResult runTool(const std::vector<std::string>& argv);

/// Reads a whole file ("" if unreadable).
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& text);

} // namespace ptxwb::ptx::test
