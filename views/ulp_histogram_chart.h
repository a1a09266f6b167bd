#pragma once
// The ULP histogram beside the heatmap: one bar per bucket up to the last non-empty one, counts
// on a log axis so a handful of bad elements still shows next to millions of identical ones.

#include "ulp_histogram.h"

#include <QChartView>

class QBarSeries;

namespace ptxwb::views {

class UlpHistogramChart : public QChartView {
    Q_OBJECT
public:
    explicit UlpHistogramChart(QWidget* parent = nullptr);

    void setHistogram(const UlpHistogram& histogram);
    void clear();
    /// The bar series (one bar set, one bar per shown bucket); null when empty.
    [[nodiscard]] QBarSeries* series() const { return series_; }

    [[nodiscard]] QSize sizeHint() const override { return {320, 260}; }

private:
    QBarSeries* series_ = nullptr;
};

} // namespace ptxwb::views
