// Store benchmarks for issue 8: inserting a run of 1,000 checks (target < 100 ms) and listing,
// resolving and comparing among 10,000 runs (target < 50 ms). The 10,000-run history is built
// once per process in $TMPDIR (20 checks per run, two runs of 1,000 checks to compare).
#include "store/history_store.h"
#include "store/run_compare.h"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <fmt/format.h>

using namespace ptxwb;
using namespace ptxwb::store;

namespace {

/// A parity-like run: `checks` checks with evidence, every 20th failing with first mismatches
/// and a 4x4096 mismatch map, six kernels with PTX.
Run makeRun(int index, int checks, const std::string& arch = "sm_90") {
    Run run;
    run.uuid = newRunUuid();
    run.command = "parity";
    run.commandLine = {"ptxwb", "parity", "--seed", std::to_string(index)};
    run.startedUnixMs = 1700000000000 + std::int64_t{index} * 60000;
    run.endedUnixMs = run.startedUnixMs + 5000;
    run.environment.gpuName = index % 3 == 0 ? "NVIDIA L4" : "NVIDIA H100 80GB HBM3";
    run.environment.smArch = arch;
    run.environment.driverVersion = index % 2 == 0 ? "550.54.15" : "555.42.02";
    run.environment.toolkitVersion = "12.4";
    run.environment.kernelSetName = "builtin";
    run.environment.seed = static_cast<std::uint64_t>(index);
    for (int k = 0; k < 6; ++k) {
        KernelSource ks;
        ks.name = fmt::format("Kernel{}", k);
        ks.ptxText = fmt::format(".version 8.4\n// kernel {} revision {}\n", k, index % 4);
        run.kernels.push_back(std::move(ks));
    }
    for (int c = 0; c < checks; ++c) {
        Check check;
        check.name =
            fmt::format("BatchedKernel{} vs Kernel{} M={} case {}", c % 6, c % 6, 1 + c % 8, c);
        check.kernels = {fmt::format("Kernel{}", c % 6)};
        check.evidence = {{"contract", "bitwise"}, {"m", 1 + c % 8}, {"shape", "4096x4096"}};
        check.counts[ElementCategory::Identical] = 16384;
        if ((c + index) % 20 == 0) {
            check.status = CheckStatus::Failed;
            MismatchMap map(4, 4096);
            for (std::uint32_t col = 80; col < 4096; col += 256)
                map.set(1, col, ElementCategory::Mismatch, 4096);
            check.counts = map.counts();
            check.maxUlp = 4096;
            check.firstMismatches = {{1, 80, ElementCategory::Mismatch, 0.125, 0.0625, 4096}};
            check.mismatchMap = std::move(map);
        }
        run.checks.push_back(std::move(check));
    }
    run.status = RunStatus::Failed;
    return run;
}

std::string scratchPath(const std::string& name) {
    auto dir =
        std::filesystem::temp_directory_path() / fmt::format("ptxwb-bench-store-{}", ::getpid());
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

struct TenThousandRuns {
    std::string path;
    std::string uuidA;
    std::string uuidB;
};

const TenThousandRuns& tenThousandRuns() {
    static const TenThousandRuns fixture = [] {
        TenThousandRuns f;
        f.path = scratchPath("10k.sqlite");
        auto store = HistoryStore::open(f.path);
        if (!store || !store->connection().exec("BEGIN")) std::abort();
        for (int i = 0; i < 10000; ++i) {
            Run run =
                makeRun(i, i == 5000 || i == 5001 ? 1000 : 20, i % 5 == 0 ? "sm_89" : "sm_90");
            if (i == 5000) f.uuidA = run.uuid;
            if (i == 5001) f.uuidB = run.uuid;
            if (!store->insertRun(run)) std::abort();
        }
        if (!store->connection().exec("COMMIT")) std::abort();
        return f;
    }();
    return fixture;
}

void BM_InsertRunOf1000Checks(benchmark::State& state) {
    auto store = HistoryStore::open(scratchPath("insert.sqlite"));
    if (!store) {
        state.SkipWithError("cannot open history");
        return;
    }
    int index = 0;
    for (auto _ : state) {
        state.PauseTiming();
        Run run = makeRun(index++, 1000);
        state.ResumeTiming();
        if (!store->insertRun(run)) state.SkipWithError("insert failed");
    }
    state.SetLabel("1000 checks, 50 with 4x4096 maps, 6 PTX kernels; one transaction, WAL");
}
BENCHMARK(BM_InsertRunOf1000Checks)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ListAll10000Runs(benchmark::State& state) {
    const auto& f = tenThousandRuns();
    auto store = HistoryStore::open(f.path);
    for (auto _ : state) {
        auto runs = store->listRuns();
        if (!runs || runs->size() != 10000) state.SkipWithError("list failed");
        benchmark::DoNotOptimize(runs);
    }
}
BENCHMARK(BM_ListAll10000Runs)->Unit(benchmark::kMillisecond);

void BM_ListFilteredAmong10000Runs(benchmark::State& state) {
    const auto& f = tenThousandRuns();
    auto store = HistoryStore::open(f.path);
    RunFilter filter;
    filter.arch = "sm_89";
    filter.driver = "550";
    filter.gpu = "h100";
    filter.limit = 50;
    for (auto _ : state) {
        auto runs = store->listRuns(filter);
        if (!runs || runs->size() != 50) state.SkipWithError("filtered list failed");
        benchmark::DoNotOptimize(runs);
    }
    state.SetLabel("--arch sm_89 --driver 550 --gpu h100, newest 50");
}
BENCHMARK(BM_ListFilteredAmong10000Runs)->Unit(benchmark::kMillisecond);

void BM_CompareTwo1000CheckRunsAmong10000(benchmark::State& state) {
    const auto& f = tenThousandRuns();
    auto store = HistoryStore::open(f.path);
    LoadOptions options;
    options.mismatchMaps = false;
    for (auto _ : state) {
        // As `ptxwb history compare A B` does it: resolve prefixes, load both, compare.
        auto a = store->resolveRun(f.uuidA.substr(0, 8));
        auto b = store->resolveRun(f.uuidB.substr(0, 8));
        if (!a || !b) state.SkipWithError("resolve failed");
        auto runA = store->loadRun(*a, options);
        auto runB = store->loadRun(*b, options);
        if (!runA || !runB) state.SkipWithError("load failed");
        auto cmp = compareRuns(*runA, *runB);
        benchmark::DoNotOptimize(cmp);
    }
    state.SetLabel("resolve 2 prefixes + load 2 runs of 1000 checks + compare");
}
BENCHMARK(BM_CompareTwo1000CheckRunsAmong10000)->Unit(benchmark::kMillisecond);

void BM_TrendOfOneCheckOver10000Runs(benchmark::State& state) {
    const auto& f = tenThousandRuns();
    auto store = HistoryStore::open(f.path);
    for (auto _ : state) {
        auto trend = store->trend("BatchedKernel3 vs Kernel3 M=4 case 3");
        if (!trend || trend->points.size() != 10000) state.SkipWithError("trend failed");
        benchmark::DoNotOptimize(trend);
    }
}
BENCHMARK(BM_TrendOfOneCheckOver10000Runs)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(scratchPath("x")).parent_path(), ec);
    return 0;
}
