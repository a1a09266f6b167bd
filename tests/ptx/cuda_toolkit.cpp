#include "cuda_toolkit.h"

#include "util/subprocess.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ptxwb::ptx::test {

std::string findCudaTool(const std::string& name) {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates;
    if (const char* root = std::getenv("CUDAToolkit_ROOT"))
        candidates.push_back(fs::path(root) / "bin" / name);
    if (const char* path = std::getenv("PATH")) {
        std::stringstream ss(path);
        std::string dir;
        while (std::getline(ss, dir, ':'))
            if (!dir.empty()) candidates.push_back(fs::path(dir) / name);
    }
    candidates.push_back(fs::path("/usr/local/cuda/bin") / name);
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(c, ec)) return c.string();
    }
    return {};
}

ToolResult runTool(const std::vector<std::string>& argv) {
    ToolResult result;
    auto child = Subprocess::spawn(argv, true);
    if (!child) {
        result.output = child.error().format();
        return result;
    }
    child->closeInput();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    for (;;) {
        auto line = child->readLine(deadline);
        if (!line || !line->has_value()) break; // EOF or timeout
        result.output += **line;
        result.output += '\n';
    }
    ChildExit exit = child->wait();
    result.exitCode = exit.exitCode.value_or(-1);
    return result;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

} // namespace ptxwb::ptx::test
