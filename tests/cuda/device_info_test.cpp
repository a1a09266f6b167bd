// What gpu-info and every run record about the driver and the GPU, from the system's own texts.
#include "cuda/device_info.h"

#include <gtest/gtest.h>

namespace ptxwb::cuda {
namespace {

TEST(DeviceInfo, DriverReleaseFromTheKernelModuleLine) {
    EXPECT_EQ(parseDriverRelease("NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.159.04  "
                                 "Thu Oct  9 19:41:19 UTC 2025\n"),
              "580.159.04");
    EXPECT_EQ(parseDriverRelease("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                                 "550.54.15  Release Build  (dvs-builder@U16-T02-35-3)"),
              "550.54.15");
    EXPECT_EQ(parseDriverRelease(""), "");
    EXPECT_EQ(parseDriverRelease("Kernel Module"), "");
    EXPECT_EQ(parseDriverRelease("NVRM version: NVIDIA UNIX Kernel Module for x86_64\n1.2"), "")
        << "only the module's own line";
}

TEST(DeviceInfo, GpuUuidIsFormattedAsNvidiaSmiPrintsIt) {
    const unsigned char bytes[16] = {0x5d, 0x1e, 0x2c, 0x3a, 0x0b, 0x4f, 0x7a, 0x8e,
                                     0x9c, 0x6d, 0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a};
    EXPECT_EQ(formatGpuUuid(bytes), "GPU-5d1e2c3a-0b4f-7a8e-9c6d-1f2e3d4c5b6a");
}

} // namespace
} // namespace ptxwb::cuda
