#pragma once
// Turns the JSON results of the GPU jobs (parity, probe, selftest, trace; what `ptxwb worker`
// returns) into a store::Run, so every front end records the same thing and the conversion is
// tested without a GPU. Qt-free and CUDA-free at run time: it only reads JSON and kernel-set
// files (NVRTC is used, when present, to name the exact PTX of .cu kernels).
//
// The JSON shapes are those of parity::toJson(CheckResult), parity::toJson(ProbeResult),
// parity::runSelftestJob and the engine's trace job (trace_jsonl in schema ptxwb.trace).
// A result that does not have that shape gives a BadInput error naming the JSON path of the
// problem ("parity result: /checks/3/status: ...").

#include "engine/trace.h"
#include "kernels/kernel_set.h"
#include "store/run.h"
#include "util/expected.h"

#include <nlohmann/json.hpp>
#include <string>

namespace ptxwb::record {

/// Evidence keys that hold measurements rather than evidence (timings); store::compareRuns
/// ignores them when it decides whether evidence changed.
inline constexpr const char* kTimingEvidenceKey = "timing";

/// Fills GPU name, UUID (when the driver reported one) and arch, driver and NVRTC versions and
/// the kernel-set hash from a job's "environment" object (cuda::toJson of the GPU environment
/// plus "kernel_set_hash"). Fields the object lacks are left as they are.
void applyJobEnvironment(store::Environment& env, const nlohmann::json& environment);

/// The store check of one element of a parity result's "checks": kind Parity, named
/// "CANDIDATE vs REFERENCE M=m SHAPE", with counts, first mismatches (exact values from their
/// bit patterns, NaN included), the CPU-oracle results and summary as evidence, timings under
/// kTimingEvidenceKey, and the mismatch map preview (max-pooled to at most 128 columns by the
/// job) as the stored map; its full size is kept in evidence "map".
Expected<store::Check> parityCheckFromJson(const nlohmann::json& check);

/// Adds a whole parity job result to `run`: environment, seed, input distribution and model
/// (as labels/environment), one check per element of "checks", and status Error with the
/// reason when the job aborted on a sticky fault. Does not settle the run status.
Status addParityResult(store::Run& run, const nlohmann::json& result);

/// Adds a dequant-probe result: one Probe check "KERNEL dequant probe NxK" whose map has one
/// row over the positions of a quantisation block (which positions are wrong in any row),
/// with the per-super-block and per-sub-block counts and samples as evidence.
Status addProbeResult(store::Run& run, const nlohmann::json& result);

/// Adds a selftest result: one Selftest check per static row ("static CHECK SUBJECT"), per
/// bug-zoo mutant ("zoo MUTANT caught by HOW": passed when caught) and per good kernel
/// ("good KERNEL vs SINGLE"). Pending static checks and uncaught-but-pending mutants are
/// skipped, not failed.
Status addSelftestResult(store::Run& run, const nlohmann::json& result);

/// The store's form of a trace launch (scalar parameters by value, pointers as "-> TENSOR+OFF").
[[nodiscard]] store::TraceLaunch toStoreLaunch(const engine::TraceLaunch& launch);

/// Adds the launches of `trace` and its model and kernel-set name to `run`.
void addTrace(store::Run& run, const engine::Trace& trace);

/// Adds a trace job result: environment, and the launches of its "trace_jsonl".
Status addTraceResult(store::Run& run, const nlohmann::json& result);

/// Records the kernels the run's checks and launches name, with the exact PTX each ran: .ptx
/// sources as they are, .cu sources compiled by NVRTC for `arch` (e.g. 90; the PTX cache makes
/// this free after a GPU job compiled them). A kernel whose PTX cannot be produced here (no
/// NVRTC) is recorded without text. Sets the kernel-set name and content hash.
void addKernelSources(store::Run& run, const kernels::KernelSet& set, int arch);

/// "sm_90" -> 90; 0 when the text is not of that form.
[[nodiscard]] int archNumber(const std::string& smArch);

/// Sets the run status from its checks unless it is already Error: Failed (with "N of M checks
/// failed" and the first failing check) when any check failed or errored, else Passed.
void settleRunStatus(store::Run& run);

} // namespace ptxwb::record
