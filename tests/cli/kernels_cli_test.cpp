// `ptxwb kernels compile`: the PTX of chosen sources, written where the GUI's side-by-side view
// and the analyzer expect it (SOURCE.sm_ARCH.ptx), and clear usage errors otherwise.
#include "cli_run.h"
#include "cuda/api.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace ptxwb::test {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(KernelsCompileCli, WritesThePtxOfTheChosenSources) {
    const fs::path out = fs::temp_directory_path() / "ptxwb_kernels_compile_test";
    fs::remove_all(out);
    // Skipped only where NVRTC is missing: exit code 4 alone would also hide a failure to write.
    if (auto nvrtc = ptxwb::cuda::loadNvrtc(); !nvrtc)
        GTEST_SKIP() << "NVRTC not available: " << nvrtc.error().message;
    const auto r =
        runCli({"--no-history", "kernels", "compile", "--arch", "80", "--source", "rmsnorm.cu",
                "--source", "rmsnorm_batched_u64.ptx", "-o", out.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const fs::path compiled = out / "rmsnorm.cu.sm_80.ptx";
    const fs::path copied = out / "rmsnorm_batched_u64.ptx";
    EXPECT_EQ(r.out, compiled.string() + "\n" + copied.string() + "\n");
    const std::string ptx = readAll(compiled);
    EXPECT_NE(ptx.find(".entry rmsnorm("), std::string::npos) << ptx.substr(0, 400);
    EXPECT_NE(ptx.find(".target sm_80"), std::string::npos);
    EXPECT_NE(readAll(copied).find(".entry"), std::string::npos);
    EXPECT_FALSE(fs::exists(out / "gemv_q4k.cu.sm_80.ptx")) << "only the chosen sources";
    fs::remove_all(out);
}

TEST(KernelsCompileCli, UnknownSourceIsAUsageError) {
    const auto r = runCli({"--no-history", "kernels", "compile", "--source", "nope.cu"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--source nope.cu: no kernel of the set has this source"),
              std::string::npos)
        << r.err;
}

} // namespace
} // namespace ptxwb::test
