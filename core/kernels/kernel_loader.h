#pragma once
// Turns a kernel set into launchable functions on the current device: .cu sources through NVRTC
// (with the PTX cache), .ptx sources JIT-loaded as they are. Each source is compiled once.

#include "cuda/module.h"
#include "kernels/kernel_set.h"

#include <map>
#include <memory>

namespace ptxwb::kernels {

/// The NVRTC options every built-in .cu source is compiled with. --fmad=false: rounding happens
/// exactly where the source says, identically in single and batched variants.
const std::vector<std::string>& defaultCompileOptions();

/// PTX of one source of the set for compute_<arch> (no GPU needed; .ptx sources are returned as
/// is).
Expected<std::string> ptxForSource(const KernelSet& set, const std::string& source, int arch,
                                   bool useCache = true);

/// What loading one kernel produced (for run records and `kernels list --device`).
struct LoadedKernel {
    const KernelSpec* spec = nullptr;
    cuda::Function function;
    std::string ptx; ///< the PTX the driver JIT-compiled
};

/// Kernels of one set loaded on the current context.
class LoadedKernelSet {
public:
    LoadedKernelSet(const KernelSet& set, int arch) : set_(set), arch_(arch) {}
    /// Compiles/JIT-loads the kernel's source on first use and returns the function.
    Expected<const LoadedKernel*> get(const std::string& kernelName);
    [[nodiscard]] const KernelSet& set() const { return set_; }

private:
    const KernelSet& set_;
    int arch_;
    std::map<std::string, std::unique_ptr<cuda::Module>> modules_; // by source
    std::map<std::string, std::string> ptx_;                       // by source
    std::map<std::string, std::unique_ptr<LoadedKernel>> kernels_;
};

} // namespace ptxwb::kernels
