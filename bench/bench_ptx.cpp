// Issue 3 (PTX front end) performance: parse throughput vs a `wc -w`-like pass, lexing alone,
// check + stats of a ~40 MB module, and AST memory relative to the file size.
//
// The modules are generated, not committed: NVRTC compiles templates instantiated ~130 times
// (see bench_ptx_module.cpp) and the large module repeats those functions with renamed
// symbols until the text reaches 40 MiB. Benchmarks skip with the reason when NVRTC cannot be
// loaded.
#include "bench_ptx_module.h"
#include "ptx/lexer.h"
#include "ptx/module_stats.h"
#include "ptx/parser.h"
#include "ptx/verifier.h"

#include <benchmark/benchmark.h>

namespace {

using namespace ptxwb;

#define MODULE_OR_SKIP(state, text, module)                                                        \
    const bench::BenchModule& module_##text = (module);                                            \
    if (!module_##text.unavailable.empty()) {                                                      \
        (state).SkipWithError(module_##text.unavailable.c_str());                                  \
        return;                                                                                    \
    }                                                                                              \
    const std::string& text = module_##text.text;

#define LARGE_MODULE_OR_SKIP(state, text) MODULE_OR_SKIP(state, text, bench::largeModule())

/// A `wc -w`-like pass: counts whitespace-separated words (the baseline the parser is held to).
void BM_WordCount(benchmark::State& state) {
    LARGE_MODULE_OR_SKIP(state, text);
    for (auto _ : state) {
        std::size_t words = 0;
        bool inWord = false;
        for (char c : text) {
            bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
            words += !space && !inWord;
            inWord = !space;
        }
        benchmark::DoNotOptimize(words);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_WordCount)->Unit(benchmark::kMillisecond);

void BM_Lex(benchmark::State& state) {
    LARGE_MODULE_OR_SKIP(state, text);
    for (auto _ : state) {
        ptx::Lexer lexer(text);
        std::size_t n = 0;
        while (lexer.next().kind != ptx::TokenKind::EndOfFile)
            ++n;
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Lex)->Unit(benchmark::kMillisecond);

void BM_ParseFullAst(benchmark::State& state) {
    LARGE_MODULE_OR_SKIP(state, text);
    std::size_t astBytes = 0, instructions = 0;
    for (auto _ : state) {
        ptx::DiagnosticList diags;
        ptx::Module m = ptx::parseText(text, diags);
        if (diags.hasErrors()) state.SkipWithError("the generated module has parse errors");
        astBytes = m.memoryBytes();
        instructions = m.instructions.size();
        benchmark::DoNotOptimize(m);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["file_MB"] = static_cast<double>(text.size()) / 1e6;
    state.counters["ast_to_file"] =
        static_cast<double>(astBytes) / static_cast<double>(text.size());
    state.counters["instructions"] = static_cast<double>(instructions);
}
BENCHMARK(BM_ParseFullAst)->Unit(benchmark::kMillisecond);

/// Parse of the NVRTC module alone (a few MB, as one real file is): throughput without the
/// repetition of the large module.
void BM_ParseNvrtcModule(benchmark::State& state) {
    MODULE_OR_SKIP(state, text, bench::nvrtcTemplateModule());
    for (auto _ : state) {
        ptx::DiagnosticList diags;
        ptx::Module m = ptx::parseText(text, diags);
        if (diags.hasErrors()) state.SkipWithError("the NVRTC module has parse errors");
        benchmark::DoNotOptimize(m);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["file_MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_ParseNvrtcModule)->Unit(benchmark::kMillisecond);

/// What `ptxwb ptx check` + `ptxwb ptx stats` do: parse, verify, per-function statistics
/// (including name resolution and CFG of every function).
void BM_CheckAndStats(benchmark::State& state) {
    LARGE_MODULE_OR_SKIP(state, text);
    for (auto _ : state) {
        ptx::DiagnosticList diags;
        ptx::Module m = ptx::parseText(text, diags);
        ptx::verifyModule(m, diags);
        ptx::ModuleStats stats = ptx::computeStats(m);
        if (diags.hasErrors()) state.SkipWithError("the generated module has errors");
        benchmark::DoNotOptimize(stats);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CheckAndStats)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
