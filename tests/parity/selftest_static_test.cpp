#include "cuda/api.h"
#include "kernels/kernel_set.h"
#include "parity/selftest.h"
#include "util/mapped_file.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

TEST(StaticSelftest, BuiltinSetHasNoFailuresAndListsAnalyzerChecksAsPending) {
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set);
    auto rows = runStaticSelftest(*set);
    int pending = 0, compiled = 0;
    for (const auto& r : rows) {
        EXPECT_NE(r.status, "FAIL") << r.check << " " << r.subject << ": " << r.detail;
        if (r.status == "pending") {
            ++pending;
            EXPECT_EQ(r.check, "static:shared-u64-address");
            EXPECT_EQ(r.subject, "ZooBatchedRmsNormSharedU64");
        }
        if (r.check.rfind("nvrtc-compile", 0) == 0 && r.status == "ok") ++compiled;
    }
    EXPECT_EQ(pending, 1);
    if (cuda::loadNvrtc()) {
        EXPECT_GE(compiled, 20);
    }
}

TEST(StaticSelftest, CatchesAnEntryMissingFromItsSource) {
    if (!cuda::loadNvrtc()) GTEST_SKIP() << "NVRTC not available";
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set);
    std::string manifest = set->files().at("kernelset.json");
    auto at = manifest.find("\"entry\": \"batched_swiglu\"");
    ASSERT_NE(at, std::string::npos);
    manifest.replace(at, 25, "\"entry\": \"batched_swiglu2\"");
    auto dir =
        std::filesystem::temp_directory_path() / ("ptxwb-selftest-" + std::to_string(::getpid()));
    ASSERT_TRUE(set->exportTo(dir.string()));
    ASSERT_TRUE(writeFileAtomic((dir / "kernelset.json").string(), manifest));
    auto edited = kernels::KernelSet::loadDirectory(dir.string());
    ASSERT_TRUE(edited) << edited.error().format();
    auto rows = runStaticSelftest(*edited, {90});
    bool found = false;
    for (const auto& r : rows)
        if (r.status == "FAIL") {
            EXPECT_EQ(r.check, "entry-present sm_90");
            EXPECT_EQ(r.subject, "BatchedSwigluKernel");
            EXPECT_EQ(r.detail, "no .entry batched_swiglu2 in elementwise.cu");
            found = true;
        }
    EXPECT_TRUE(found);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace ptxwb::parity
