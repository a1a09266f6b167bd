// `model info` cost on a multi-GB model: opening must parse the header only and never touch
// tensor data. The benchmark writes a llama-7B-shaped Q4_K_M file (32 layers, 32000-token
// vocabulary, ~3.9 GB) whose tensors are sparse holes, so it costs no disk space; reading the
// data would show up as seconds, not milliseconds.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "gguf/llama_model.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>

namespace {

using namespace ptxwb::gguf;

const std::string& bigModelPath() {
    static const std::string path = [] {
        const auto p =
            (std::filesystem::temp_directory_path() / "ptxwb_bench_7b_sparse.gguf").string();
        GgufWriter w;
        w.setString("general.architecture", "llama");
        const std::uint64_t D = 4096, F = 11008, V = 32000;
        w.setU32("llama.embedding_length", D);
        w.setU32("llama.block_count", 32);
        w.setU32("llama.attention.head_count", 32);
        w.setU32("llama.attention.head_count_kv", 32);
        w.setU32("llama.feed_forward_length", F);
        w.setU32("llama.context_length", 4096);
        std::vector<std::string> tokens;
        std::vector<float> scores;
        for (std::uint64_t i = 0; i < V; ++i) {
            tokens.push_back(fmt::format("\u2581token{}", i));
            scores.push_back(-static_cast<float>(i));
        }
        w.setStringArray("tokenizer.ggml.tokens", tokens);
        w.setF32Array("tokenizer.ggml.scores", scores);
        auto add = [&](const std::string& name, GgmlType t, std::vector<std::uint64_t> dims) {
            if (!w.addSparseTensor(name, t, std::move(dims))) std::abort();
        };
        add("token_embd.weight", GgmlType::Q4_K, {D, V});
        for (std::uint32_t i = 0; i < 32; ++i) {
            add(llamaTensorName(i, "attn_norm"), GgmlType::F32, {D});
            add(llamaTensorName(i, "attn_q"), GgmlType::Q4_K, {D, D});
            add(llamaTensorName(i, "attn_k"), GgmlType::Q4_K, {D, D});
            add(llamaTensorName(i, "attn_v"), GgmlType::Q6_K, {D, D});
            add(llamaTensorName(i, "attn_output"), GgmlType::Q4_K, {D, D});
            add(llamaTensorName(i, "ffn_norm"), GgmlType::F32, {D});
            add(llamaTensorName(i, "ffn_gate"), GgmlType::Q4_K, {D, F});
            add(llamaTensorName(i, "ffn_up"), GgmlType::Q4_K, {D, F});
            add(llamaTensorName(i, "ffn_down"), i % 3 == 0 ? GgmlType::Q6_K : GgmlType::Q4_K,
                {F, D});
        }
        add("output_norm.weight", GgmlType::F32, {D});
        add("output.weight", GgmlType::Q6_K, {D, V});
        if (!w.writeFile(p)) std::abort();
        return p;
    }();
    return path;
}

void BM_ModelInfoMultiGb(benchmark::State& state) {
    const auto& path = bigModelPath();
    std::uint64_t fileSize = 0;
    for (auto _ : state) {
        auto file = GgufFile::open(path);
        if (!file) state.SkipWithError(file.error().format().c_str());
        auto model = loadLlamaModel(*file);
        if (!model) state.SkipWithError(model.error().format().c_str());
        fileSize = file->fileSize();
        benchmark::DoNotOptimize(model->layers.size());
    }
    state.counters["file_GB"] = static_cast<double>(fileSize) / 1e9;
}
BENCHMARK(BM_ModelInfoMultiGb)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
