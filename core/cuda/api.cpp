#include "cuda/api.h"

#include <cstdlib>
#include <dlfcn.h>
#include <fmt/format.h>
#include <mutex>

namespace ptxwb::cuda {

namespace {

#define PTXWB_STRINGIFY_INNER(x) #x
#define PTXWB_STRINGIFY(x) PTXWB_STRINGIFY_INNER(x)

std::string dlerrorText() {
    const char* text = ::dlerror();
    return text != nullptr ? text : "unknown dlopen error";
}

struct DriverLoad {
    DriverApi api;
    std::optional<Error> error;
};

DriverLoad openDriver() {
    DriverLoad load;
    ::dlerror();
    void* handle = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        load.error = Error(
            ErrorKind::Environment,
            fmt::format("no CUDA driver: libcuda.so.1 could not be loaded ({})", dlerrorText()));
        load.error->withNote("GPU commands need the NVIDIA driver; static analysis, history and "
                             "reports work without it");
        return load;
    }
    load.api.libraryPath = "libcuda.so.1";
    std::vector<std::string> missing;
#define PTXWB_RESOLVE(member, symbol)                                                              \
    load.api.member =                                                                              \
        reinterpret_cast<decltype(load.api.member)>(::dlsym(handle, PTXWB_STRINGIFY(symbol)));     \
    if (load.api.member == nullptr) missing.emplace_back(PTXWB_STRINGIFY(symbol));
    PTXWB_CUDA_DRIVER_FUNCTIONS(PTXWB_RESOLVE)
#undef PTXWB_RESOLVE
    if (!missing.empty()) {
        std::string list;
        for (const auto& name : missing)
            list += (list.empty() ? "" : ", ") + name;
        load.error = Error(ErrorKind::Environment,
                           fmt::format("CUDA driver too old: libcuda.so.1 lacks {}", list));
        return load;
    }
    CUresult rc = load.api.init(0);
    if (rc != CUDA_SUCCESS) {
        const char* name = nullptr;
        load.api.getErrorName(rc, &name);
        load.error = Error(ErrorKind::Environment,
                           fmt::format("no usable GPU: cuInit failed with {} ({})",
                                       name != nullptr ? name : "?", static_cast<int>(rc)));
    }
    return load;
}

struct NvrtcLoad {
    NvrtcApi api;
    std::optional<Error> error;
};

NvrtcLoad openNvrtc() {
    NvrtcLoad load;
    std::string tried;
    void* handle = nullptr;
    for (const auto& path : nvrtcCandidatePaths()) {
        ::dlerror();
        handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle != nullptr) {
            load.api.libraryPath = path;
            break;
        }
        tried += (tried.empty() ? "" : ", ") + path;
    }
    if (handle == nullptr) {
        load.error = Error(ErrorKind::Environment,
                           fmt::format("no NVRTC: none of {} could be loaded", tried));
        load.error->withNote("install the CUDA toolkit or set CUDA_HOME");
        return load;
    }
    std::vector<std::string> missing;
#define PTXWB_RESOLVE(member, symbol)                                                              \
    load.api.member =                                                                              \
        reinterpret_cast<decltype(load.api.member)>(::dlsym(handle, PTXWB_STRINGIFY(symbol)));     \
    if (load.api.member == nullptr) missing.emplace_back(PTXWB_STRINGIFY(symbol));
    PTXWB_NVRTC_FUNCTIONS(PTXWB_RESOLVE)
#undef PTXWB_RESOLVE
    if (!missing.empty()) {
        load.error =
            Error(ErrorKind::Environment,
                  fmt::format("NVRTC too old: {} lacks {}", load.api.libraryPath, missing.front()));
    }
    return load;
}

} // namespace

std::vector<std::string> nvrtcCandidatePaths() {
    static const char* names[] = {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"};
    std::vector<std::string> paths(std::begin(names), std::end(names));
    std::vector<std::string> dirs;
    if (const char* home = std::getenv("CUDA_HOME"); home != nullptr && *home != '\0')
        dirs.push_back(std::string(home) + "/lib64");
    dirs.emplace_back("/usr/local/cuda/lib64");
    for (const auto& dir : dirs)
        for (const char* name : names)
            paths.push_back(dir + "/" + name);
    return paths;
}

Expected<const DriverApi*> loadDriver() {
    static const DriverLoad load = openDriver();
    if (load.error) return *load.error;
    return &load.api;
}

Expected<const NvrtcApi*> loadNvrtc() {
    static const NvrtcLoad load = openNvrtc();
    if (load.error) return *load.error;
    return &load.api;
}

} // namespace ptxwb::cuda
