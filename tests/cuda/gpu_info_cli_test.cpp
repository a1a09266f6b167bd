// `ptxwb gpu-info` without a driver: exit 4 with the documented message, NVRTC still shown.
#include "cuda/api.h"
#include "util/subprocess.h"

#include <fstream>
#include <gtest/gtest.h>
#include <regex>

namespace ptxwb {
namespace {

struct CliRun {
    int exitCode = -1;
    std::string output; ///< stdout and stderr merged
};

CliRun runCli(const std::vector<std::string>& args) {
    std::vector<std::string> argv{PTXWB_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    CliRun run;
    auto child = Subprocess::spawn(argv, true);
    if (!child) return run;
    child->closeInput();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (true) {
        auto line = child->readLine(deadline);
        if (!line || !line->has_value()) break;
        run.output += **line + "\n";
    }
    run.exitCode = child->wait().exitCode.value_or(-1);
    return run;
}

TEST(GpuInfoCli, NoDriverExitsWithEnvironmentCode) {
    if (cuda::loadDriver())
        GTEST_SKIP() << "a CUDA driver is present; this test covers machines without one";
    CliRun run = runCli({"gpu-info"});
    EXPECT_EQ(run.exitCode, 4);
    EXPECT_NE(run.output.find("ptxwb: error: no CUDA driver: libcuda.so.1 could not be loaded ("),
              std::string::npos)
        << run.output;
    if (cuda::loadNvrtc()) {
        EXPECT_NE(run.output.find("nvrtc archs: "), std::string::npos) << run.output;
    }
}

TEST(GpuInfoCli, JsonKeepsTheDriverError) {
    if (cuda::loadDriver())
        GTEST_SKIP() << "a CUDA driver is present; this test covers machines without one";
    CliRun run = runCli({"gpu-info", "--json"});
    EXPECT_EQ(run.exitCode, 4);
    EXPECT_NE(run.output.find("\"error\": \"no CUDA driver: libcuda.so.1 could not be loaded"),
              std::string::npos)
        << run.output;
}

TEST(GpuInfoCli, ShowsDevicesWhenADriverIsPresent) {
    if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine";
    CliRun run = runCli({"gpu-info"});
    EXPECT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("device 0: "), std::string::npos) << run.output;
    EXPECT_NE(run.output.find(", sm_"), std::string::npos);
    EXPECT_NE(run.output.find(", GPU-"), std::string::npos) << "the device's UUID";
    if (std::ifstream("/proc/driver/nvidia/version")) {
        EXPECT_TRUE(std::regex_search(run.output, std::regex("driver: [0-9]+\\.[0-9.]+, CUDA ")))
            << "the kernel driver's release: " << run.output;
    }
}

} // namespace
} // namespace ptxwb
