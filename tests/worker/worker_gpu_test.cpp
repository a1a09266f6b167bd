// The worker on a machine with a GPU (label gpu): the first real jobs run in a supervised child
// process — gpu-info, and a parity job that compiles kernels with NVRTC, loads them, launches
// them and checks their output. Skips with a reason where no CUDA driver is present.
#include "cuda/api.h"
#include "worker/supervisor.h"

#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::worker;
using nlohmann::json;

namespace {
Supervisor cliSupervisor() {
    SupervisorOptions options;
    options.command = {PTXWB_CLI_PATH, "worker"};
    return Supervisor(options);
}
} // namespace

TEST(WorkerGpu, GpuInfoJobSeesTheDevice) {
    if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine (libcuda.so.1)";
    auto supervisor = cliSupervisor();
    auto outcome = supervisor.run(JobRequest{"gpu-info", json::object(), std::chrono::seconds(60)});
    ASSERT_TRUE(outcome) << outcome.error().format();
    ASSERT_TRUE(outcome->ok()) << outcome->reason;
    ASSERT_FALSE(outcome->result["devices"].empty());
    EXPECT_EQ(outcome->result["devices"][0]["arch"].get<std::string>().rfind("sm_", 0), 0u);
}

TEST(WorkerGpu, CompilesLaunchesAndChecksAKernelThroughTheWorker) {
    if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine (libcuda.so.1)";
    auto supervisor = cliSupervisor();
    auto outcome = supervisor.run(JobRequest{
        "parity", json{{"pairs", {"BatchedResidualAddKernel"}}, {"m", {1, 3}}, {"timing_reps", 1}},
        std::chrono::seconds(120)});
    ASSERT_TRUE(outcome) << outcome.error().format();
    ASSERT_TRUE(outcome->ok()) << outcome->reason;
    const auto& summary = outcome->result["totals"];
    EXPECT_GT(summary["passed"].get<int>(), 0) << outcome->result.dump(2).substr(0, 2000);
    EXPECT_EQ(summary["failed"].get<int>(), 0);
    EXPECT_EQ(summary["errors"].get<int>(), 0);
}
