// The Qt-free heatmap levels: category sets survive pooling at every level, shifts follow the
// zoom, and the worst element of a block is found.

#include "heatmap_fixtures.h"
#include "heatmap_levels.h"
#include "qtest_main.h"

using namespace ptxwb::views;
using namespace ptxwb::testing;

class HeatmapLevelsTest : public QObject {
    Q_OBJECT
private slots:
    void shiftMakesCellsAtLeastOnePixel() {
        QCOMPARE(HeatmapLevels::shiftForScale(64.0), 0u);
        QCOMPARE(HeatmapLevels::shiftForScale(1.0), 0u);
        QCOMPARE(HeatmapLevels::shiftForScale(0.5), 1u);
        QCOMPARE(HeatmapLevels::shiftForScale(0.3), 2u);
        // 1000 pixels for 14336 columns: 16 columns per cell is 1.12 pixels, 8 would be 0.56.
        QCOMPARE(HeatmapLevels::shiftForScale(1000.0 / 14336), 4u);
    }
    void loneBadElementsSurviveEveryLevel() {
        HeatmapLevels levels(mapWith(4096, 14336, largeMapElements()));
        QCOMPARE(levels.maxRowShift(), 12u);
        QCOMPARE(levels.maxColShift(), 14u);
        for (std::uint32_t rs : {0u, 1u, 5u, 12u}) {
            for (std::uint32_t cs : {0u, 3u, 9u, 14u}) {
                const HeatmapLevel& level = levels.level(rs, cs);
                QCOMPARE(level.rows, (4096u + (1u << rs) - 1) >> rs);
                QCOMPARE(level.cols, (14336u + (1u << cs) - 1) >> cs);
                for (const auto& e : largeMapElements()) {
                    const CategoryMask mask = level.mask(e.row >> rs, e.col >> cs);
                    QVERIFY2(mask & categoryBit(e.category),
                             qPrintable(QStringLiteral("level %1/%2 lost (%3, %4)")
                                            .arg(rs)
                                            .arg(cs)
                                            .arg(e.row)
                                            .arg(e.col)));
                }
            }
        }
        // At the top every element is in one cell, with the largest ULP of the map.
        const HeatmapLevel& top = levels.level(40, 40);
        QCOMPARE(top.rows, 1u);
        QCOMPARE(top.cols, 1u);
        QCOMPARE(top.mask(0, 0), CategoryMask(categoryBit(ElementCategory::Identical) |
                                              categoryBit(ElementCategory::Mismatch) |
                                              categoryBit(ElementCategory::Unwritten) |
                                              categoryBit(ElementCategory::Overrun)));
        QCOMPARE(top.ulp(0, 0), 1000u);
    }
    void hidingACategoryShowsTheNextWorst() {
        const CategoryMask mask =
            categoryBit(ElementCategory::Identical) | categoryBit(ElementCategory::Overrun);
        QCOMPARE(worstCategory(mask, kAllCategories), ElementCategory::Overrun);
        QCOMPARE(worstCategory(mask, kAllCategories & ~categoryBit(ElementCategory::Overrun)),
                 ElementCategory::Identical);
        QVERIFY(!worstCategory(mask, categoryBit(ElementCategory::Mismatch)));
    }
    void failingCellsAreListedUpToALimit() {
        HeatmapLevels levels(mapWith(64, 64, smallMapElements()));
        const HeatmapLevel& full = levels.level(0, 0);
        const auto cells = failingCells(full, 0, 64, 0, 64, kAllCategories, 8);
        QVERIFY(cells);
        // Row-major; the within-contract element (10, 10) is not failing.
        const std::vector<std::pair<std::uint32_t, std::uint32_t>> expected{
            {5, 7}, {20, 30}, {40, 63}, {63, 0}};
        QCOMPARE(*cells, expected);
        QCOMPARE(failingCells(full, 0, 32, 0, 32, kAllCategories, 8)->size(), std::size_t{2});
        QVERIFY(!failingCells(full, 0, 64, 0, 64, kAllCategories, 3));
        const auto withoutOverrun = failingCells(
            full, 0, 64, 0, 64, kAllCategories & ~categoryBit(ElementCategory::Overrun), 8);
        QCOMPARE(withoutOverrun->size(), std::size_t{3});
    }
    void worstElementOfABlock() {
        HeatmapLevels levels(mapWith(64, 64, smallMapElements()));
        auto worst = levels.worstElement(0, 64, 0, 64, kAllCategories);
        QVERIFY(worst);
        QCOMPARE(worst->category, ElementCategory::Overrun);
        QCOMPARE(worst->row, 40u);
        QCOMPARE(worst->col, 63u);
        worst = levels.worstElement(0, 16, 0, 16, kAllCategories);
        QCOMPARE(worst->category, ElementCategory::Mismatch);
        QCOMPARE(worst->ulp, 37u);
        worst = levels.worstElement(0, 16, 0, 16, categoryBit(ElementCategory::WithinContract));
        QCOMPARE(worst->row, 10u);
        QCOMPARE(worst->col, 10u);
        QVERIFY(!levels.worstElement(0, 4, 0, 4, categoryBit(ElementCategory::Overrun)));
    }
};

PTXWB_QTEST_CLASS(HeatmapLevelsTest);
#include "heatmap_levels_test.moc"
