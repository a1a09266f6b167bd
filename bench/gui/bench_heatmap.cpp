// Benchmarks of the mismatch heatmap (issue 10's performance targets):
// - first paint: setMap() (which builds the pooled levels the fitted view needs, touching every
//   element once) plus the first frame, for a 4096 x 14336 parity map and a 50M-element probe
//   map (target < 200 ms);
// - repaint at several zooms with the tiles already rendered (target < 16 ms), and a pan step
//   that brings new tiles into view.
// Each map holds three isolated bad elements, like the tests.

#include "heatmap_view.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <benchmark/benchmark.h>
#include <map>
#include <memory>

using namespace ptxwb;
using namespace ptxwb::views;

namespace {

constexpr int kViewWidth = 1280;
constexpr int kViewHeight = 800;

const store::MismatchMap& mapOf(std::uint32_t rows, std::uint32_t cols) {
    static std::map<std::pair<std::uint32_t, std::uint32_t>, store::MismatchMap> maps;
    auto [it, inserted] = maps.try_emplace({rows, cols});
    if (inserted) {
        store::MismatchMap map(rows, cols);
        map.set(rows / 3, cols / 2 + 1, store::ElementCategory::Mismatch, 1000);
        map.set(0, cols - 1, store::ElementCategory::Unwritten);
        map.set(rows - 1, 0, store::ElementCategory::Overrun);
        it->second = std::move(map);
    }
    return it->second;
}

void paintOnce(HeatmapView& view, QImage& frame) {
    QPainter painter(&frame);
    view.render(&painter);
}

void BM_HeatmapFirstPaint(benchmark::State& state) {
    const auto rows = static_cast<std::uint32_t>(state.range(0));
    const auto cols = static_cast<std::uint32_t>(state.range(1));
    const store::MismatchMap& source = mapOf(rows, cols);
    QImage frame(kViewWidth, kViewHeight, QImage::Format_RGB32);
    for (auto _ : state) {
        state.PauseTiming();
        store::MismatchMap copy = source; // the caller moves the loaded map in
        auto view = std::make_unique<HeatmapView>();
        view->resize(kViewWidth, kViewHeight);
        state.ResumeTiming();
        view->setMap(std::move(copy));
        paintOnce(*view, frame);
        state.PauseTiming();
        view.reset();
        state.ResumeTiming();
    }
    state.counters["elements"] = static_cast<double>(source.size());
}
BENCHMARK(BM_HeatmapFirstPaint)
    ->Args({4096, 14336})
    ->Args({3072, 16384}) // 50.3M elements: a dequant probe of a 16384-wide weight, 3072 rows
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

/// Repaint with tiles cached, after zooming by `range(2)` / 10 about the view's centre.
void BM_HeatmapRepaint(benchmark::State& state) {
    const auto rows = static_cast<std::uint32_t>(state.range(0));
    const auto cols = static_cast<std::uint32_t>(state.range(1));
    HeatmapView view;
    view.resize(kViewWidth, kViewHeight);
    view.setMap(mapOf(rows, cols));
    view.zoomAt(QPointF(kViewWidth / 2.0, kViewHeight / 2.0), state.range(2) / 10.0);
    QImage frame(kViewWidth, kViewHeight, QImage::Format_RGB32);
    paintOnce(view, frame);
    for (auto _ : state)
        paintOnce(view, frame);
    const auto [rs, cs] = view.levelShifts();
    state.counters["row_shift"] = rs;
    state.counters["col_shift"] = cs;
}
BENCHMARK(BM_HeatmapRepaint)
    ->ArgsProduct({{4096}, {14336}, {10, 40, 320, 2560, 40960}})
    ->Args({3072, 16384, 10})
    ->Args({3072, 16384, 1000})
    ->Unit(benchmark::kMillisecond);

/// A drag step of 40 pixels at a zoom where new tiles keep coming into view.
void BM_HeatmapPanStep(benchmark::State& state) {
    HeatmapView view;
    view.resize(kViewWidth, kViewHeight);
    view.setMap(mapOf(4096, 14336));
    view.zoomAt(QPointF(0, 0), state.range(0) / 10.0);
    QImage frame(kViewWidth, kViewHeight, QImage::Format_RGB32);
    paintOnce(view, frame);
    double direction = -40;
    int steps = 0;
    for (auto _ : state) {
        if (++steps % 200 == 0) direction = -direction; // stay over the map
        view.panBy(QPointF(direction, direction / 2));
        paintOnce(view, frame);
    }
    state.counters["tiles_rendered"] = static_cast<double>(view.tilesRendered());
}
BENCHMARK(BM_HeatmapPanStep)->Arg(40)->Arg(2560)->Unit(benchmark::kMillisecond);

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
