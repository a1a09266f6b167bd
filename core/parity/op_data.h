#pragma once
// The host side of one check: the inputs each parameter role gets for an op at a shape and batch
// size, the CPU reference output, and which output elements a correct kernel writes.

#include "kernels/manifest.h"
#include "parity/cpu_reference.h"
#include "parity/inputs.h"

#include <map>
#include <vector>

namespace ptxwb::parity {

/// One device buffer's host contents.
struct HostBuffer {
    std::vector<std::uint8_t> bytes;
    /// Bytes of one batch row when the buffer is per-row ([M, ...]); 0 when shared by all rows.
    std::size_t rowBytes = 0;
};

struct OpData {
    kernels::OpKind op{};
    kernels::WeightFormat weights = kernels::WeightFormat::None;
    kernels::DimValues dims; ///< the op's dims plus M
    int m = 1;
    std::map<kernels::ParamRole, HostBuffer> inputs; ///< input roles only
    std::vector<int> positions;                      ///< per row (rope, kv_scatter, attention)
    std::vector<int> tokens;                         ///< per row (embedding)
    float eps = 1e-5f;
    float ropeBase = 10000.0f;
    /// Output: [M, rowElems] floats, or the whole KV cache for kv_scatter (cacheOutput).
    bool cacheOutput = false;
    std::size_t outputElems = 0;
    std::size_t rowElems = 0;
    ReferenceOutput reference;
    std::vector<std::uint8_t> expectedWritten; ///< empty: every output element is written
};

/// Fills `dims` defaults check: every dim the op needs must be present and valid.
Status validateDims(kernels::OpKind op, kernels::WeightFormat weights,
                    const kernels::DimValues& dims);

/// Generates the inputs for `op` at `dims` (without M) and batch `m`, and the CPU reference.
/// `weights`, when given, replaces the generated weight rows (a GEMV on a real model tensor).
Expected<OpData> buildOpData(const kernels::KernelSpec& spec, const kernels::DimValues& dims, int m,
                             Distribution distribution, std::uint64_t seed,
                             const std::vector<std::uint8_t>* weights = nullptr);

/// The default shapes of an op for parity runs (a ragged one included where tails matter).
std::vector<kernels::DimValues> defaultShapes(kernels::OpKind op);
/// Parses "4096x14336" (the op's dims in order) or "N=4096:K=14336".
Expected<kernels::DimValues> parseShape(kernels::OpKind op, const std::string& text);
/// "N=4096 K=14336".
std::string formatShape(const kernels::DimValues& dims);

} // namespace ptxwb::parity
