// Worker jobs "parity", "probe" and "selftest": thin adapters from the job interface to
// core/parity.
#include "parity/parity_job.h"
#include "worker/job.h"

namespace ptxwb::cli {
namespace {

Expected<nlohmann::json> runParity(const nlohmann::json& params, worker::JobContext& ctx) {
    return parity::runParityJob(params, ctx.progress, ctx.cancel);
}
Expected<nlohmann::json> runProbe(const nlohmann::json& params, worker::JobContext& ctx) {
    return parity::runProbeJob(params, ctx.progress, ctx.cancel);
}
Expected<nlohmann::json> runSelftest(const nlohmann::json& params, worker::JobContext& ctx) {
    return parity::runSelftestJob(params, ctx.progress, ctx.cancel);
}

} // namespace
PTXWB_REGISTER_JOB(parity, "parity", runParity);
PTXWB_REGISTER_JOB(probe, "probe", runProbe);
PTXWB_REGISTER_JOB(selftest, "selftest", runSelftest);
} // namespace ptxwb::cli
