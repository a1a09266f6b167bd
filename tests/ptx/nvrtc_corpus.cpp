#include "nvrtc_corpus.h"

#include "cuda/api.h"
#include "cuda/nvrtc_compiler.h"
#include "cuda_toolkit.h"

#include <cstdlib>
#include <filesystem>

namespace ptxwb::ptx::test {
namespace {

namespace fs = std::filesystem;

/// Host headers the corpus includes, reduced to what device code needs. NVRTC's builtin header
/// already declares printf and assert, so <cstdio> and <cassert> have nothing left to add;
/// <cstdint> comes from libcu++, which the toolkit ships.
std::vector<std::pair<std::string, std::string>> hostHeaderShims() {
    return {
        {"cstdint", "#pragma once\n#include <cuda/std/cstdint>\n"
                    "using cuda::std::int8_t; using cuda::std::int16_t;\n"
                    "using cuda::std::int32_t; using cuda::std::int64_t;\n"
                    "using cuda::std::uint8_t; using cuda::std::uint16_t;\n"
                    "using cuda::std::uint32_t; using cuda::std::uint64_t;\n"
                    "using cuda::std::uintptr_t;\n"},
        {"cstdio", "#pragma once\n"},
        {"cassert", "#pragma once\n"},
    };
}

/// The toolkit's include directories: include/ and, from CUDA 13 on, include/cccl/ (libcu++).
std::vector<std::string> toolkitIncludeOptions() {
    std::vector<fs::path> roots;
    for (const char* var : {"CUDAToolkit_ROOT", "CUDA_HOME"})
        if (const char* v = std::getenv(var); v && *v) roots.emplace_back(v);
    if (std::string nvcc = findCudaTool("nvcc"); !nvcc.empty())
        roots.push_back(fs::path(nvcc).parent_path().parent_path());
    roots.emplace_back("/usr/local/cuda");
    std::error_code ec;
    for (const fs::path& root : roots) {
        if (!fs::exists(root / "include" / "cuda_fp16.h", ec)) continue;
        std::vector<std::string> options{"-I" + (root / "include").string()};
        if (fs::is_directory(root / "include" / "cccl", ec))
            options.push_back("-I" + (root / "include" / "cccl").string());
        return options;
    }
    return {};
}

cuda::CompileRequest makeRequest(const std::string& sourcePath, int arch, const std::string& flag) {
    cuda::CompileRequest r;
    r.source = readFile(sourcePath);
    r.name = fs::path(sourcePath).filename().string();
    r.arch = arch;
    r.options = toolkitIncludeOptions();
    if (!flag.empty()) r.options.push_back(flag);
    r.headers = hostHeaderShims();
    return r;
}

} // namespace

std::string nvrtcUnavailableReason() {
    auto api = cuda::loadNvrtc();
    return api ? std::string() : api.error().format();
}

NvrtcOutput compileWithNvrtc(const std::string& sourcePath, int arch, const std::string& flag) {
    NvrtcOutput out;
    auto ptx = cuda::compileToPtx(makeRequest(sourcePath, arch, flag));
    if (ptx)
        out.ptx = std::move(ptx->ptx);
    else
        out.error = ptx.error().format();
    return out;
}

std::string nvrtcCacheKey(const std::string& sourcePath, int arch, const std::string& flag) {
    auto key = cuda::ptxCacheKey(makeRequest(sourcePath, arch, flag));
    return key ? *key : std::string();
}

} // namespace ptxwb::ptx::test
