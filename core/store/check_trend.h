#pragma once
// How one check behaved over time, grouped by what usually explains a change: the driver and
// the GPU architecture.

#include "store/run.h"

#include <string>
#include <vector>

namespace ptxwb::store {

/// The check's result in one run.
struct TrendPoint {
    std::string runUuid;
    std::int64_t startedUnixMs = 0;
    std::string gpuName;
    std::string smArch;
    std::string driverVersion;
    std::string toolkitVersion;
    std::string kernelSetHash;
    CheckStatus status = CheckStatus::Passed;
    std::uint32_t maxUlp = 0;
    std::uint64_t failingElements = 0;
};

/// All points of one (driver, arch) pair.
struct TrendGroup {
    std::string driverVersion;
    std::string smArch;
    std::uint32_t runs = 0;
    std::uint32_t passed = 0;
    std::uint32_t failed = 0; ///< failed or error
    std::uint32_t worstMaxUlp = 0;
    std::int64_t firstUnixMs = 0;
    std::int64_t lastUnixMs = 0;
    CheckStatus lastStatus = CheckStatus::Passed;
};

struct CheckTrend {
    std::string checkName;
    std::vector<TrendPoint> points; ///< oldest first
    std::vector<TrendGroup> groups; ///< by driver then arch
};

/// Groups points (already in time order) by driver and arch.
[[nodiscard]] std::vector<TrendGroup> groupTrend(const std::vector<TrendPoint>& points);

} // namespace ptxwb::store
