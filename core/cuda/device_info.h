#pragma once
// What gpu-info reports and what every run records about its environment.

#include "util/expected.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::cuda {

/// One CUDA device as the driver describes it.
struct DeviceInfo {
    int ordinal = 0;
    std::string name;
    std::string uuid; ///< "GPU-8-4-4-4-12 hex digits", as nvidia-smi prints it
    int smMajor = 0;
    int smMinor = 0;
    std::uint64_t totalMemoryBytes = 0;
    int multiprocessors = 0;
    int l2CacheBytes = 0;
    int memoryClockKhz = 0;
    int memoryBusWidthBits = 0;
    int maxSharedPerBlockOptin = 0;

    /// "sm_90"
    [[nodiscard]] std::string smArch() const;
};

/// NVRTC: version and the virtual architectures it can compile for.
struct NvrtcInfo {
    std::string libraryPath;
    int major = 0;
    int minor = 0;
    std::vector<int> supportedArchs; ///< e.g. 75, 80, 86, 89, 90, 100, 120
};

/// Everything gpu-info shows. Either half may be missing, with the reason kept.
struct GpuEnvironment {
    std::optional<int> driverVersion; ///< cuDriverGetVersion, e.g. 13000
    /// The kernel driver's release, e.g. "580.159.04": what people mean by "the driver" when
    /// they compare machines (several releases report the same CUDA version). Empty when the
    /// system does not say (not Linux, or no /proc/driver/nvidia/version).
    std::string driverRelease;
    std::vector<DeviceInfo> devices;
    std::optional<Error> driverError;
    std::optional<NvrtcInfo> nvrtc;
    std::optional<Error> nvrtcError;
};

/// The release in the text of /proc/driver/nvidia/version ("NVRM version: NVIDIA UNIX x86_64
/// Kernel Module  580.159.04  Thu ..."), or empty when the text has none.
std::string parseDriverRelease(std::string_view procVersionText);
/// "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" of a 16-byte UUID.
std::string formatGpuUuid(const unsigned char (&bytes)[16]);

/// Queries the driver (all devices) and NVRTC; never fails, the errors are kept inside.
GpuEnvironment queryGpuEnvironment();
Expected<NvrtcInfo> queryNvrtc();
Expected<DeviceInfo> queryDevice(int ordinal);

/// "13.0" from 13000.
std::string formatCudaVersion(int version);

nlohmann::json toJson(const GpuEnvironment& env);
/// The human-readable gpu-info text.
std::string formatText(const GpuEnvironment& env);

} // namespace ptxwb::cuda
