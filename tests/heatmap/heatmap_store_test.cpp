// End to end through the history store: a failing parity run is written to a history file,
// read back the way the GUI reads it, and shown in the heatmap panel; the pixels, tooltip,
// legend counts and histogram come from what the store returned.

#include "heatmap_fixtures.h"
#include "heatmap_legend.h"
#include "heatmap_panel.h"
#include "heatmap_tile_cache.h"
#include "heatmap_view.h"
#include "qtest_main.h"
#include "store/history_store.h"
#include "ulp_histogram_chart.h"

#include <QBarSeries>
#include <QBarSet>
#include <QCheckBox>
#include <QTemporaryDir>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {

store::Run failingParityRun() {
    store::Run run;
    run.uuid = store::newRunUuid();
    run.command = "parity";
    run.status = store::RunStatus::Failed;
    run.startedUnixMs = run.endedUnixMs = 1'700'000'000'000;
    store::Check check;
    check.kind = store::CheckKind::Parity;
    check.name = "BatchedGemvKernel vs GemvKernel M=64 64x64";
    check.status = store::CheckStatus::Failed;
    check.mismatchMap = mapWith(64, 64, smallMapElements());
    check.counts = check.mismatchMap->counts();
    check.maxUlp = 37;
    check.firstMismatches = {smallMapMismatchValues()};
    run.checks.push_back(std::move(check));
    return run;
}

} // namespace

class HeatmapStoreTest : public QObject {
    Q_OBJECT
private slots:
    void failingRunFromTheStoreShowsItsMismatches() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("history.db")).toStdString();
        const store::Run written = failingParityRun();
        {
            auto history = store::HistoryStore::open(path);
            QVERIFY(history);
            QVERIFY(history->insertRun(written));
        }
        auto history = store::HistoryStore::open(path, store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(history);
        // As a results view does: list the checks without maps, fetch the map that is opened.
        store::LoadOptions light;
        light.mismatchMaps = false;
        auto run = history->loadRun(written.uuid, light);
        QVERIFY(run);
        QCOMPARE(run->checks.size(), std::size_t{1});
        store::Check check = run->checks.front();
        QVERIFY(!check.mismatchMap);
        auto map = history->loadMismatchMap(written.uuid, check.kind, check.name);
        QVERIFY(map && *map);
        check.mismatchMap = std::move(**map);

        HeatmapPanel panel;
        panel.resize(1100, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setCheck(std::move(check));
        HeatmapView& view = *panel.heatmap();
        const QImage image = view.grab().toImage();
        for (const auto& e : smallMapElements()) {
            const QPointF centre = view.positionOf(e.row + 0.5, e.col + 0.5);
            QCOMPARE(image.pixel(centre.toPoint()) | 0xff000000u,
                     heatmapCategoryColour(e.category, e.ulp));
        }
        QCOMPARE(view.toolTipAt(view.positionOf(5.5, 7.5)).section(QLatin1Char('\n'), 3),
                 QStringLiteral("expected: 1.25  (f32 bits 0x3fa00000)\n"
                                "actual: 1.25000441  (f32 bits 0x3fa00025)"));
        QCOMPARE(panel.legend()->checkBox(ElementCategory::Mismatch)->text(),
                 QStringLiteral("mismatch (1)"));
        QCOMPARE(panel.histogram()->chart()->series().size(), 1);
        QCOMPARE(panel.histogram()->series()->barSets().front()->count(), 8);
        QTest::qWait(50); // the chart lays out its axes on a queued update
        QVERIFY(panel.grab().save(artifact("heatmap_panel_from_store.png")));

        // Unticking a category in the legend hides it in the heatmap: the overrun element is
        // drawn in the "nothing shown" colour (at one element per cell nothing lies beneath).
        panel.legend()->checkBox(ElementCategory::Overrun)->setChecked(false);
        QVERIFY(!view.isCategoryVisible(ElementCategory::Overrun));
        const QImage hidden = view.grab().toImage();
        const QPointF overrun = view.positionOf(40.5, 63.5);
        QCOMPARE(hidden.pixel(overrun.toPoint()) | 0xff000000u, heatmapHiddenColour());
    }
};

PTXWB_QTEST_CLASS(HeatmapStoreTest);
#include "heatmap_store_test.moc"
