#include "cuda/api.h"
#include "kernels/kernel_loader.h"
#include "kernels/kernel_set.h"
#include "util/mapped_file.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>

namespace ptxwb::kernels {
namespace {

namespace fs = std::filesystem;

fs::path tempDir(const std::string& name) {
    auto dir = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

TEST(BuiltinKernelSet, LoadsWithPairsAndZoo) {
    auto set = KernelSet::builtin();
    ASSERT_TRUE(set) << set.error().format();
    const auto& m = set->manifest();
    EXPECT_EQ(m.name, "builtin-llama");
    // Every pair the upstream issue names exists with the bitwise contract.
    for (const char* batched :
         {"BatchedRmsNormKernel", "BatchedQ4KGemvKernel", "BatchedQ6KGemvKernel",
          "BatchedResidualAddKernel", "BatchedRopeKernel", "BatchedSwigluKernel"}) {
        const KernelSpec* k = m.find(batched);
        ASSERT_NE(k, nullptr) << batched;
        EXPECT_EQ(k->contract.kind, Contract::Kind::Bitwise) << batched;
        EXPECT_FALSE(k->pairsWith.empty()) << batched;
    }
    int zoo = 0;
    std::set<std::string> checks;
    for (const auto& k : m.kernels)
        if (k.zoo) {
            ++zoo;
            checks.insert(k.zoo->caughtBy);
        }
    EXPECT_GE(zoo, 6);
    EXPECT_TRUE(checks.count("probe:dequant"));
    EXPECT_TRUE(checks.count("guard:overrun"));
    EXPECT_TRUE(checks.count("static:shared-u64-address"));
    EXPECT_EQ(m.find("ZooBatchedQ6KGemvDequant")->zoo->caughtBy, "probe:dequant");
}

TEST(BuiltinKernelSet, ExportThenLoadGivesTheSameSet) {
    auto set = KernelSet::builtin();
    ASSERT_TRUE(set);
    auto dir = tempDir("ptxwb-export");
    ASSERT_TRUE(set->exportTo(dir.string()));
    EXPECT_TRUE(fs::exists(dir / "kernelset.json"));
    EXPECT_TRUE(fs::exists(dir / "gemv_q6k.cu"));
    auto again = KernelSet::loadDirectory(dir.string());
    ASSERT_TRUE(again) << again.error().format();
    EXPECT_EQ(again->contentHash(), set->contentHash());
    EXPECT_EQ(again->origin(), dir.string());
    fs::remove_all(dir);
}

TEST(KernelSetDirectory, MissingSourceIsLocatedInTheManifest) {
    auto set = KernelSet::builtin();
    ASSERT_TRUE(set);
    auto dir = tempDir("ptxwb-missing");
    ASSERT_TRUE(set->exportTo(dir.string()));
    fs::remove(dir / "rope.cu");
    auto broken = KernelSet::loadDirectory(dir.string());
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().message, "source 'rope.cu' not found in the kernel set");
    ASSERT_TRUE(broken.error().location.has_value());
    EXPECT_EQ(broken.error().location->path, (dir / "kernelset.json").string());
    EXPECT_TRUE(broken.error().location->line.has_value());
    fs::remove_all(dir);
}

TEST(KernelSetDirectory, MissingManifest) {
    auto dir = tempDir("ptxwb-empty");
    fs::create_directories(dir);
    auto set = KernelSet::loadDirectory(dir.string());
    ASSERT_FALSE(set);
    EXPECT_EQ(set.error().format(),
              (dir / "kernelset.json").string() + ": cannot read the kernel set manifest");
    fs::remove_all(dir);
}

// NVRTC works without a GPU: every built-in source must compile for sm_80 and sm_90 and define
// every entry point the manifest names.
class BuiltinCompile : public ::testing::TestWithParam<int> {};

TEST_P(BuiltinCompile, EverySourceCompilesAndDefinesItsEntries) {
    if (auto api = cuda::loadNvrtc(); !api)
        GTEST_SKIP() << "NVRTC not available: " << api.error().message;
    auto set = KernelSet::builtin();
    ASSERT_TRUE(set);
    std::map<std::string, std::string> ptx;
    for (const auto& k : set->manifest().kernels) {
        if (!ptx.count(k.source)) {
            auto text = ptxForSource(*set, k.source, GetParam(), false);
            ASSERT_TRUE(text) << text.error().format();
            ptx[k.source] = *text;
        }
        EXPECT_NE(ptx[k.source].find(".entry " + k.entry + "("), std::string::npos) << k.name;
    }
}

INSTANTIATE_TEST_SUITE_P(Archs, BuiltinCompile, ::testing::Values(80, 90));

TEST(BuiltinCompile, EditedSourceErrorPointsIntoTheEditedFile) {
    if (auto api = cuda::loadNvrtc(); !api)
        GTEST_SKIP() << "NVRTC not available: " << api.error().message;
    auto set = KernelSet::builtin();
    ASSERT_TRUE(set);
    auto dir = tempDir("ptxwb-edit");
    ASSERT_TRUE(set->exportTo(dir.string()));
    {
        std::ofstream out(dir / "elementwise.cu", std::ios::app);
        out << "\nextern \"C\" __global__ void broken(float* y) { y[0] = nope; }\n";
    }
    auto edited = KernelSet::loadDirectory(dir.string());
    ASSERT_TRUE(edited);
    auto ptx = ptxForSource(*edited, "elementwise.cu", 90, false);
    ASSERT_FALSE(ptx);
    EXPECT_EQ(ptx.error().message, "identifier \"nope\" is undefined");
    auto lines = std::count(edited->files().at("elementwise.cu").begin(),
                            edited->files().at("elementwise.cu").end(), '\n');
    EXPECT_EQ(ptx.error().location->format(), "elementwise.cu:" + std::to_string(lines) + ":1");
    fs::remove_all(dir);
}

} // namespace
} // namespace ptxwb::kernels
