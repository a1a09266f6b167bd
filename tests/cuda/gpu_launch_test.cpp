// On a machine with a GPU: NVRTC-compile a kernel, load it, launch it, check its output; guarded
// buffers see overruns; graphs give back the parameters they froze.
#include "cuda/context.h"
#include "cuda/cuda_error.h"
#include "cuda/graph.h"
#include "cuda/memory.h"
#include "cuda/module.h"
#include "cuda/nvrtc_compiler.h"

#include <cstring>
#include <gtest/gtest.h>

namespace ptxwb::cuda {
namespace {

const char* kSource = R"(
extern "C" __global__ void axpb(float* y, const float* x, float a, float b, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + b;
}
extern "C" __global__ void write_one_past(float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i <= n) y[i] = 1.0f;
}
extern "C" __global__ void write_half(float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n / 2) y[i] = 2.0f;
}
)";

class GpuLaunch : public ::testing::Test {
protected:
    void SetUp() override {
        auto ctx = Context::create(0);
        if (!ctx) GTEST_SKIP() << "no GPU: " << ctx.error().message;
        context_ = std::move(ctx).value();
        const auto& dev = context_->device();
        auto ptx =
            compileToPtx({kSource, "test_kernels.cu", {}, dev.smMajor * 10 + dev.smMinor, {}});
        ASSERT_TRUE(ptx) << ptx.error().format();
        auto mod = Module::loadPtx(ptx->ptx, "test_kernels.cu");
        ASSERT_TRUE(mod) << mod.error().format();
        module_ = std::move(mod).value();
    }
    std::unique_ptr<Context> context_;
    Module module_;
};

TEST_F(GpuLaunch, CompileLoadLaunchAndCheck) {
    auto fn = module_.function("axpb");
    ASSERT_TRUE(fn) << fn.error().format();
    EXPECT_GT(fn->attributes.registers, 0);
    EXPECT_GE(fn->attributes.maxThreadsPerBlock, 256);
    ASSERT_EQ(fn->params.size(), 5u);
    EXPECT_EQ(fn->params[2].size, 4u);
    const int n = 1000;
    std::vector<float> x(n), y(n);
    for (int i = 0; i < n; ++i)
        x[i] = static_cast<float>(i);
    auto dx = DeviceBuffer::allocate(n * 4);
    auto dy = DeviceBuffer::allocate(n * 4);
    ASSERT_TRUE(dx && dy);
    ASSERT_TRUE(dx->upload(asBytes(x)));
    KernelArgs args;
    args.ptr(dy->ptr()).ptr(dx->ptr()).f32(2.0f).f32(1.0f).i32(n);
    ASSERT_TRUE(launch(*fn, {4, 1, 1}, {256, 1, 1}, 0, nullptr, args));
    ASSERT_TRUE(context_->synchronize());
    ASSERT_TRUE(dy->download(asWritableBytes(y)));
    for (int i = 0; i < n; ++i)
        ASSERT_EQ(y[i], 2.0f * i + 1.0f) << "at " << i;
}

TEST_F(GpuLaunch, GuardRegionCatchesAWritePastTheEnd) {
    auto fn = module_.function("write_one_past");
    ASSERT_TRUE(fn);
    auto buf = GuardedBuffer::allocate(100 * 4);
    ASSERT_TRUE(buf);
    ASSERT_TRUE(buf->poison());
    KernelArgs args;
    args.ptr(buf->ptr()).i32(100);
    ASSERT_TRUE(launch(*fn, {1, 1, 1}, {128, 1, 1}, 0, nullptr, args));
    ASSERT_TRUE(context_->synchronize());
    auto hits = buf->checkGuards();
    ASSERT_TRUE(hits);
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_FALSE((*hits)[0].before);
    EXPECT_EQ((*hits)[0].wordIndex, 0u);
    EXPECT_EQ((*hits)[0].value, 0x3F800000u);
}

TEST_F(GpuLaunch, PoisonMarksUnwrittenElements) {
    auto fn = module_.function("write_half");
    ASSERT_TRUE(fn);
    auto buf = GuardedBuffer::allocate(64 * 4);
    ASSERT_TRUE(buf && buf->poison());
    KernelArgs args;
    args.ptr(buf->ptr()).i32(64);
    ASSERT_TRUE(launch(*fn, {1, 1, 1}, {64, 1, 1}, 0, nullptr, args));
    ASSERT_TRUE(context_->synchronize());
    std::vector<std::uint32_t> words(64);
    ASSERT_TRUE(buf->download(asWritableBytes(words)));
    EXPECT_EQ(words[31], 0x40000000u);
    EXPECT_EQ(words[32], GuardedBuffer::kPoisonWord);
    EXPECT_TRUE(buf->checkGuards()->empty());
}

TEST_F(GpuLaunch, GraphKernelNodeKeepsItsCapturedParameters) {
    auto fn = module_.function("axpb");
    ASSERT_TRUE(fn);
    auto stream = Stream::create();
    ASSERT_TRUE(stream);
    auto dx = DeviceBuffer::allocate(64 * 4);
    auto dy = DeviceBuffer::allocate(64 * 4);
    ASSERT_TRUE(dx && dy);
    auto graph = Graph::capture(*stream, [&]() -> Status {
        KernelArgs args;
        args.ptr(dy->ptr()).ptr(dx->ptr()).f32(3.0f).f32(-1.0f).i32(64);
        return launch(*fn, {1, 1, 1}, {64, 1, 1}, 0, stream->handle(), args);
    });
    ASSERT_TRUE(graph) << graph.error().format();
    auto nodes = graph->kernelNodes();
    ASSERT_TRUE(nodes) << nodes.error().format();
    ASSERT_EQ(nodes->size(), 1u);
    const auto& node = (*nodes)[0];
    EXPECT_EQ(node.block.x, 64u);
    ASSERT_EQ(node.params.size(), 5u);
    float a = 0;
    std::int32_t n = 0;
    std::memcpy(&a, node.params[2].data(), 4);
    std::memcpy(&n, node.params[4].data(), 4);
    EXPECT_EQ(a, 3.0f);
    EXPECT_EQ(n, 64);
    ASSERT_TRUE(graph->launch(*stream));
    ASSERT_TRUE(stream->synchronize());
}

TEST_F(GpuLaunch, JitErrorIsLocatedInThePtx) {
    auto mod = Module::loadPtx(
        ".version 8.0\n.target sm_80\n.address_size 64\n.visible .entry k() {\n  bogus.op;\n}\n",
        "broken.ptx");
    ASSERT_FALSE(mod);
    EXPECT_EQ(mod.error().kind, ErrorKind::BadInput);
    ASSERT_TRUE(mod.error().location.has_value());
    EXPECT_EQ(mod.error().location->format(), "broken.ptx:5:1");
}

TEST_F(GpuLaunch, MissingEntryIsBadInput) {
    auto fn = module_.function("no_such_kernel");
    ASSERT_FALSE(fn);
    EXPECT_EQ(fn.error().message, "no entry 'no_such_kernel' in test_kernels.cu");
}

} // namespace
} // namespace ptxwb::cuda
