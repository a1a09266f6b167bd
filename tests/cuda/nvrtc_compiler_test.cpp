#include "cuda/api.h"
#include "cuda/nvrtc_compiler.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace ptxwb::cuda {
namespace {

#define REQUIRE_NVRTC()                                                                            \
    do {                                                                                           \
        auto api = loadNvrtc();                                                                    \
        if (!api) GTEST_SKIP() << "NVRTC not available: " << api.error().message;                  \
    } while (false)

const char* kScale = R"(#include "scale.cuh"
extern "C" __global__ void scale(float* y, const float* x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i] * FACTOR;
})";

TEST(NvrtcCompiler, CompilesWithHeadersForEachArch) {
    REQUIRE_NVRTC();
    for (int arch : {80, 90}) {
        CompileRequest req{
            kScale, "scale.cu", {"--std=c++17"}, arch, {{"scale.cuh", "#define FACTOR 2.0f\n"}}};
        auto out = compileToPtx(req);
        ASSERT_TRUE(out) << out.error().format();
        EXPECT_NE(out->ptx.find(".entry scale("), std::string::npos);
        EXPECT_NE(out->ptx.find(".target sm_" + std::to_string(arch)), std::string::npos);
    }
}

TEST(NvrtcCompiler, CompileErrorIsLocatedInTheSource) {
    REQUIRE_NVRTC();
    CompileRequest req{"extern \"C\" __global__ void k(float* y) {\n  y[0] = undefined_name;\n}\n",
                       "bad.cu",
                       {},
                       90,
                       {}};
    auto out = compileToPtx(req);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ErrorKind::BadInput);
    ASSERT_TRUE(out.error().location.has_value());
    EXPECT_EQ(out.error().location->format(), "bad.cu:2:1");
    EXPECT_EQ(out.error().message, "identifier \"undefined_name\" is undefined");
}

TEST(NvrtcCompiler, CacheKeyCoversSourceOptionsArchAndHeaders) {
    REQUIRE_NVRTC();
    CompileRequest a{kScale, "scale.cu", {}, 90, {{"scale.cuh", "#define FACTOR 2.0f\n"}}};
    CompileRequest b = a;
    b.arch = 80;
    CompileRequest c = a;
    c.options = {"--fmad=false"};
    CompileRequest d = a;
    d.headers[0].second = "#define FACTOR 3.0f\n";
    auto ka = ptxCacheKey(a);
    ASSERT_TRUE(ka);
    EXPECT_EQ(*ka, *ptxCacheKey(a));
    EXPECT_NE(*ka, *ptxCacheKey(b));
    EXPECT_NE(*ka, *ptxCacheKey(c));
    EXPECT_NE(*ka, *ptxCacheKey(d));
}

TEST(NvrtcCompiler, SecondCompileComesFromTheCache) {
    REQUIRE_NVRTC();
    auto dir =
        std::filesystem::temp_directory_path() / ("ptxwb-ptx-cache-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    CompileRequest req{kScale, "scale.cu", {}, 90, {{"scale.cuh", "#define FACTOR 2.0f\n"}}};
    auto first = compileToPtxCached(req, dir.string());
    ASSERT_TRUE(first) << first.error().format();
    EXPECT_FALSE(first->fromCache);
    auto second = compileToPtxCached(req, dir.string());
    ASSERT_TRUE(second);
    EXPECT_TRUE(second->fromCache);
    EXPECT_EQ(first->ptx, second->ptx);
    EXPECT_TRUE(std::filesystem::exists(dir / (first->cacheKey + ".ptx")));
    std::filesystem::remove_all(dir);
}

TEST(NvrtcLoader, CandidatesIncludeTheToolkitDirectory) {
    auto paths = nvrtcCandidatePaths();
    ASSERT_GE(paths.size(), 6u);
    EXPECT_EQ(paths[0], "libnvrtc.so.13");
    EXPECT_EQ(paths.back(), "/usr/local/cuda/lib64/libnvrtc.so");
}

} // namespace
} // namespace ptxwb::cuda
