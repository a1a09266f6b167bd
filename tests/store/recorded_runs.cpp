#include "recorded_runs.h"

#include "kernels/kernel_set.h"
#include "record/job_results.h"

#include <cstdio>
#include <cstdlib>

namespace ptxwb::testing {

store::Run recordedParityRun(const ParityJobOptions& options, const std::string& uuid,
                             std::int64_t startedUnixMs) {
    store::Run run;
    run.uuid = uuid;
    run.command = "parity";
    run.commandLine = {"ptxwb", "parity", "--seed", std::to_string(options.seed)};
    if (options.withZoo) {
        run.commandLine.push_back("--zoo");
        run.labels["zoo"] = "included";
    }
    run.startedUnixMs = startedUnixMs;
    run.endedUnixMs = startedUnixMs + 41250;
    run.environment.host = "gpu-node-07";
    run.environment.ptxwbVersion = "0.1.0";
    if (auto st = record::addParityResult(run, parityJobResult(options)); !st) {
        std::fprintf(stderr, "recordedParityRun: %s\n", st.error().format().c_str());
        std::abort(); // the fixture no longer matches the recorder: fix one of them
    }
    // No NVRTC target: .ptx kernels get their text, .cu kernels are named without it.
    if (auto set = kernels::KernelSet::builtin()) record::addKernelSources(run, *set, 0);
    record::settleRunStatus(run);
    return run;
}

std::vector<store::Run> recordedParityRuns() {
    constexpr std::int64_t kDay = 86400000;
    constexpr std::int64_t kStart = 1764158400000; // 2025-11-26T12:00:00Z
    return {recordedParityRun({.seed = 1}, kRecordedPassing, kStart),
            recordedParityRun({.seed = 2, .dequantBug = true, .timingScale = 1.3}, kRecordedFailing,
                              kStart + kDay),
            recordedParityRun({.seed = 1, .withZoo = true}, kRecordedZoo, kStart + 2 * kDay)};
}

} // namespace ptxwb::testing
