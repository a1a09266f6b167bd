// Issue 6 target: on an H100, Q4_K and Q6_K GEMV at M=1 reach >= 70% of the measured
// device-to-device copy bandwidth for 4096x4096, 4096x14336, 14336x4096 and 32000x4096 (N x K),
// and a batched GEMV at M=8 takes well under twice its M=1 time.
// Counters: GB/s (weights + x + y per launch) and pct_of_copy (against BM_DeviceCopy's figure).
#include "cuda/context.h"
#include "kernels/kernel_loader.h"
#include "parity/launch_binding.h"
#include "parity/op_data.h"
#include "parity/pair_runner.h"

#include <benchmark/benchmark.h>
#include <memory>

namespace {

using namespace ptxwb;

struct GpuState {
    std::unique_ptr<cuda::Context> context;
    std::unique_ptr<kernels::KernelSet> set;
    std::unique_ptr<kernels::LoadedKernelSet> loaded;
    double copyGbps = 0;
    std::string error;
};

GpuState& gpu() {
    static GpuState state = [] {
        GpuState s;
        auto ctx = cuda::Context::create(0);
        if (!ctx) {
            s.error = ctx.error().message;
            return s;
        }
        s.context = std::move(ctx).value();
        s.set = std::make_unique<kernels::KernelSet>(kernels::KernelSet::builtin().value());
        const auto& d = s.context->device();
        s.loaded = std::make_unique<kernels::LoadedKernelSet>(*s.set, d.smMajor * 10 + d.smMinor);
        auto bw = parity::measureCopyBandwidth();
        s.copyGbps = bw ? *bw : 0;
        return s;
    }();
    return state;
}

void BM_DeviceCopy(benchmark::State& state) {
    auto& g = gpu();
    if (!g.error.empty()) return state.SkipWithError(g.error.c_str());
    for (auto _ : state) {
        auto bw = parity::measureCopyBandwidth(256u << 20, 10);
        if (!bw) return state.SkipWithError(bw.error().message.c_str());
        state.counters["GB/s"] = *bw;
    }
}
BENCHMARK(BM_DeviceCopy)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_Gemv(benchmark::State& state, const char* kernel) {
    auto& g = gpu();
    if (!g.error.empty()) return state.SkipWithError(g.error.c_str());
    const auto* spec = g.set->manifest().find(kernel);
    const int n = static_cast<int>(state.range(0)), k = static_cast<int>(state.range(1)),
              m = static_cast<int>(state.range(2));
    auto data =
        parity::buildOpData(*spec, {{"N", n}, {"K", k}}, m, parity::Distribution::Normal, 1);
    if (!data) return state.SkipWithError(data.error().message.c_str());
    auto loaded = g.loaded->get(kernel);
    auto in = parity::uploadInputs(*data);
    auto out = cuda::DeviceBuffer::allocate(data->outputElems * 4);
    bool batched = spec->variant == kernels::Variant::Batched;
    auto geom = parity::evaluateGeometry(*spec, data->dims);
    if (!loaded || !in || !out || !geom) return state.SkipWithError("setup failed");
    auto args = parity::bindArguments(*spec, *data, *in, out->ptr(),
                                      batched ? std::nullopt : std::optional<int>(0));
    auto start = cuda::Event::create(), stop = cuda::Event::create();
    const int reps = 20;
    for (auto _ : state) {
        (void)start->record(nullptr);
        for (int i = 0; i < reps; ++i)
            (void)cuda::launch((*loaded)->function, geom->grid, geom->block, geom->sharedBytes,
                               nullptr, *args);
        (void)stop->record(nullptr);
        (void)stop->synchronize();
        float ms = *cuda::Event::elapsedMs(*start, *stop);
        state.SetIterationTime(ms * 1e-3 / reps);
    }
    double bytes = parity::launchBytes(*spec, *data, batched);
    state.counters["GB/s"] =
        benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["copy_GB/s"] = g.copyGbps;
}

void shapes(benchmark::internal::Benchmark* b) {
    for (auto [n, k] : {std::pair{4096, 4096}, {4096, 14336}, {14336, 4096}, {32000, 4096}})
        b->Args({n, k, 1});
}
void batchedShapes(benchmark::internal::Benchmark* b) {
    for (int m : {1, 2, 4, 8, 16})
        b->Args({4096, 4096, m});
}

BENCHMARK_CAPTURE(BM_Gemv, q4k, "Q4KGemvKernel")
    ->Apply(shapes)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gemv, q6k, "Q6KGemvKernel")
    ->Apply(shapes)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gemv, q8_0, "Q8_0GemvKernel")
    ->Apply(shapes)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gemv, f16, "F16GemvKernel")
    ->Apply(shapes)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gemv, batched_q4k, "BatchedQ4KGemvKernel")
    ->Apply(batchedShapes)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gemv, batched_q6k, "BatchedQ6KGemvKernel")
    ->Apply(batchedShapes)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
