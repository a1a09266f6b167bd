#include "cuda/api.h"
#include "kernels/kernel_set.h"
#include "parity/selftest.h"
#include "util/mapped_file.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

TEST(StaticSelftest, AnalyzerCatchesTheU64SharedZooEntryAndGoodKernelsAreClean) {
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set);
    auto rows = runStaticSelftest(*set);
    int compiled = 0, analysedOk = 0, analysedSkipped = 0, zooRows = 0;
    for (const auto& r : rows) {
        // Every good kernel is free of error-level findings (NVRTC's consistent 64-bit shared
        // layout is a note) and every zoo entry is caught.
        EXPECT_NE(r.status, "FAIL") << r.check << " " << r.subject << ": " << r.detail;
        EXPECT_NE(r.status, "pending") << r.check << " " << r.subject;
        if (r.check == "static:shared-u64-address") {
            ++zooRows;
            EXPECT_EQ(r.subject, "ZooBatchedRmsNormSharedU64");
            EXPECT_EQ(r.status, "ok");
            // The .ptx zoo source needs no NVRTC: this row is the same on every machine.
            EXPECT_EQ(r.detail, "caught by shared-address-64bit at rmsnorm_batched_u64.ptx:102:17: "
                                "st.shared addresses shared memory through the 64-bit register "
                                "%sa3; shared addresses are 32-bit offsets, and this kernel "
                                "addresses shared memory through 32-bit registers elsewhere");
        }
        if (r.check == "analyzer sm_80") {
            analysedOk += r.status == "ok";
            analysedSkipped += r.status == "skipped";
        }
        if (r.check.rfind("nvrtc-compile", 0) == 0 && r.status == "ok") ++compiled;
    }
    EXPECT_EQ(zooRows, 1);
    std::size_t goodKernels = 0;
    for (const auto& k : set->manifest().kernels)
        goodKernels += !k.zoo;
    EXPECT_EQ(static_cast<std::size_t>(analysedOk + analysedSkipped), goodKernels);
    if (cuda::loadNvrtc()) {
        EXPECT_GE(compiled, 20);
        EXPECT_EQ(static_cast<std::size_t>(analysedOk), goodKernels);
    } else {
        EXPECT_EQ(static_cast<std::size_t>(analysedSkipped), goodKernels);
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
        if (r.status == "FAIL" && r.check.rfind("analyzer", 0) != 0) { // see the test above
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
