// CPU reference throughput: dequantisation per core for each compute format, and the full
// llama forward of the `small` synthetic preset (4 layers, D=512, 8 heads / 2 KV heads).
#include "reference/dequantize.h"
#include "reference/llama_forward.h"
#include "reference/quantize.h"
#include "reference/synthetic_model.h"

#include <benchmark/benchmark.h>
#include <cmath>
#include <memory>

namespace {

using namespace ptxwb;
using namespace ptxwb::reference;
using gguf::GgmlType;

void BM_DequantizePerCore(benchmark::State& state) {
    const auto type = static_cast<GgmlType>(state.range(0));
    const std::size_t n = 1 << 20; // 1 Mi values: larger than L2, like a real weight matrix
    std::vector<float> values(n);
    for (std::size_t i = 0; i < n; ++i)
        values[i] = std::sin(0.001f * static_cast<float>(i));
    const auto bytes = *quantize(type, values, 256);
    std::vector<float> out(n);
    for (auto _ : state) {
        dequantizeUnchecked(type, bytes.data(), out.data(), n); // one thread
        benchmark::ClobberMemory();
    }
    state.SetLabel(std::string(gguf::ggmlTypeName(type)));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_DequantizePerCore)
    ->Arg(static_cast<int>(GgmlType::F16))
    ->Arg(static_cast<int>(GgmlType::BF16))
    ->Arg(static_cast<int>(GgmlType::Q8_0))
    ->Arg(static_cast<int>(GgmlType::Q4_K))
    ->Arg(static_cast<int>(GgmlType::Q6_K));

struct SmallModel {
    std::vector<std::byte> bytes;
    std::unique_ptr<gguf::GgufFile> file;
    LlamaWeights weights;
};

const SmallModel& smallModel() {
    static const auto model = [] {
        auto m = std::make_unique<SmallModel>();
        auto w =
            buildSyntheticModel(syntheticPreset(SyntheticPreset::Small), SyntheticQuant::Q4_K_M, 1);
        m->bytes = w->toBytes();
        m->file = std::make_unique<gguf::GgufFile>(*gguf::GgufFile::parse(m->bytes, "small"));
        m->weights = *LlamaWeights::load(*m->file);
        return m;
    }();
    return *model;
}

void BM_SmallForward(benchmark::State& state) {
    const auto& m = smallModel();
    std::vector<std::int32_t> tokens(static_cast<std::size_t>(state.range(0)));
    for (std::size_t i = 0; i < tokens.size(); ++i)
        tokens[i] = static_cast<std::int32_t>(1 + 37 * i % 3000);
    for (auto _ : state) {
        auto r = llamaForward(m.weights, tokens);
        if (!r) state.SkipWithError(r.error().format().c_str());
        benchmark::DoNotOptimize(r->logits.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * tokens.size()));
    state.SetLabel("small q4_k_m, tokens/s");
}
BENCHMARK(BM_SmallForward)->Arg(1)->Arg(8)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_QuantizeQ4K(benchmark::State& state) {
    std::vector<float> values(1 << 18);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = std::sin(0.37f * static_cast<float>(i));
    for (auto _ : state)
        benchmark::DoNotOptimize(quantize(GgmlType::Q4_K, values, 256)->data());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
}
BENCHMARK(BM_QuantizeQ4K)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
