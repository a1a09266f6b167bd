#pragma once
// Realistic runs built through the store API, for tests, the fixture generator and (later) the
// GUI tests: a passing and a failing parity run of the built-in kernel set, and a run whose
// kernel names are hostile markup. Deterministic: same arguments, same runs.

#include "store/run.h"

#include <cstdint>
#include <string>

namespace ptxwb::store::fixtures {

struct ParityRunOptions {
    std::string uuid; ///< empty: a fixed UUID derived from the seed
    std::uint64_t seed = 1;
    bool withDequantBug = false; ///< BatchedQ6KGemvKernel fails as in the original bug report
    std::string driverVersion = "550.54.15";
    std::string smArch = "sm_90";
    std::string gpuName = "NVIDIA H100 80GB HBM3";
    std::int64_t startedUnixMs = 1764000000000; ///< 2025-11-24T16:00:00Z
    /// Adds a 512x14336 map with a single overrun element (tests that pooling keeps it).
    bool withLargeMap = false;
};

/// A parity run of the built-in kernel set: six batched/single pairs at M=1 and M=4, PTX of
/// each kernel, a static finding, a short layer trace and KV validation rows. With the dequant
/// bug, the Q6_K pairs at M=4 fail with a mismatch map and a dequant-probe map.
[[nodiscard]] Run makeParityRun(const ParityRunOptions& options);

/// A failed run whose kernel and check names are `<script>alert(1)</script>` and friends.
[[nodiscard]] Run makeHostileNamesRun();

/// The PTX text the fixtures use for `kernel` (differs when `variant` differs).
[[nodiscard]] std::string fixturePtx(const std::string& kernel, int variant);

} // namespace ptxwb::store::fixtures
