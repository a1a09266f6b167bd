#pragma once
// A check across runs: its largest ULP distance (solid, left log axis, 0 drawn at 0.5) and failing
// element count (dashed, right axis) against the run's start time, one colour per (driver,
// architecture) pair, because a driver or GPU change is the first suspect when a check flips.
// Clicking a point names its run. Thousands of runs are decimated to two points per pixel.

#include "store/check_trend.h"

#include <QChartView>
#include <QStringList>
#include <vector>

class QLineSeries;

namespace ptxwb::views {

class CheckTrendChart : public QChartView {
    Q_OBJECT
public:
    explicit CheckTrendChart(QWidget* parent = nullptr);

    /// Draws `trend` (points oldest first, as HistoryStore::trend returns them).
    void setTrend(const store::CheckTrend& trend);
    void clear();

    /// One max-ULP series per (driver, architecture) group, in the trend's group order.
    [[nodiscard]] const std::vector<QLineSeries*>& maxUlpSeries() const { return ulpSeries_; }
    /// One failing-elements series per group, same order.
    [[nodiscard]] const std::vector<QLineSeries*>& failingSeries() const { return failSeries_; }
    /// The run of the `index`-th point (oldest first) of group `group`. A series holds every
    /// point until there are more than two per pixel; then it holds each pixel's lowest and
    /// highest, so a spike is never lost.
    [[nodiscard]] QString runAt(std::size_t group, int index) const;

    [[nodiscard]] QSize sizeHint() const override { return {520, 300}; }

    /// "driver 550.54.15 · sm_90": the legend name of a group.
    [[nodiscard]] static QString groupName(const std::string& driver, const std::string& arch);

signals:
    /// A point was clicked: the run it belongs to.
    void runClicked(const QString& uuid);

private:
    void removeEverything();

    std::vector<QLineSeries*> ulpSeries_;
    std::vector<QLineSeries*> failSeries_;
    std::vector<QStringList> runs_;          ///< per group, the run of each point (oldest first)
    std::vector<std::vector<double>> times_; ///< per group, each point's start time
};

} // namespace ptxwb::views
