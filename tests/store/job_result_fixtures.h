#pragma once
// GPU job results as the worker returns them, built on the CPU from the real result types
// (parity::CheckResult, parity::ProbeResult, parity::StaticCheckRow, cuda::GpuEnvironment,
// engine::Trace) and serialised by their real toJson / traceToJsonl, so the recording code is
// tested against the exact JSON shape the GPU jobs produce.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace ptxwb::testing {

struct ParityJobOptions {
    std::uint64_t seed = 1;
    /// BatchedQ6KGemvKernel at M=4 breaks its bitwise contract in sub-block 5 of every
    /// super-block for rows >= 1 (the dequant bug of the original report).
    bool dequantBug = false;
    /// Adds the bug zoo's Q6_K mutant as a check (what `ptxwb parity --zoo` adds).
    bool withZoo = false;
    int driverVersion = 12040;
    std::string gpuName = "NVIDIA H100 80GB HBM3";
    int smMajor = 9;
    int smMinor = 0;
    /// Scales the kernel timings: two runs that differ only here must compare as "same".
    double timingScale = 1.0;
};

/// The GPU environment object of a job result (cuda::toJson plus kernel_set_hash).
nlohmann::json jobEnvironment(const ParityJobOptions& options);

/// A parity job result over four pairs of the built-in kernel set at M=1 and M=4.
nlohmann::json parityJobResult(const ParityJobOptions& options);

/// A dequant-probe result of BatchedQ6KGemvKernel (failing: quants 8..15 of sub-block 5 wrong).
nlohmann::json probeJobResult(bool failing);

/// A selftest result: static rows, two zoo mutants (one caught, one pending), two good kernels.
nlohmann::json selftestJobResult(bool goodKernelFails);

/// A trace job result: batched prefill of 3 tokens through layer 0 (rope, kv_scatter).
nlohmann::json traceJobResult();

} // namespace ptxwb::testing
