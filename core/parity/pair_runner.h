#pragma once
// Runs one parity check on the GPU: the reference (single) kernel once per row, the candidate once
// for all rows (or per row when it is a single-vector variant, e.g. the indirect-position twin),
// on identical seeded inputs, with poisoned and guarded outputs; then classifies every element and
// checks both kernels against the CPU oracle.

#include "cuda/context.h"
#include "kernels/kernel_loader.h"
#include "parity/check_result.h"
#include "parity/inputs.h"

#include <memory>

namespace ptxwb::parity {

struct CheckOptions {
    kernels::DimValues shape; ///< the op's dims (without M)
    int m = 1;
    Distribution distribution = Distribution::Normal;
    std::uint64_t seed = 1;
    int timingRepetitions = 10; ///< 0: no timing
    std::size_t maxSamples = 8;
    /// Real weight rows (e.g. a model tensor) instead of generated ones; GEMV only.
    std::shared_ptr<const std::vector<std::uint8_t>> weights;
};

/// Runs `candidate` against its `pairs_with` kernel. CUDA failures come back inside the result
/// (status Error, stickiness kept); only setup errors (bad shape, manifest) are returned as Error.
Expected<CheckResult> runPairCheck(kernels::LoadedKernelSet& kernels,
                                   const kernels::KernelSpec& candidate,
                                   const CheckOptions& options);

/// Measured device-to-device copy bandwidth in GB/s, counting bytes read and written.
Expected<double> measureCopyBandwidth(std::size_t bytes = 256u << 20, int repetitions = 10);

} // namespace ptxwb::parity
