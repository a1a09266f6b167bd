#include "ulp_histogram_chart.h"

#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QCursor>
#include <QLogValueAxis>
#include <QToolTip>
#include <algorithm>

namespace ptxwb::views {

namespace {
constexpr double kAxisMinimum = 0.5;

/// "0", "1", "2", then the bucket's upper end as a power of two ("2^2" for 3-4), ">2^19" last.
QString compactBucketLabel(int bucket) {
    if (bucket <= 2) return QString::number(bucket);
    if (bucket == kUlpHistogramBuckets - 1) return QStringLiteral(">2^%1").arg(bucket - 2);
    return QStringLiteral("2^%1").arg(bucket - 1);
}
} // namespace

UlpHistogramChart::UlpHistogramChart(QWidget* parent) : QChartView(parent) {
    auto* chart = new QChart();
    chart->setTitle(tr("ULP distance histogram"));
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    setChart(chart);
    setRenderHint(QPainter::Antialiasing, false);
}

void UlpHistogramChart::clear() {
    QChart* c = chart();
    c->removeAllSeries();
    for (QAbstractAxis* axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    series_ = nullptr;
}

void UlpHistogramChart::setHistogram(const UlpHistogram& histogram) {
    clear();
    const int last = histogram.lastNonEmpty();
    if (last < 0) return;
    auto* set = new QBarSet(tr("elements"));
    // No border: an empty bucket is a zero-height bar and must not leave a line behind.
    set->setColor(QColor(0xef, 0x53, 0x50));
    set->setBorderColor(QColor(0xef, 0x53, 0x50));
    std::uint64_t largest = 1;
    for (int b = 0; b <= last; ++b) {
        const std::uint64_t count = histogram.counts[static_cast<std::size_t>(b)];
        // A log axis has no zero: the axis starts at 0.5, an empty bucket is a bar of height
        // zero there, and a bucket of one element still gets a visible bar (0.5 to 1).
        set->append(count == 0 ? kAxisMinimum : static_cast<double>(count));
        largest = std::max(largest, count);
    }
    // Hovering a bar names its bucket and count, however narrow the bars and labels get.
    connect(set, &QBarSet::hovered, this, [this, histogram](bool on, int bar) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        const std::uint64_t count = histogram.counts[static_cast<std::size_t>(bar)];
        QToolTip::showText(QCursor::pos(),
                           tr("%1 ULP: %2 element(s)")
                               .arg(QString::fromStdString(UlpHistogram::bucketLabel(bar)))
                               .arg(count),
                           this);
    });
    series_ = new QBarSeries();
    series_->append(set);
    series_->setBarWidth(0.9);
    QChart* c = chart();
    c->addSeries(series_);
    // Up to 22 bars share a side panel's width: a label under every bar would be elided to
    // nothing, so every fourth bucket (and the last) is named by its upper end, "2^15"; hovering
    // a bar names its exact range.
    auto* buckets = new QCategoryAxis();
    buckets->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    buckets->setRange(-0.5, last + 0.5);
    for (int b = 0; b <= last; ++b)
        if ((b % 4 == 0 && b + 1 != last) || b == last) // the last's label needs room
            buckets->append(compactBucketLabel(b), b);
    buckets->setTitleText(tr("ULP distance"));
    buckets->setGridLineVisible(false);
    QFont small = buckets->labelsFont();
    small.setPixelSize(9);
    buckets->setLabelsFont(small);
    c->addAxis(buckets, Qt::AlignBottom);
    series_->attachAxis(buckets);
    auto* counts = new QLogValueAxis();
    counts->setBase(10);
    counts->setLabelFormat(QStringLiteral("%g"));
    counts->setTitleText(tr("elements"));
    counts->setRange(kAxisMinimum, std::max(10.0, static_cast<double>(largest) * 2));
    c->addAxis(counts, Qt::AlignLeft);
    series_->attachAxis(counts);
}

} // namespace ptxwb::views
