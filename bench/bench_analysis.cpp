// Issue 4 (PTX static analyzer) performance: "analysing a 40 MB module adds at most the parse
// time again". BM_Parse40MB parses the module; BM_Analyze40MB lowers it, builds CFG and dataflow
// for every kernel and runs every rule except resource-usage (which is ptxas's time, not ours).
// The ratio of the two is the number the issue asks for.
//
// The module is the analyzer's own CUDA fixtures (tests/data/analysis/cu/*.cu, LLM-style GEMV,
// RMSNorm-like reductions, dequantisation, RoPE, shared-memory kernels) compiled by nvcc into one
// translation unit, with its entry functions repeated under new names until the text reaches
// 40 MB. nvcc is looked up in CUDAToolkit_ROOT, /usr/local/cuda and PATH; the result is cached
// in the build tree.
#include "analysis/analyzer.h"
#include "analysis/dataflow.h"
#include "ptx/control_flow.h"
#include "ptx/def_use.h"
#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "ptx/register_file.h"
#include "util/subprocess.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace ptxwb;

constexpr std::size_t kTargetBytes = 40u << 20;

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string nvccPath() {
    std::vector<std::string> c;
    if (const char* root = std::getenv("CUDAToolkit_ROOT"))
        c.push_back(std::string(root) + "/bin/nvcc");
    c.push_back("/usr/local/cuda/bin/nvcc");
    if (const char* path = std::getenv("PATH")) {
        std::stringstream ss(path);
        for (std::string dir; std::getline(ss, dir, ':');)
            c.push_back(dir + "/nvcc");
    }
    for (const auto& p : c)
        if (::access(p.c_str(), X_OK) == 0) return p;
    return {};
}

/// The entry functions of a module, each as [begin, end) byte offsets (".visible .entry" up to
/// and including the closing "}" line), plus their names.
struct EntryText {
    std::size_t begin, end;
    std::string name;
};

std::vector<EntryText> findEntries(const std::string& text) {
    std::vector<EntryText> out;
    for (std::size_t pos = text.find(".visible .entry "); pos != std::string::npos;
         pos = text.find(".visible .entry ", pos + 1)) {
        const auto nameBegin = pos + std::string(".visible .entry ").size();
        const auto nameEnd = text.find('(', nameBegin);
        auto i = text.find('{', nameEnd);
        if (nameEnd == std::string::npos || i == std::string::npos) break;
        // Balance braces: inline asm blocks nest their own { } inside the body.
        int depth = 0;
        for (; i < text.size(); ++i) {
            if (text[i] == '{') ++depth;
            if (text[i] == '}' && --depth == 0) break;
        }
        if (i >= text.size()) break;
        out.push_back({pos, i + 1, text.substr(nameBegin, nameEnd - nameBegin)});
    }
    return out;
}

/// Builds (or loads from the cache) the 40 MB module; "" with `why` when nvcc is missing.
const std::string& module40MB(std::string& why) {
    static std::string text;
    static std::string error;
    if (!text.empty() || !error.empty()) {
        why = error;
        return text;
    }
    const fs::path cache = PTXWB_BENCH_ANALYSIS_CACHE;
    fs::create_directories(cache);
    const fs::path big = cache / "module_40mb.ptx";
    if (fs::exists(big)) {
        text = readAll(big);
        return text;
    }
    const std::string nvcc = nvccPath();
    if (nvcc.empty()) {
        why = error = "nvcc not found (set CUDAToolkit_ROOT or PATH)";
        return text;
    }
    // One translation unit including every fixture.
    const fs::path tu = cache / "fixtures.cu";
    {
        std::ofstream out(tu);
        for (const auto& e :
             fs::directory_iterator(fs::path(PTXWB_TEST_DATA_DIR) / "analysis" / "cu"))
            if (e.path().extension() == ".cu") out << "#include \"" << e.path().string() << "\"\n";
    }
    const fs::path small = cache / "fixtures.ptx";
    auto child =
        Subprocess::spawn({nvcc, "-ptx", "-arch=sm_80", tu.string(), "-o", small.string()}, true);
    if (!child) {
        why = error = child.error().format();
        return text;
    }
    child->closeInput();
    if (auto exit = child->wait(); !exit.exitCode || *exit.exitCode != 0) {
        why = error = "nvcc failed: " + exit.describe();
        return text;
    }
    const std::string base = readAll(small);
    const auto entries = findEntries(base);
    if (entries.empty()) {
        why = error = "no entry functions in the compiled fixtures";
        return text;
    }
    text = base;
    for (int copy = 1; text.size() < kTargetBytes; ++copy) {
        for (const auto& e : entries) {
            std::string fn = base.substr(e.begin, e.end - e.begin);
            const std::string renamed = e.name + "_copy" + std::to_string(copy);
            for (std::size_t p = fn.find(e.name); p != std::string::npos;
                 p = fn.find(e.name, p + renamed.size())) {
                fn.replace(p, e.name.size(), renamed);
            }
            text += '\n';
            text += fn;
        }
    }
    std::ofstream(big, std::ios::binary) << text;
    return text;
}

void BM_Parse40MB(benchmark::State& state) {
    std::string why;
    const std::string& text = module40MB(why);
    if (text.empty()) {
        state.SkipWithError(why.c_str());
        return;
    }
    for (auto _ : state) {
        ptx::DiagnosticList diags;
        auto module = ptx::parseText(text, diags);
        benchmark::DoNotOptimize(module.instructions.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_Analyze40MB(benchmark::State& state) {
    std::string why;
    const std::string& text = module40MB(why);
    if (text.empty()) {
        state.SkipWithError(why.c_str());
        return;
    }
    ptx::DiagnosticList diags;
    const auto module = ptx::parseText(text, diags);
    std::size_t findings = 0, kernels = 0;
    for (auto _ : state) {
        analysis::AnalysisOptions options;
        options.ptxasPath.clear();
        analysis::Analyzer analyzer(options);
        analyzer.setThreads(static_cast<unsigned>(state.range(0)));
        analyzer.addModule("module_40mb.ptx", module);
        const auto report = analyzer.run();
        findings = report.findings.size();
        kernels = report.kernels.size();
        benchmark::DoNotOptimize(report.findings.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["kernels"] = static_cast<double>(kernels);
    state.counters["findings"] = static_cast<double>(findings);
}

/// Phase breakdown: lowering alone, then lowering plus CFG/dataflow (rules are the rest of
/// BM_Analyze40MB).
void BM_Lower40MB(benchmark::State& state) {
    std::string why;
    const std::string& text = module40MB(why);
    if (text.empty()) {
        state.SkipWithError(why.c_str());
        return;
    }
    ptx::DiagnosticList diags;
    const auto module = ptx::parseText(text, diags);
    const bool withDataflow = state.range(0) != 0;
    for (auto _ : state) {
        auto kernels = analysis::lowerModule(module);
        std::size_t blocks = 0;
        if (withDataflow)
            for (const auto& k : kernels)
                blocks += analysis::KernelDataflow(k).blocks().size();
        benchmark::DoNotOptimize(blocks);
    }
}

/// For comparison: core/ptx's own name binding, CFG and def-use chains over every function.
void BM_PtxDefUse40MB(benchmark::State& state) {
    std::string why;
    const std::string& text = module40MB(why);
    if (text.empty()) {
        state.SkipWithError(why.c_str());
        return;
    }
    ptx::DiagnosticList diags;
    const auto module = ptx::parseText(text, diags);
    for (auto _ : state) {
        ptx::ModuleSymbols globals(module);
        std::size_t blocks = 0;
        for (std::uint32_t f = 0; f < module.functions.size(); ++f) {
            if (!module.functions[f].hasBody) continue;
            ptx::FunctionSymbols symbols(module, globals, f);
            ptx::ControlFlowGraph cfg(module, symbols);
            ptx::DefUse du(module, symbols, cfg);
            blocks += cfg.blocks().size();
        }
        benchmark::DoNotOptimize(blocks);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

BENCHMARK(BM_Parse40MB)->Unit(benchmark::kMillisecond)->MinTime(2.0);
// Arg: analyzer threads (1: the calling thread only, comparable with the parse's CPU time;
// 0: the shared pool, where process CPU time is the total over all threads and real time is
// what a user waits for).
BENCHMARK(BM_Analyze40MB)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Analyze40MB)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_Lower40MB)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_PtxDefUse40MB)->Unit(benchmark::kMillisecond)->MinTime(2.0);

} // namespace

BENCHMARK_MAIN();
