#pragma once
// The CUDA driver API and NVRTC, opened with dlopen at run time. ptxwb never links libcuda or
// libnvrtc: every binary must start (and do static analysis, history, reports) on a machine
// without a GPU, and say clearly what is missing when GPU work is asked for.
//
// Each entry is looked up under the versioned symbol that cuda.h maps its name to (cuMemAlloc ->
// cuMemAlloc_v2, cuEventElapsedTime -> cuEventElapsedTime_v2, ...), so the pointer's ABI always
// matches the prototype the headers declare.

#include "util/expected.h"

#include <cuda.h>
#include <nvrtc.h>
#include <string>
#include <vector>

namespace ptxwb::cuda {

// X(member, symbol): `symbol` is macro-expanded by cuda.h to its versioned name.
#define PTXWB_CUDA_DRIVER_FUNCTIONS(X)                                                             \
    X(init, cuInit)                                                                                \
    X(driverGetVersion, cuDriverGetVersion)                                                        \
    X(getErrorName, cuGetErrorName)                                                                \
    X(getErrorString, cuGetErrorString)                                                            \
    X(deviceGetCount, cuDeviceGetCount)                                                            \
    X(deviceGet, cuDeviceGet)                                                                      \
    X(deviceGetName, cuDeviceGetName)                                                              \
    X(deviceGetUuid, cuDeviceGetUuid)                                                              \
    X(deviceGetAttribute, cuDeviceGetAttribute)                                                    \
    X(deviceTotalMem, cuDeviceTotalMem)                                                            \
    X(primaryCtxRetain, cuDevicePrimaryCtxRetain)                                                  \
    X(primaryCtxRelease, cuDevicePrimaryCtxRelease)                                                \
    X(ctxSetCurrent, cuCtxSetCurrent)                                                              \
    X(ctxSynchronize, cuCtxSynchronize)                                                            \
    X(memGetInfo, cuMemGetInfo)                                                                    \
    X(memAlloc, cuMemAlloc)                                                                        \
    X(memFree, cuMemFree)                                                                          \
    X(memcpyHtoD, cuMemcpyHtoD)                                                                    \
    X(memcpyDtoH, cuMemcpyDtoH)                                                                    \
    X(memcpyDtoD, cuMemcpyDtoD)                                                                    \
    X(memcpyDtoDAsync, cuMemcpyDtoDAsync)                                                          \
    X(memsetD8, cuMemsetD8)                                                                        \
    X(memsetD32, cuMemsetD32)                                                                      \
    X(moduleLoadDataEx, cuModuleLoadDataEx)                                                        \
    X(moduleUnload, cuModuleUnload)                                                                \
    X(moduleGetFunction, cuModuleGetFunction)                                                      \
    X(funcGetAttribute, cuFuncGetAttribute)                                                        \
    X(funcSetAttribute, cuFuncSetAttribute)                                                        \
    X(funcGetParamInfo, cuFuncGetParamInfo)                                                        \
    X(launchKernel, cuLaunchKernel)                                                                \
    X(streamCreate, cuStreamCreate)                                                                \
    X(streamDestroy, cuStreamDestroy)                                                              \
    X(streamSynchronize, cuStreamSynchronize)                                                      \
    X(eventCreate, cuEventCreate)                                                                  \
    X(eventDestroy, cuEventDestroy)                                                                \
    X(eventRecord, cuEventRecord)                                                                  \
    X(eventSynchronize, cuEventSynchronize)                                                        \
    X(eventElapsedTime, cuEventElapsedTime)                                                        \
    X(streamBeginCapture, cuStreamBeginCapture)                                                    \
    X(streamEndCapture, cuStreamEndCapture)                                                        \
    X(graphInstantiate, cuGraphInstantiate)                                                        \
    X(graphLaunch, cuGraphLaunch)                                                                  \
    X(graphDestroy, cuGraphDestroy)                                                                \
    X(graphExecDestroy, cuGraphExecDestroy)                                                        \
    X(graphGetNodes, cuGraphGetNodes)                                                              \
    X(graphNodeGetType, cuGraphNodeGetType)                                                        \
    X(graphKernelNodeGetParams, cuGraphKernelNodeGetParams)

#define PTXWB_NVRTC_FUNCTIONS(X)                                                                   \
    X(getErrorString, nvrtcGetErrorString)                                                         \
    X(version, nvrtcVersion)                                                                       \
    X(getNumSupportedArchs, nvrtcGetNumSupportedArchs)                                             \
    X(getSupportedArchs, nvrtcGetSupportedArchs)                                                   \
    X(createProgram, nvrtcCreateProgram)                                                           \
    X(destroyProgram, nvrtcDestroyProgram)                                                         \
    X(compileProgram, nvrtcCompileProgram)                                                         \
    X(getPTXSize, nvrtcGetPTXSize)                                                                 \
    X(getPTX, nvrtcGetPTX)                                                                         \
    X(getProgramLogSize, nvrtcGetProgramLogSize)                                                   \
    X(getProgramLog, nvrtcGetProgramLog)

/// The driver entry points ptxwb uses, resolved from libcuda.so.1.
struct DriverApi {
#define PTXWB_DECLARE_MEMBER(member, symbol) decltype(&::symbol) member = nullptr;
    PTXWB_CUDA_DRIVER_FUNCTIONS(PTXWB_DECLARE_MEMBER)
    std::string libraryPath; ///< what dlopen found (for gpu-info and run records)
};

/// The NVRTC entry points, resolved from libnvrtc.so.*.
struct NvrtcApi {
    PTXWB_NVRTC_FUNCTIONS(PTXWB_DECLARE_MEMBER)
#undef PTXWB_DECLARE_MEMBER
    std::string libraryPath;
};

/// Opens libcuda.so.1 once per process and calls cuInit(0). The error (kind Environment) says
/// what dlopen or cuInit reported: "no CUDA driver: libcuda.so.1 could not be loaded (...)".
Expected<const DriverApi*> loadDriver();

/// Opens NVRTC once per process, trying libnvrtc.so.13, .12 and libnvrtc.so on the loader path,
/// then under $CUDA_HOME/lib64 and /usr/local/cuda/lib64.
Expected<const NvrtcApi*> loadNvrtc();

/// The file names loadNvrtc() tries, in order (exposed for tests and error notes).
std::vector<std::string> nvrtcCandidatePaths();

} // namespace ptxwb::cuda
