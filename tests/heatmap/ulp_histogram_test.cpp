// The ULP histogram recounted from a map (parity's buckets) and its Qt Charts bar chart.

#include "heatmap_fixtures.h"
#include "qtest_main.h"
#include "ulp_histogram.h"
#include "ulp_histogram_chart.h"

#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QLogValueAxis>
#include <nlohmann/json.hpp>

using namespace ptxwb::views;
using namespace ptxwb::testing;

class UlpHistogramTest : public QObject {
    Q_OBJECT
private slots:
    void bucketsMatchTheParityModule() {
        QCOMPARE(UlpHistogram::bucketOf(0), 0);
        QCOMPARE(UlpHistogram::bucketOf(2), 2);
        QCOMPARE(UlpHistogram::bucketOf(3), 3);
        QCOMPARE(UlpHistogram::bucketOf(4), 3);
        QCOMPARE(UlpHistogram::bucketOf(5), 4);
        QCOMPARE(UlpHistogram::bucketOf(37), 7);    // 33-64
        QCOMPARE(UlpHistogram::bucketOf(512), 10);  // 257-512
        QCOMPARE(UlpHistogram::bucketOf(1000), 11); // 513-1024
        QCOMPARE(UlpHistogram::bucketOf(0xffffffffu), kUlpHistogramBuckets - 1);
        QCOMPARE(UlpHistogram::bucketLabel(7), std::string("33-64"));
        QCOMPARE(UlpHistogram::bucketLabel(11), std::string("513-1024"));
        QCOMPARE(UlpHistogram::bucketLabel(kUlpHistogramBuckets - 1), std::string(">524288"));
    }
    void countsOnlyNumericallyComparedElements() {
        const UlpHistogram h = ulpHistogramOf(mapWith(64, 64, smallMapElements()));
        // 4096 elements: NaN/Inf, overrun and unwritten are left out.
        QCOMPARE(h.total(), std::uint64_t{4096 - 3});
        QCOMPARE(h.counts[0], std::uint64_t{4096 - 5});
        QCOMPARE(h.counts[1], std::uint64_t{1});
        QCOMPARE(h.counts[7], std::uint64_t{1});
        QCOMPARE(h.lastNonEmpty(), 7);
    }
    void evidenceHistogramIsReadByBucketLabel() {
        const auto h = ulpHistogramFromEvidence(
            nlohmann::json{{"ulp_histogram", {{"0", 4000}, {"1", 90}, {"33-64", 6}}}});
        QVERIFY(h);
        QCOMPARE(h->counts[0], std::uint64_t{4000});
        QCOMPARE(h->counts[1], std::uint64_t{90});
        QCOMPARE(h->counts[7], std::uint64_t{6});
        QCOMPARE(h->total(), std::uint64_t{4096});
        QVERIFY(!ulpHistogramFromEvidence(nlohmann::json::object()));
        QVERIFY(!ulpHistogramFromEvidence(nlohmann::json{{"ulp_histogram", {{"3-5", 1}}}}));
        QVERIFY(!ulpHistogramFromEvidence(nlohmann::json{{"ulp_histogram", {{"0", "x"}}}}));
    }
    void chartHasOneBarPerBucketOnALogAxis() {
        UlpHistogramChart chart;
        chart.resize(360, 300);
        chart.show();
        QVERIFY(!chart.series());
        chart.setHistogram(ulpHistogramOf(mapWith(64, 64, smallMapElements())));
        QCOMPARE(chart.chart()->series().size(), 1);
        QBarSeries* series = chart.series();
        QVERIFY(series);
        QCOMPARE(series->count(), 1);
        QBarSet* set = series->barSets().front();
        QCOMPARE(set->count(), 8); // buckets 0 ... 7 (33-64)
        QCOMPARE(set->at(0), 4091.0);
        QCOMPARE(set->at(1), 1.0);
        QCOMPARE(set->at(7), 1.0);
        QCOMPARE(set->at(3), 0.5); // empty: zero height at the log axis' minimum
        QCOMPARE(static_cast<QLogValueAxis*>(chart.chart()->axes(Qt::Vertical).front())->min(),
                 0.5);
        const auto logAxes = chart.chart()->axes(Qt::Vertical);
        QCOMPARE(logAxes.size(), 1);
        QVERIFY(qobject_cast<QLogValueAxis*>(logAxes.front()));
        QTest::qWait(50); // the chart lays out its axes on a queued update
        QVERIFY(chart.grab().save(artifact("ulp_histogram.png")));
        chart.setHistogram(UlpHistogram{});
        QCOMPARE(chart.chart()->series().size(), 0);
    }

    void bucketAxisNamesEveryFourthBucketAndTheLast() {
        // Bucket b >= 3 is named by its upper end 2^(b-1).
        UlpHistogramChart chart;
        UlpHistogram all;
        all.counts.fill(3); // 22 buckets: one label each would not fit
        chart.setHistogram(all);
        auto* axis = qobject_cast<QCategoryAxis*>(chart.chart()->axes(Qt::Horizontal).front());
        QVERIFY(axis);
        QCOMPARE(
            axis->categoriesLabels(),
            (QStringList{QStringLiteral("0"), QStringLiteral("2^3"), QStringLiteral("2^7"),
                         QStringLiteral("2^11"), QStringLiteral("2^15"), QStringLiteral(">2^19")}));
        // Bucket 20 (2^18+1 .. 2^19) stays unnamed: its label would run into the last one's.
        QCOMPARE(axis->endValue(QStringLiteral(">2^19")), 21.0);
        QCOMPARE(axis->endValue(QStringLiteral("2^15")), 16.0);
        UlpHistogram few;
        few.counts[2] = 1;
        chart.setHistogram(few);
        axis = qobject_cast<QCategoryAxis*>(chart.chart()->axes(Qt::Horizontal).front());
        QCOMPARE(axis->categoriesLabels(), (QStringList{QStringLiteral("0"), QStringLiteral("2")}));
    }
};

PTXWB_QTEST_CLASS(UlpHistogramTest);
#include "ulp_histogram_test.moc"
