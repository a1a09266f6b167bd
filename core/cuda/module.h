#pragma once
// Modules JIT-loaded from PTX (logs kept), their functions with attributes, and launching.

#include "util/expected.h"

#include <array>
#include <cstdint>
#include <cuda.h>
#include <string>
#include <vector>

namespace ptxwb::cuda {

/// Resources of a compiled kernel, from cuFuncGetAttribute.
struct FunctionAttributes {
    int registers = 0;
    int staticSharedBytes = 0;
    int constBytes = 0;
    int localBytes = 0;
    int maxThreadsPerBlock = 0;
    int maxDynamicSharedBytes = 0;
    int ptxVersion = 0;    ///< e.g. 90 for PTX ISA 9.0
    int binaryVersion = 0; ///< e.g. 90 for sm_90 SASS
};

/// Offset and size of one kernel parameter (cuFuncGetParamInfo).
struct ParamLayout {
    std::size_t offset = 0;
    std::size_t size = 0;
};

/// A kernel entry point of a loaded module (the module must outlive it).
struct Function {
    CUfunction handle = nullptr;
    std::string name;
    FunctionAttributes attributes;
    std::vector<ParamLayout> params;
};

/// A module JIT-compiled from PTX text by the driver.
class Module {
public:
    /// `name` labels errors ("rmsnorm.ptx:12:1: ..."); JIT errors are BadInput with the log.
    static Expected<Module> loadPtx(const std::string& ptx, const std::string& name);
    Module() = default;
    Module(Module&& o) noexcept;
    Module& operator=(Module&& o) noexcept;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    ~Module();

    /// Looks up an entry and reads its attributes and parameter layout.
    Expected<Function> function(const std::string& entry) const;
    [[nodiscard]] const std::string& infoLog() const { return infoLog_; }
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] double jitMilliseconds() const { return jitMs_; }

private:
    CUmodule module_ = nullptr;
    std::string name_;
    std::string infoLog_;
    double jitMs_ = 0;
};

struct Dim3 {
    unsigned x = 1, y = 1, z = 1;
};

/// Kernel arguments by value, in parameter order.
class KernelArgs {
public:
    KernelArgs& ptr(CUdeviceptr p) { return raw(&p, sizeof p); }
    KernelArgs& i32(std::int32_t v) { return raw(&v, sizeof v); }
    KernelArgs& u32(std::uint32_t v) { return raw(&v, sizeof v); }
    KernelArgs& f32(float v) { return raw(&v, sizeof v); }
    KernelArgs& raw(const void* data, std::size_t size);
    /// Pointers to each argument (valid until the next append).
    void** pointers();
    [[nodiscard]] std::size_t count() const { return storage_.size(); }

private:
    std::vector<std::array<std::uint64_t, 2>> storage_;
    std::vector<void*> pointers_;
};

/// Launches `fn`; the launch error (bad configuration) comes back at once, faults at sync.
Status launch(const Function& fn, Dim3 grid, Dim3 block, unsigned sharedBytes, CUstream stream,
              KernelArgs& args);

} // namespace ptxwb::cuda
