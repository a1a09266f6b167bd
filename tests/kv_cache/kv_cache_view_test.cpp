// The KV-cache view, offscreen, on a history built in the test from caches the CPU reference
// forward computed: combos, the colour of a known mismatching slot and of an unwritten one, the
// never-written and written-twice rows in the row header, the writer panel's text, and the
// showLaunch signal a click on a writer sends. Screenshot: build/tests/kv_cache/artifacts/.

// clang-format off
// First: core headers use names (emit) that Qt defines as macros.
#include "kv_cache_fixture.h"
// clang-format on

#include "heatmap_tile_cache.h"
#include "heatmap_view.h"
#include "kv_cache_margin.h"
#include "kv_cache_view.h"
#include "qtest_main.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <bit>
#include <cmath>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {

QString artifact(const char* name) {
    return QDir(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR)).filePath(QString::fromLatin1(name));
}

QString hex(QRgb c) {
    return QStringLiteral("#%1").arg(c & 0xffffff, 6, 16, QLatin1Char('0'));
}

/// Lets pending layout requests run (a label's new text changes its height), then grabs.
QPixmap settledGrab(QWidget* widget) {
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    return widget->grab();
}

/// The colour at the centre of element (row, col) of the view's heatmap.
QRgb colourAt(const KvCacheView& view, int row, int col) {
    const QImage image = settledGrab(view.heatmap()).toImage();
    const QPointF centre = view.heatmap()->positionOf(row + 0.5, col + 0.5);
    return image.pixel(int(centre.x()), int(centre.y()));
}

/// The colour in the middle of a row's marker strip.
QRgb markColourAt(const KvCacheView& view, int row) {
    const QImage image = settledGrab(view.rowMargin()).toImage();
    return image.pixel(view.rowMargin()->markRect(row).center());
}

} // namespace

class KvCacheViewTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    KvFixtureHistory fixture_;
    std::shared_ptr<store::HistoryStore> history_;
    std::unique_ptr<KvCacheView> view_;

    KvCacheView& openView(const std::string& uuid) {
        view_ = std::make_unique<KvCacheView>();
        view_->resize(1200, 720);
        view_->show();
        if (!QTest::qWaitForWindowExposed(view_.get())) qWarning("window not exposed");
        if (!view_->openRun(history_, QString::fromStdString(uuid)))
            qWarning("%s", qPrintable(view_->errorText()));
        return *view_;
    }

    /// Seqs of the stale launches of (layer, op).
    std::vector<std::uint32_t> staleSeqs(int layer, const char* op) const {
        std::vector<std::uint32_t> seqs;
        for (const auto& l : fixture_.caches.staleLaunches)
            if (l.layer == layer && l.op == op) seqs.push_back(std::uint32_t(l.seq));
        return seqs;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        fixture_ = writeKvFixtureHistory(dir_.filePath(QStringLiteral("h.sqlite")).toStdString());
        auto history = store::HistoryStore::open(fixture_.path);
        QVERIFY(history);
        history_ = std::make_shared<store::HistoryStore>(std::move(*history));
    }
    void cleanup() { view_.reset(); }

    void combosListLayersAndHeadsAndMarkFailingOnes() {
        KvCacheView& view = openView(fixture_.staleUuid);
        QVERIFY(view.errorText().isEmpty());
        QCOMPARE(view.layerCombo()->count(), 2);
        QCOMPARE(view.layerCombo()->itemText(1), QStringLiteral("1"));
        QCOMPARE(view.headCombo()->count(), 2);
        QVERIFY(view.kButton()->isChecked());
        // Every head of the stale run fails: the combos show them in red.
        QCOMPARE(view.layerCombo()->itemData(0, Qt::ForegroundRole).value<QColor>(),
                 QColor(0xc6, 0x28, 0x28));
        QVERIFY(view.currentHead());
        QCOMPARE(view.currentHead()->checkName, std::string("kv-cache layer 0 k head 0"));
        view.layerCombo()->setCurrentIndex(1);
        QTest::mouseClick(view.vButton(), Qt::LeftButton);
        view.headCombo()->setCurrentIndex(1);
        QVERIFY(view.currentHead());
        QVERIFY(view.heatmap()->map());
        QCOMPARE(view.currentHead()->checkName, std::string("kv-cache layer 1 v head 1"));
        QCOMPARE(view.heatmap()->map()->rows(), std::uint32_t(kKvFixtureTokens));
        QCOMPARE(view.heatmap()->map()->cols(), 64u);
        QCOMPARE(view.headSummary()->text(),
                 QStringLiteral("Layer 1 V, KV head 1: failed. Positions 1..5 never written; "
                                "position 0 written 6 times by 6 launches; %1 of 384 elements "
                                "differ from serial prefill.")
                     .arg(view.currentHead()->counts[store::ElementCategory::Mismatch]));
    }

    void heatmapShowsTheMismatchingSlotAndTheUnwrittenRows() {
        KvCacheView& view = openView(fixture_.staleUuid);
        view.selectHead(1, QStringLiteral("v"), 1);
        QVERIFY2(view.heatmap()->map(), qPrintable(view.errorText()));
        // Position 0 holds the last token's V: find a dim where its bits differ from serial.
        const auto& c = fixture_.caches;
        int dim = -1;
        for (int d = 0; d < 64 && dim < 0; ++d) {
            const std::size_t at = c.serial.index(1, 1, 0, d);
            if (std::bit_cast<std::uint32_t>(c.serial.v[at]) !=
                std::bit_cast<std::uint32_t>(c.staleBatched.v[at]))
                dim = d;
        }
        QVERIFY(dim >= 0);
        QCOMPARE(view.heatmap()->map()->category(0, std::uint32_t(dim)),
                 store::ElementCategory::Mismatch);
        const std::uint32_t ulp = view.heatmap()->map()->ulp(0, std::uint32_t(dim));
        QVERIFY(ulp > 0);
        QCOMPARE(hex(colourAt(view, 0, dim)),
                 hex(heatmapCategoryColour(store::ElementCategory::Mismatch, ulp)));
        QCOMPARE(hex(colourAt(view, 3, 17)),
                 hex(heatmapCategoryColour(store::ElementCategory::Unwritten)));
        QVERIFY(settledGrab(&view).save(artifact("kv_cache_view_stale.png")));
    }

    void rowHeaderMarksNeverWrittenAndWrittenTwiceRows() {
        KvCacheView& view = openView(fixture_.staleUuid);
        view.selectHead(0, QStringLiteral("k"), 1);
        QVERIFY2(view.heatmap()->map(), qPrintable(view.errorText()));
        QCOMPARE(view.rowMargin()->rowCount(), kKvFixtureTokens);
        QCOMPARE(hex(markColourAt(view, 0)), hex(kvRowMarkColour(kRowWrittenTwice).rgb()));
        for (int row = 1; row < kKvFixtureTokens; ++row)
            QCOMPARE(hex(markColourAt(view, row)), hex(kvRowMarkColour(kRowNeverWritten).rgb()));
        // The clean run marks nothing.
        KvCacheView& clean = openView(fixture_.cleanUuid);
        clean.selectHead(0, QStringLiteral("k"), 1);
        QVERIFY2(clean.heatmap()->map(), qPrintable(clean.errorText()));
        QCOMPARE(hex(markColourAt(clean, 2)),
                 hex(clean.rowMargin()->palette().window().color().rgb()));
        QCOMPARE(clean.headSummary()->text(),
                 QStringLiteral("Layer 0 K, KV head 1: passed. Every position written once, "
                                "identical to serial prefill."));
    }

    void writtenTwicePositionListsItsWritersAndAClickAsksForTheLaunch() {
        KvCacheView& view = openView(fixture_.staleUuid);
        view.selectHead(1, QStringLiteral("v"), 0);
        QVERIFY2(view.heatmap()->map(), qPrintable(view.errorText()));
        // The failure's most telling row is selected on its own: position 0, written 6 times.
        QCOMPARE(view.selectedPosition(), 0);
        const auto seqs = staleSeqs(1, "kv_scatter_v");
        QCOMPARE(view.writerList()->count(), int(seqs.size()));
        QCOMPARE(
            view.writerList()->item(2)->text(),
            QStringLiteral("#%1  kv_scatter_v · KvScatterIndirectKernel (kv_scatter_indirect)\n"
                           "grid (1, 1, 1) · block (64, 1, 1) · position_buf = 0")
                .arg(seqs[2]));
        QVERIFY(view.positionDetails()->text().startsWith(QStringLiteral(
            "Written 6 times by 6 launches; a prefill writes each position once.\n")));
        QSignalSpy spy(&view, &KvCacheView::showLaunch);
        QListWidgetItem* item = view.writerList()->item(4);
        QTest::mouseClick(view.writerList()->viewport(), Qt::LeftButton, {},
                          view.writerList()->visualItemRect(item).center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QString::fromStdString(fixture_.staleUuid));
        QCOMPARE(spy.at(0).at(1).value<quint32>(), seqs[4]);
    }

    void clickingARowShowsWhatHappenedThere() {
        KvCacheView& view = openView(fixture_.staleUuid);
        view.selectHead(0, QStringLiteral("k"), 0);
        QVERIFY2(view.heatmap()->map(), qPrintable(view.errorText()));
        QSignalSpy spy(&view, &KvCacheView::positionSelected);
        QTest::mouseClick(view.rowMargin(), Qt::LeftButton, {},
                          view.rowMargin()->markRect(3).center());
        QCOMPARE(view.selectedPosition(), 3);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(view.positionDetails()->text(),
                 QStringLiteral("Never written: it still holds the poison.\nThis layer's "
                                "scatters wrote position 0, none of them this one."));
        QCOMPARE(view.writerList()->count(), 1);
        QCOMPARE(view.writerList()->item(0)->text(),
                 QStringLiteral("(no launch of the batched prefill wrote it)"));
        // A click (no drag) on the heatmap selects the row under it.
        const QPointF at = view.heatmap()->positionOf(2.5, 40.5);
        QTest::mouseClick(view.heatmap(), Qt::LeftButton, {}, at.toPoint());
        QCOMPARE(view.selectedPosition(), 2);
        // Up and Down walk the rows from there (the heatmap leaves the keys to the view).
        QTest::keyClick(view.heatmap(), Qt::Key_Down);
        QCOMPARE(view.selectedPosition(), 3);
        QTest::keyClick(view.heatmap(), Qt::Key_Up);
        QTest::keyClick(view.heatmap(), Qt::Key_Up);
        QCOMPARE(view.selectedPosition(), 1);
        QVERIFY(settledGrab(&view).save(artifact("kv_cache_view_position2.png")));
    }

    void cleanPositionHasOneWriter() {
        KvCacheView& view = openView(fixture_.cleanUuid);
        view.selectHead(1, QStringLiteral("k"), 0);
        QVERIFY2(view.heatmap()->map(), qPrintable(view.errorText()));
        view.selectPosition(4);
        QCOMPARE(view.positionDetails()->text(),
                 QStringLiteral("Written by one launch.\nIdentical to serial prefill."));
        QCOMPARE(view.writerList()->count(), 1);
        QVERIFY(view.writerList()->item(0)->text().startsWith(
            QStringLiteral("#49  kv_scatter_k · BatchedKvScatterKernel (batched_kv_scatter)\n"
                           "grid (1, 6, 1) · block (64, 1, 1) · positions[] per row")));
        QVERIFY(settledGrab(&view).save(artifact("kv_cache_view_clean.png")));
    }

    void runWithoutKvMapsSaysSo() {
        view_ = std::make_unique<KvCacheView>();
        QVERIFY(!view_->openRun(history_, QString::fromStdString(fixture_.otherUuid)));
        QCOMPARE(view_->errorText(),
                 QStringLiteral("run %1 (parity) has no KV-cache head maps: they come from "
                                "`ptxwb qa --validate-kv-cache` runs")
                     .arg(QString::fromStdString(fixture_.otherUuid.substr(0, 8))));
        QVERIFY(!view_->heatmap()->hasMap());
        QVERIFY(!view_->openRun(history_, QStringLiteral("ffffffff")));
        QVERIFY(!view_->errorText().isEmpty());
    }
};

PTXWB_QTEST_CLASS(KvCacheViewTest);
#include "kv_cache_view_test.moc"
