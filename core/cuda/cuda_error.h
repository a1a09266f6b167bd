#pragma once
// Typed CUDA failures. A failed driver call becomes an Error of kind GpuFault whose message names
// the API call and the CUDA error, and which carries a machine-readable note so the worker can
// tell a sticky fault (the context is dead: kill the worker, start a fresh one) from one the
// process survives (out of memory, invalid value).

#include "util/expected.h"

#include <cuda.h>
#include <optional>
#include <string>

namespace ptxwb::cuda {

/// One failed CUDA driver or NVRTC call.
struct CudaFailure {
    std::string call; ///< "cuLaunchKernel"
    std::string name; ///< "CUDA_ERROR_ILLEGAL_ADDRESS"
    std::string text; ///< the driver's description
    int code = 0;     ///< the CUresult / nvrtcResult value
    bool sticky = false;
    std::string kernel; ///< the kernel being launched or synchronised, when known
};

/// True for errors that leave the CUDA context unusable for the rest of the process.
bool isStickyError(CUresult result);

/// The Error for a failure: kind GpuFault, message "cuMemAlloc failed: CUDA_ERROR_... (text)".
Error toError(const CudaFailure& failure);
/// Recovers the CudaFailure carried by an Error made with toError (nullopt for other errors).
std::optional<CudaFailure> cudaFailureOf(const Error& error);

/// Builds the Error for `result` returned by `call` (names resolved through the loaded driver).
Error driverError(CUresult result, const char* call, const std::string& kernel = {});

/// Checks a driver result: `PTXWB_CHECK(checkCu(api.memAlloc(&p, n), "cuMemAlloc"));`
inline Status checkCu(CUresult result, const char* call, const std::string& kernel = {}) {
    if (result == CUDA_SUCCESS) return {};
    return driverError(result, call, kernel);
}

} // namespace ptxwb::cuda
