#pragma once
// Binding a manifest kernel's parameters (by role) to device buffers, and its launch geometry.

#include "cuda/memory.h"
#include "cuda/module.h"
#include "kernels/manifest.h"
#include "parity/op_data.h"

#include <map>
#include <optional>

namespace ptxwb::parity {

/// The op's inputs on the device (guarded, so off-by-one reads hit guard words, not a fault).
struct DeviceInputs {
    std::map<kernels::ParamRole, cuda::GuardedBuffer> buffers;
    cuda::DeviceBuffer positions;   ///< int[M]
    cuda::DeviceBuffer tokens;      ///< int[M]
    cuda::DeviceBuffer positionBuf; ///< int[1], rewritten before each single-row launch
};

Expected<DeviceInputs> uploadInputs(const OpData& data);

struct LaunchGeometry {
    cuda::Dim3 grid, block;
    unsigned sharedBytes = 0;
};
/// Evaluates the kernel's grid/block/shared expressions with `dims` (its fixed dims win).
Expected<LaunchGeometry> evaluateGeometry(const kernels::KernelSpec& spec,
                                          const kernels::DimValues& dims);

/// Arguments for one launch. `row` selects one batch row for a single-vector launch; nullopt
/// launches all `data.m` rows.
Expected<cuda::KernelArgs> bindArguments(const kernels::KernelSpec& spec, const OpData& data,
                                         const DeviceInputs& inputs, CUdeviceptr output,
                                         std::optional<int> row);

/// Bytes one launch reads and writes (for GB/s).
double launchBytes(const kernels::KernelSpec& spec, const OpData& data, bool allRows);

} // namespace ptxwb::parity
