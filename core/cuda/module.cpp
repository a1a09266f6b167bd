#include "cuda/module.h"

#include "cuda/context.h"
#include "cuda/cuda_error.h"

#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <regex>

namespace ptxwb::cuda {

namespace {
// ptxas reports "ptxas application ptx input, line 42; error   : ..."; turn the first such line
// into a location in the PTX file.
std::optional<std::uint32_t> firstErrorLine(const std::string& log) {
    static const std::regex re(R"(line (\d+); error)");
    std::smatch m;
    if (std::regex_search(log, m, re)) return static_cast<std::uint32_t>(std::stoul(m[1].str()));
    return std::nullopt;
}

std::string trimLog(const char* buffer) {
    std::string s(buffer);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0'))
        s.pop_back();
    return s;
}
} // namespace

Expected<Module> Module::loadPtx(const std::string& ptx, const std::string& name) {
    const auto& api = driver();
    constexpr std::size_t kLogSize = 64 * 1024;
    std::vector<char> info(kLogSize, 0), errors(kLogSize, 0);
    CUjit_option options[] = {CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES,
                              CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                              CU_JIT_LOG_VERBOSE};
    void* values[] = {info.data(), reinterpret_cast<void*>(kLogSize), errors.data(),
                      reinterpret_cast<void*>(kLogSize), reinterpret_cast<void*>(1)};
    Module m;
    m.name_ = name;
    auto start = std::chrono::steady_clock::now();
    CUresult rc = api.moduleLoadDataEx(&m.module_, ptx.c_str(), 5, options, values);
    m.jitMs_ =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    m.infoLog_ = trimLog(info.data());
    if (rc != CUDA_SUCCESS) {
        std::string log = trimLog(errors.data());
        if (rc == CUDA_ERROR_INVALID_PTX || rc == CUDA_ERROR_UNSUPPORTED_PTX_VERSION ||
            rc == CUDA_ERROR_INVALID_IMAGE || rc == CUDA_ERROR_NO_BINARY_FOR_GPU) {
            Error e(ErrorKind::BadInput,
                    fmt::format("PTX JIT failed: {}", log.empty() ? "no log" : log));
            auto line = firstErrorLine(log);
            e.location = line ? ErrorLocation::text(name, *line, 1) : ErrorLocation::file(name);
            e.withNote(driverError(rc, "cuModuleLoadDataEx").message);
            return e;
        }
        Error e = driverError(rc, "cuModuleLoadDataEx");
        if (!log.empty()) e.withNote("JIT log: " + log);
        return e;
    }
    return m;
}

Module::Module(Module&& o) noexcept
    : module_(std::exchange(o.module_, nullptr)), name_(std::move(o.name_)),
      infoLog_(std::move(o.infoLog_)), jitMs_(o.jitMs_) {}

Module& Module::operator=(Module&& o) noexcept {
    if (this != &o) {
        if (module_ != nullptr) driver().moduleUnload(module_);
        module_ = std::exchange(o.module_, nullptr);
        name_ = std::move(o.name_);
        infoLog_ = std::move(o.infoLog_);
        jitMs_ = o.jitMs_;
    }
    return *this;
}

Module::~Module() {
    if (module_ != nullptr) driver().moduleUnload(module_);
}

Expected<Function> Module::function(const std::string& entry) const {
    const auto& api = driver();
    Function f;
    f.name = entry;
    CUresult rc = api.moduleGetFunction(&f.handle, module_, entry.c_str());
    if (rc == CUDA_ERROR_NOT_FOUND)
        return makeError(ErrorKind::BadInput, fmt::format("no entry '{}' in {}", entry, name_),
                         ErrorLocation::file(name_));
    PTXWB_CHECK(checkCu(rc, "cuModuleGetFunction"));
    struct Attr {
        CUfunction_attribute a;
        int* out;
    } attrs[] = {
        {CU_FUNC_ATTRIBUTE_NUM_REGS, &f.attributes.registers},
        {CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, &f.attributes.staticSharedBytes},
        {CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES, &f.attributes.constBytes},
        {CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES, &f.attributes.localBytes},
        {CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, &f.attributes.maxThreadsPerBlock},
        {CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, &f.attributes.maxDynamicSharedBytes},
        {CU_FUNC_ATTRIBUTE_PTX_VERSION, &f.attributes.ptxVersion},
        {CU_FUNC_ATTRIBUTE_BINARY_VERSION, &f.attributes.binaryVersion},
    };
    for (auto& a : attrs)
        PTXWB_CHECK(checkCu(api.funcGetAttribute(a.out, a.a, f.handle), "cuFuncGetAttribute"));
    for (size_t i = 0;; ++i) {
        size_t offset = 0, size = 0;
        if (api.funcGetParamInfo(f.handle, i, &offset, &size) != CUDA_SUCCESS) break;
        f.params.push_back({offset, size});
    }
    return f;
}

KernelArgs& KernelArgs::raw(const void* data, std::size_t size) {
    std::array<std::uint64_t, 2> slot{};
    std::memcpy(slot.data(), data, std::min(size, sizeof slot));
    storage_.push_back(slot);
    return *this;
}

void** KernelArgs::pointers() {
    pointers_.clear();
    for (auto& s : storage_)
        pointers_.push_back(s.data());
    return pointers_.data();
}

Status launch(const Function& fn, Dim3 grid, Dim3 block, unsigned sharedBytes, CUstream stream,
              KernelArgs& args) {
    if (!fn.params.empty() && fn.params.size() != args.count()) {
        return makeError(ErrorKind::BadInput, fmt::format("kernel {} takes {} parameters, {} given",
                                                          fn.name, fn.params.size(), args.count()));
    }
    return checkCu(driver().launchKernel(fn.handle, grid.x, grid.y, grid.z, block.x, block.y,
                                         block.z, sharedBytes, stream, args.pointers(), nullptr),
                   "cuLaunchKernel", fn.name);
}

} // namespace ptxwb::cuda
