// Worker job "gpu-info": the same report as `ptxwb gpu-info --json`, produced inside the worker
// so the GUI's About dialog never touches CUDA itself. A missing driver is part of the answer,
// not a job failure.
#include "cuda/device_info.h"
#include "worker/job.h"

namespace ptxwb::cli {
namespace {

Expected<nlohmann::json> runGpuInfoJob(const nlohmann::json& /*params*/,
                                       worker::JobContext& /*ctx*/) {
    return cuda::toJson(cuda::queryGpuEnvironment());
}

} // namespace
PTXWB_REGISTER_JOB(gpu_info, "gpu-info", runGpuInfoJob);
} // namespace ptxwb::cli
