#pragma once
// Runs as `ptxwb parity` records them on a GPU machine: a job-result fixture passed through
// record::addParityResult, addKernelSources and settleRunStatus, with fixed UUIDs and times.

#include "job_result_fixtures.h"
#include "store/run.h"

#include <string>

namespace ptxwb::testing {

/// UUIDs of the runs of recordedParityRuns().
inline const std::string kRecordedPassing = "1a7e5b20-6c1d-4e2f-8a3b-4c5d6e7f8091";
inline const std::string kRecordedFailing = "2b8f6c31-7d2e-4f30-9b4c-5d6e7f8091a2";
inline const std::string kRecordedZoo = "3c9a7d42-8e3f-4041-8c5d-6e7f8091a2b3";

/// A recorded parity run (`ptxwb parity --seed N [--zoo]`); `zoo` also sets the label
/// cmd_parity writes for --zoo.
store::Run recordedParityRun(const ParityJobOptions& options, const std::string& uuid,
                             std::int64_t startedUnixMs);

/// Three runs of the built-in set, a day apart: passing (seed 1), failing with the Q6_K dequant
/// bug (seed 2, other timings) and the set with its zoo (seed 1).
std::vector<store::Run> recordedParityRuns();

} // namespace ptxwb::testing
