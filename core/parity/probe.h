#pragma once
// Dequant probe: a GEMV is linear in x, so one-hot inputs e_k return column k of W exactly as the
// kernel dequantises it (y = W e_k; the other products are zeros, which add exactly). Comparing
// that recovered W with the CPU dequantisation localises a dequant bug to the super-block, the
// sub-block and the position inside the block.

#include "kernels/kernel_loader.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::parity {

struct ProbeSample {
    int row = 0, col = 0;
    float seen = 0, expected = 0;
};

struct ProbeResult {
    std::string kernel;
    std::string format;
    int n = 0, k = 0;
    int blockValues = 256; ///< values per quantisation block
    int subBlockValues = 32;
    std::uint64_t elements = 0, mismatches = 0;
    std::vector<std::uint64_t> bySuperBlock; ///< index k / blockValues
    std::vector<std::uint64_t> bySubBlock;   ///< index (k % blockValues) / subBlockValues
    std::vector<std::uint64_t> byPosition;   ///< index k % blockValues
    std::vector<ProbeSample> samples;
    double seconds = 0;
    /// One character per position in the block ('.' all rows right, 'x' some, 'X' all wrong).
    [[nodiscard]] std::string positionMap() const;
};

/// Probes a GEMV kernel (single or batched) on seeded random weights of shape N x K.
Expected<ProbeResult> runDequantProbe(kernels::LoadedKernelSet& set,
                                      const kernels::KernelSpec& gemv, int n, int k,
                                      std::uint64_t seed);
/// Same, on given weights (rows of `format`, e.g. a tensor read from a GGUF model).
Expected<ProbeResult> runDequantProbeOn(kernels::LoadedKernelSet& set,
                                        const kernels::KernelSpec& gemv, int n, int k,
                                        const std::vector<std::uint8_t>& weights);

nlohmann::json toJson(const ProbeResult& r);
std::string formatText(const ProbeResult& r);

} // namespace ptxwb::parity
