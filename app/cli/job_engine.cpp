// Worker jobs of the reference engine: KV-cache validation and the layer-to-PTX trace.
#include "engine/engine_jobs.h"
#include "worker/job.h"

namespace ptxwb::cli {
namespace {

Expected<nlohmann::json> kvValidationJob(const nlohmann::json& params, worker::JobContext& ctx) {
    return engine::runKvValidationJob(params, ctx.progress, ctx.cancel);
}

Expected<nlohmann::json> traceJob(const nlohmann::json& params, worker::JobContext& ctx) {
    return engine::runTraceJob(params, ctx.progress, ctx.cancel);
}

} // namespace
PTXWB_REGISTER_JOB(validate_kv_cache, "validate-kv-cache", kvValidationJob);
PTXWB_REGISTER_JOB(trace, "trace", traceJob);
} // namespace ptxwb::cli
