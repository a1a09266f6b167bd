#pragma once
// The engine's worker jobs. Each runs in `ptxwb worker` (a CUDA context of its own) and returns
// JSON: the CLI prints it, the GUI shows it, the store keeps it.
//
// "validate-kv-cache" params: {"model": PATH, "kernel_set": DIR|"", "tokens": [..] or
// "prompt_length": N, "inject": [fault names], "tolerance": 0.0}; its result carries the report,
// the batched prefill's trace and "kv_head_maps" (the per-head maps, kv_head_maps.h).
// "trace" params: {"model", "kernel_set", "tokens"|"prompt_length", "prefill": "serial"|"batched",
// "decode": N, "graph": bool, "inject": [...], "measure_overhead": bool}
// Both take "device": the CUDA ordinal to run on (default 0).

#include "util/expected.h"
#include "util/progress.h"

#include <nlohmann/json.hpp>

namespace ptxwb::engine {

Expected<nlohmann::json> runKvValidationJob(const nlohmann::json& params,
                                            const ProgressSink& progress,
                                            const CancelToken& cancel);
Expected<nlohmann::json> runTraceJob(const nlohmann::json& params, const ProgressSink& progress,
                                     const CancelToken& cancel);

} // namespace ptxwb::engine
