// Benchmarks of the run history views (issue "Workbench GUI part 2"):
// - the trend chart of a check over 10,000 runs: setTrend() plus the first frame (target
//   < 200 ms), and a repaint of the drawn chart;
// - the runs table: filtering 10,000 runs by driver and status (what typing in a filter box
//   costs).
// Runs offscreen: QT_QPA_PLATFORM=offscreen build/bench/ptxwb_history_bench

#include "check_trend_chart.h"
#include "run_history_filter.h"
#include "run_history_model.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <benchmark/benchmark.h>
#include <fmt/format.h>

using namespace ptxwb;
using namespace ptxwb::views;

namespace {

constexpr int kChartWidth = 1280;
constexpr int kChartHeight = 520;
const char* const kDrivers[] = {"550.54.15", "555.42.02", "560.28.03"};
const char* const kArchs[] = {"sm_90", "sm_89"};

/// `runs` results of one check, an hour apart, over three drivers and two architectures; one
/// run in 50 fails.
store::CheckTrend trendOf(int runs) {
    store::CheckTrend trend;
    trend.checkName = "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096";
    for (int i = 0; i < runs; ++i) {
        store::TrendPoint p;
        p.runUuid = fmt::format("{:08x}-0000-4000-8000-000000000000", i);
        p.startedUnixMs = 1764000000000 + std::int64_t{i} * 3600 * 1000;
        p.driverVersion = kDrivers[(i / 7) % 3];
        p.smArch = kArchs[i % 2];
        p.gpuName = p.smArch == "sm_90" ? "NVIDIA H100 80GB HBM3" : "NVIDIA L40S";
        const bool failing = i % 50 == 0;
        p.status = failing ? store::CheckStatus::Failed : store::CheckStatus::Passed;
        p.maxUlp = failing ? 1u << (10 + i % 20) : i % 3;
        p.failingElements = failing ? 775 + i % 100 : 0;
        trend.points.push_back(std::move(p));
    }
    trend.groups = store::groupTrend(trend.points);
    return trend;
}

void paint(QWidget& widget, QImage& frame) {
    QPainter painter(&frame);
    widget.render(&painter);
}

void BM_TrendChartDraw(benchmark::State& state) {
    const store::CheckTrend trend = trendOf(static_cast<int>(state.range(0)));
    QImage frame(kChartWidth, kChartHeight, QImage::Format_RGB32);
    CheckTrendChart chart;
    chart.resize(kChartWidth, kChartHeight);
    for (auto _ : state) {
        chart.setTrend(trend);
        paint(chart, frame);
    }
    state.counters["series"] = static_cast<double>(chart.chart()->series().size());
}
BENCHMARK(BM_TrendChartDraw)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_TrendChartRepaint(benchmark::State& state) {
    CheckTrendChart chart;
    chart.resize(kChartWidth, kChartHeight);
    chart.setTrend(trendOf(static_cast<int>(state.range(0))));
    QImage frame(kChartWidth, kChartHeight, QImage::Format_RGB32);
    paint(chart, frame);
    for (auto _ : state)
        paint(chart, frame);
}
BENCHMARK(BM_TrendChartRepaint)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_RunHistoryFilter(benchmark::State& state) {
    std::vector<store::RunSummary> runs;
    for (const auto& p : trendOf(static_cast<int>(state.range(0))).points) {
        store::RunSummary r;
        r.uuid = p.runUuid;
        r.command = "parity";
        r.startedUnixMs = p.startedUnixMs;
        r.status = p.status == store::CheckStatus::Failed ? store::RunStatus::Failed
                                                          : store::RunStatus::Passed;
        r.environment.gpuName = p.gpuName;
        r.environment.smArch = p.smArch;
        r.environment.driverVersion = p.driverVersion;
        r.environment.toolkitVersion = "12.4";
        r.environment.kernelSetName = "builtin";
        r.checkCount = 13;
        runs.push_back(std::move(r));
    }
    RunHistoryModel model;
    model.setRuns(std::move(runs));
    RunHistoryFilterModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(RunHistoryModel::StartedColumn, Qt::DescendingOrder);
    store::RunFilter failing555;
    failing555.driver = "555";
    failing555.status = store::RunStatus::Failed;
    bool on = false;
    for (auto _ : state) {
        on = !on;
        proxy.setRunFilter(on ? failing555 : store::RunFilter{});
        benchmark::DoNotOptimize(proxy.rowCount());
    }
}
BENCHMARK(BM_RunHistoryFilter)->Arg(10000)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
