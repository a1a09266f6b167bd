#pragma once
// The heatmap's legend: one check box per element category (its colour, label and element
// count; unticking hides the category in the heatmap) and the ULP colour scale of mismatches.

#include "store/mismatch_map.h"

#include <QWidget>
#include <array>

class QCheckBox;

namespace ptxwb::views {

class HeatmapLegend : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapLegend(QWidget* parent = nullptr);

    /// Shows the element count of each category beside its label.
    void setCounts(const store::CategoryCounts& counts);
    void setCategoryChecked(store::ElementCategory category, bool checked);
    [[nodiscard]] QCheckBox* checkBox(store::ElementCategory category) const;

signals:
    void categoryToggled(store::ElementCategory category, bool visible);

private:
    std::array<QCheckBox*, store::kElementCategoryCount> boxes_{};
};

/// A horizontal bar of the ULP colour scale, labelled at powers of two.
class UlpScaleBar : public QWidget {
    Q_OBJECT
public:
    explicit UlpScaleBar(QWidget* parent = nullptr);
    [[nodiscard]] QSize sizeHint() const override { return {240, 40}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {120, 40}; }

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace ptxwb::views
