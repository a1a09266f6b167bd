#pragma once
// The heatmap page of a check: title line, toolbar (fit, export PNG), the heatmap, and beside
// it the legend with category toggles and the ULP histogram. This is what selecting a check in
// the parity results opens.

#include "store/results.h"

#include <QWidget>

class QLabel;

namespace ptxwb::views {

class HeatmapLegend;
class HeatmapView;
class UlpHistogramChart;

class HeatmapPanel : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapPanel(QWidget* parent = nullptr);

    /// Shows the check's mismatch map (moved out of `check`; a check without one shows an empty
    /// view saying so), its category counts and ULP histogram.
    void setCheck(store::Check check);
    void clear();

    [[nodiscard]] HeatmapView* heatmap() const { return heatmap_; }
    [[nodiscard]] HeatmapLegend* legend() const { return legend_; }
    [[nodiscard]] UlpHistogramChart* histogram() const { return histogram_; }

    /// Asks for a file name and writes the heatmap as it is shown.
    void exportPngInteractive();

private:
    QLabel* title_ = nullptr;
    HeatmapView* heatmap_ = nullptr;
    HeatmapLegend* legend_ = nullptr;
    UlpHistogramChart* histogram_ = nullptr;
};

} // namespace ptxwb::views
