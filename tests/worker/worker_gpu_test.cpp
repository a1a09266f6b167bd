// The worker on a machine with a GPU (label gpu): the first real jobs run in a supervised child
// process — gpu-info, and a parity job that compiles kernels with NVRTC, loads them, launches
// them and checks their output, and parity and probe runs through the CLI in which a kernel
// never returns. Skips with a reason where no CUDA driver is present.
#include "../cli/cli_run.h"
#include "cuda/api.h"
#include "worker/supervisor.h"

#include <chrono>
#include <gmock/gmock.h>
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

TEST(WorkerGpu, AHungKernelIsReportedAndTheRestOfTheRunGoesOnInAFreshWorker) {
    if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine (libcuda.so.1)";
    const std::string set = std::string(PTXWB_TEST_DATA_DIR) + "/kernelsets/hang";
    auto r = test::runCli({"--no-history", "--no-progress", "parity", "--kernel-set", set, "--m",
                           "1,2", "--shapes", "1000", "--check-timeout", "3", "--format", "json"});
    EXPECT_EQ(r.exitCode, 5) << r.err; // a fault, like a sticky CUDA error
    const auto result = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(result.is_discarded()) << r.out << r.err;
    EXPECT_EQ(result["totals"]["passed"], 2) << result.dump(2);
    EXPECT_EQ(result["totals"]["errors"], 2);
    ASSERT_EQ(result["hung"].size(), 2u);
    for (const auto& check : result["checks"]) {
        if (check["candidate"] != "HangBatchedResidualAdd") {
            EXPECT_EQ(check["status"], "pass") << check.dump();
            continue;
        }
        EXPECT_EQ(check["status"], "ERROR");
        EXPECT_THAT(check["error"].get<std::string>(),
                    testing::HasSubstr("did not finish within 3 s (a hung kernel)"));
    }
    EXPECT_THAT(r.err, testing::HasSubstr("(HangBatchedResidualAdd M=1 D=1000) hung; running the "
                                          "rest in a fresh worker"));
}

TEST(WorkerGpu, SelftestSettlesAHungKernelAsAnErrorAndJudgesTheRest) {
    if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine (libcuda.so.1)";
    const std::string set = std::string(PTXWB_TEST_DATA_DIR) + "/kernelsets/hang";
    auto r = test::runCli({"--no-history", "--no-progress", "selftest", "--kernel-set", set,
                           "--check-timeout", "3", "--format", "json"});
    EXPECT_EQ(r.exitCode, 5) << r.err;
    const auto result = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(result.is_discarded()) << r.out << r.err;
    EXPECT_EQ(result["hung"], json::array({"HangBatchedResidualAdd"})) << result.dump(2);
    ASSERT_EQ(result["good"].size(), 2u);
    for (const auto& row : result["good"]) {
        if (row["kernel"] == "HangBatchedResidualAdd") {
            EXPECT_EQ(row["status"], "ERROR");
            EXPECT_THAT(row["evidence"].get<std::string>(),
                        testing::HasSubstr("did not finish within 3 s (a hung kernel)"));
        } else {
            EXPECT_EQ(row["status"], "pass") << row.dump();
        }
    }
}

TEST(WorkerGpu, AProbedKernelThatHangsIsReportedAfterTheCheckTimeout) {
    if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine (libcuda.so.1)";
    const std::string set = std::string(PTXWB_TEST_DATA_DIR) + "/kernelsets/hang_gemv";
    const auto start = std::chrono::steady_clock::now();
    auto r = test::runCli({"--no-history", "--no-progress", "probe", "--kernel-set", set,
                           "--kernel", "HangQ8_0Gemv", "--check-timeout", "3"});
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    EXPECT_EQ(r.exitCode, 5) << r.out << r.err;
    EXPECT_THAT(r.err, testing::HasSubstr("probing HangQ8_0Gemv did not finish within 3 s (a hung "
                                          "kernel); the worker was killed"));
    // Not the job's 300 s deadline (generous: a cold NVRTC compile comes first).
    EXPECT_LT(seconds.count(), 120.0);
}
