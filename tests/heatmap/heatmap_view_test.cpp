// The heatmap widget, offscreen: pixel colours at known bad elements after fit-to-window (the
// pooled pixel must show the element's colour), tooltips, zoom about the cursor, panning,
// category toggles, tile caching and PNG export. Screenshots: build/tests/heatmap/artifacts/.

#include "heatmap_fixtures.h"
#include "heatmap_tile_cache.h"
#include "heatmap_view.h"
#include "qtest_main.h"

#include <QMouseEvent>
#include <QSignalSpy>
#include <QWheelEvent>
#include <cmath>
#include <memory>

using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {

/// The colour drawn at the centre of the cell that holds element (row, col) at the view's
/// current level; cells are at least a pixel, so that pixel belongs to the cell.
QRgb colourAtElement(const HeatmapView& view, const QImage& image, std::uint32_t row,
                     std::uint32_t col) {
    const auto [rs, cs] = view.levelShifts();
    const double r0 = (row >> rs) << rs;
    const double c0 = (col >> cs) << cs;
    const double r1 = std::min<double>(view.map()->rows(), r0 + std::ldexp(1.0, int(rs)));
    const double c1 = std::min<double>(view.map()->cols(), c0 + std::ldexp(1.0, int(cs)));
    const QPointF centre = view.positionOf((r0 + r1) / 2, (c0 + c1) / 2);
    return image.pixel(int(std::floor(centre.x())), int(std::floor(centre.y()))) | 0xff000000u;
}

QString hex(QRgb c) {
    return QStringLiteral("#%1").arg(c & 0xffffff, 6, 16, QLatin1Char('0'));
}

#define COMPARE_COLOUR(actual, expected) QCOMPARE(hex(actual), hex(expected))

} // namespace

class HeatmapViewTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<HeatmapView> view_;

    HeatmapView& showView(int w, int h) {
        view_ = std::make_unique<HeatmapView>();
        view_->resize(w, h);
        view_->show();
        if (!QTest::qWaitForWindowExposed(view_.get())) qWarning("window not exposed");
        return *view_;
    }

private slots:
    void cleanup() { view_.reset(); }

    void emptyViewSaysSo() {
        HeatmapView& view = showView(300, 200);
        QVERIFY(!view.hasMap());
        QVERIFY(view.toolTipAt(QPointF(10, 10)).isEmpty());
        QVERIFY(view.grab().save(artifact("heatmap_empty.png")));
    }

    void smallMapShowsEveryKnownElementAfterFit() {
        HeatmapView& view = showView(640, 640);
        view.setMap(mapWith(64, 64, smallMapElements()), {smallMapMismatchValues()});
        QCOMPARE(view.pixelsPerColumn(), 10.0);
        QCOMPARE(view.levelShifts(), std::make_pair(0u, 0u));
        const QImage image = view.grab().toImage();
        QVERIFY(image.save(artifact("heatmap_small_fit.png")));
        for (const auto& e : smallMapElements())
            COMPARE_COLOUR(colourAtElement(view, image, e.row, e.col),
                           heatmapCategoryColour(e.category, e.ulp));
        COMPARE_COLOUR(colourAtElement(view, image, 32, 32),
                       heatmapCategoryColour(ElementCategory::Identical));
    }

    void largeMapPoolsLoneElementsIntoVisiblePixels() {
        HeatmapView& view = showView(1000, 600);
        view.setMap(mapWith(4096, 14336, largeMapElements()));
        // 14336 columns in 1000 pixels: 16-column cells; 4096 rows in 600: 8-row cells.
        QCOMPARE(view.levelShifts(), std::make_pair(3u, 4u));
        const QImage image = view.grab().toImage();
        QVERIFY(image.save(artifact("heatmap_large_fit.png")));
        for (const auto& e : largeMapElements())
            COMPARE_COLOUR(colourAtElement(view, image, e.row, e.col),
                           heatmapCategoryColour(e.category, e.ulp));
        // Each lone cell is ringed (pixels 4 to 14 px from it), and nothing is drawn farther
        // than the ring from the three elements: everything else is the identical colour.
        const QRgb identical = heatmapCategoryColour(ElementCategory::Identical);
        std::vector<QPointF> centres;
        for (const auto& e : largeMapElements())
            centres.push_back(view.positionOf(e.row + 0.5, e.col + 0.5));
        std::vector<int> ringPixels(centres.size(), 0);
        int strays = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QRgb c = image.pixel(x, y) | 0xff000000u;
                if (c == identical) continue;
                bool near = false;
                for (std::size_t i = 0; i < centres.size(); ++i) {
                    const QPointF d = QPointF(x + 0.5, y + 0.5) - centres[i];
                    const double distance = std::hypot(d.x(), d.y());
                    if (distance > 14) continue;
                    near = true;
                    ringPixels[i] += distance >= 4; // the ring, not the cell itself
                }
                strays += !near;
            }
        }
        QCOMPARE(strays, 0);
        for (int count : ringPixels)
            QVERIFY2(count >= 12, qPrintable(QStringLiteral("%1 ring pixels").arg(count)));
    }

    void toolTipOfAnElementWithStoredValues() {
        HeatmapView& view = showView(640, 640);
        view.setMap(mapWith(64, 64, smallMapElements()), {smallMapMismatchValues()});
        QCOMPARE(view.toolTipAt(view.positionOf(5.5, 7.5)),
                 QStringLiteral("row 5, col 7 (index 327)\n"
                                "category: mismatch\n"
                                "ULP distance: 37\n"
                                "expected: 1.25  (f32 bits 0x3fa00000)\n"
                                "actual: 1.25000441  (f32 bits 0x3fa00025)"));
        QCOMPARE(view.toolTipAt(view.positionOf(40.5, 63.5)),
                 QStringLiteral("row 40, col 63 (index 2623)\n"
                                "category: overrun\n"
                                "ULP distance: 0\n"
                                "values: not stored (the check keeps them for its first 1 "
                                "mismatches only)"));
        QCOMPARE(
            view.toolTipAt(view.positionOf(32.5, 32.5)),
            QStringLiteral("row 32, col 32 (index 2080)\ncategory: identical\nULP distance: 0"));
        QVERIFY(view.toolTipAt(QPointF(-5, 10)).isEmpty());
    }

    void toolTipOfAPooledCellNamesItsWorstElement() {
        HeatmapView& view = showView(1000, 600);
        view.setMap(mapWith(4096, 14336, largeMapElements()));
        QCOMPARE(view.toolTipAt(view.positionOf(1234.5, 5678.5)),
                 QStringLiteral("rows 1232-1239, cols 5664-5679 (8 x 16 elements, max-pooled)\n"
                                "worst: row 1234, col 5678 (index 17696302)\n"
                                "category: mismatch\n"
                                "ULP distance: 1000\n"
                                "values: not stored (this check kept categories and ULP "
                                "distances only)"));
    }

    void wheelZoomKeepsTheElementUnderTheCursor() {
        HeatmapView& view = showView(1000, 600);
        view.setMap(mapWith(4096, 14336, largeMapElements()));
        const QPointF cursor = view.positionOf(1234.5, 5678.5);
        const QPointF before = view.elementAt(cursor);
        // Twelve wheel notches in: from 16-column cells down to single elements.
        for (int i = 0; i < 12; ++i) {
            QWheelEvent wheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, 120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(&view, &wheel);
            const QPointF now = view.elementAt(cursor);
            QVERIFY(std::abs(now.x() - before.x()) < 1e-6);
            QVERIFY(std::abs(now.y() - before.y()) < 1e-6);
        }
        QVERIFY(view.pixelsPerColumn() > 1.0);
        QCOMPARE(view.levelShifts(), std::make_pair(0u, 0u));
        const QImage image = view.grab().toImage();
        QVERIFY(image.save(artifact("heatmap_large_zoomed.png")));
        COMPARE_COLOUR(image.pixel(int(std::floor(cursor.x())), int(std::floor(cursor.y()))) |
                           0xff000000u,
                       heatmapCategoryColour(ElementCategory::Mismatch, 1000));
        QVERIFY(view.toolTipAt(cursor).startsWith(
            QStringLiteral("row 1234, col 5678 (index 17696302)\n")));
        // Zooming out again with the cursor elsewhere also keeps that point fixed.
        const QPointF other(123, 456);
        const QPointF anchor = view.elementAt(other);
        view.zoomAt(other, 0.1);
        QVERIFY(std::abs(view.elementAt(other).x() - anchor.x()) < 1e-6);
        QVERIFY(std::abs(view.elementAt(other).y() - anchor.y()) < 1e-6);
    }

    void dragPansAndDoubleClickFits() {
        HeatmapView& view = showView(640, 640);
        view.setMap(mapWith(64, 64, smallMapElements()));
        view.zoomAt(QPointF(320, 320), 4.0);
        const QPointF start(300, 300);
        const QPointF end(380, 260);
        const QPointF grabbed = view.elementAt(start);
        QMouseEvent press(QEvent::MouseButtonPress, start, view.mapToGlobal(start), Qt::LeftButton,
                          Qt::LeftButton, Qt::NoModifier);
        QMouseEvent move(QEvent::MouseMove, end, view.mapToGlobal(end), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QMouseEvent release(QEvent::MouseButtonRelease, end, view.mapToGlobal(end), Qt::LeftButton,
                            Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &press);
        QApplication::sendEvent(&view, &move);
        QApplication::sendEvent(&view, &release);
        // The element that was under the press point followed the mouse.
        QVERIFY(std::abs(view.elementAt(end).x() - grabbed.x()) < 1e-9);
        QVERIFY(std::abs(view.elementAt(end).y() - grabbed.y()) < 1e-9);
        QTest::mouseDClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
        QCOMPARE(view.pixelsPerColumn(), 10.0);
        QCOMPARE(view.elementAt(QPointF(0, 0)), QPointF(0, 0));
    }

    void hiddenCategoriesGiveWayToTheNextWorst() {
        HeatmapView& view = showView(1000, 600);
        view.setMap(mapWith(4096, 14336, largeMapElements()));
        QSignalSpy toggled(&view, &HeatmapView::categoryVisibilityChanged);
        view.setCategoryVisible(ElementCategory::Unwritten, false);
        QCOMPARE(toggled.count(), 1);
        QVERIFY(!view.isCategoryVisible(ElementCategory::Unwritten));
        QImage image = view.grab().toImage();
        const QRgb identical = heatmapCategoryColour(ElementCategory::Identical);
        COMPARE_COLOUR(colourAtElement(view, image, 0, 14335), identical);
        COMPARE_COLOUR(colourAtElement(view, image, 4095, 0),
                       heatmapCategoryColour(ElementCategory::Overrun));
        QVERIFY(view.toolTipAt(view.positionOf(0.5, 14335.5))
                    .contains(QStringLiteral("category: identical")));
        view.setCategoryVisible(ElementCategory::Identical, false);
        image = view.grab().toImage();
        QVERIFY(image.save(artifact("heatmap_large_hidden.png")));
        COMPARE_COLOUR(colourAtElement(view, image, 0, 14335), heatmapHiddenColour());
        COMPARE_COLOUR(colourAtElement(view, image, 1234, 5678),
                       heatmapCategoryColour(ElementCategory::Mismatch, 1000));
        view.setCategoryVisible(ElementCategory::Unwritten, true);
        image = view.grab().toImage();
        COMPARE_COLOUR(colourAtElement(view, image, 0, 14335),
                       heatmapCategoryColour(ElementCategory::Unwritten));
    }

    void repaintReusesTiles() {
        HeatmapView& view = showView(1000, 600);
        view.setMap(mapWith(4096, 14336, largeMapElements()));
        (void)view.grab();
        const std::uint64_t tiles = view.tilesRendered();
        QVERIFY(tiles > 0);
        (void)view.grab();
        view.panBy(QPointF(0, 0));
        (void)view.grab();
        QCOMPARE(view.tilesRendered(), tiles);
    }

    void exportWritesWhatIsShown() {
        HeatmapView& view = showView(640, 640);
        view.setMap(mapWith(64, 64, smallMapElements()));
        const QString path = artifact("heatmap_small_export.png");
        QVERIFY(view.exportPng(path));
        const QImage exported(path);
        QCOMPARE(exported.size(), QSize(640, 640));
        COMPARE_COLOUR(colourAtElement(view, exported, 40, 63),
                       heatmapCategoryColour(ElementCategory::Overrun));
    }
};

PTXWB_QTEST_CLASS(HeatmapViewTest);
#include "heatmap_view_test.moc"
