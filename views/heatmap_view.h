#pragma once
// The mismatch heatmap of one check: rows x columns of element categories, mismatches shaded by
// ULP distance. Wheel zooms about the cursor, drag pans, double-click fits the map to the window.
// At any zoom it draws the pooled level whose cells are at least one pixel, so a single bad
// element among 50 million is never lost between pixels.

#include "heatmap_levels.h"
#include "heatmap_tooltip.h"
#include "store/results.h"

#include <QPointF>
#include <QRectF>
#include <QWidget>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

class QPainter;

namespace ptxwb::views {

class HeatmapTileCache;

/// Zoomable, pannable view of a store::MismatchMap.
class HeatmapView : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapView(QWidget* parent = nullptr);
    ~HeatmapView() override;

    /// Shows `map` fitted to the window. `values` are the check's stored mismatches
    /// (store::Check::firstMismatches): the tooltip shows both values for those elements.
    void setMap(store::MismatchMap map, std::vector<store::ElementMismatch> values = {});
    void clear();
    [[nodiscard]] bool hasMap() const { return levels_ != nullptr; }
    [[nodiscard]] const store::MismatchMap* map() const;

    void setCategoryVisible(store::ElementCategory category, bool visible);
    [[nodiscard]] bool isCategoryVisible(store::ElementCategory category) const;
    [[nodiscard]] CategoryMask visibleCategories() const { return visible_; }

    /// Scales each axis so the whole map fills the widget; resizes keep it fitted until the
    /// user zooms or pans.
    void fitToWindow();
    /// Multiplies both scales by `factor`, keeping the element under `pos` where it is.
    void zoomAt(QPointF pos, double factor);
    /// Moves the content by `pixels` (a drag by that much).
    void panBy(QPointF pixels);

    /// Fractional element coordinates under a widget position: x = column, y = row.
    [[nodiscard]] QPointF elementAt(QPointF pos) const;
    /// Widget position of the element coordinate (col, row) (top-left corner of that element).
    [[nodiscard]] QPointF positionOf(double row, double col) const;
    [[nodiscard]] double pixelsPerColumn() const { return scaleX_; }
    [[nodiscard]] double pixelsPerRow() const { return scaleY_; }
    /// The pooled level being drawn: (row shift, column shift), cells of 2^rs x 2^cs elements.
    [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> levelShifts() const;

    /// What the tooltip at `pos` describes (nothing outside the map).
    [[nodiscard]] std::optional<HeatmapHover> hoverAt(QPointF pos) const;
    [[nodiscard]] QString toolTipAt(QPointF pos) const;

    /// Writes what the view shows as a PNG.
    bool exportPng(const QString& path);

    /// Tiles rendered so far (a repaint at an unchanged zoom renders none).
    [[nodiscard]] std::uint64_t tilesRendered() const;

    [[nodiscard]] QSize sizeHint() const override { return {800, 500}; }

signals:
    /// Zoom, pan or fit changed.
    void viewChanged();
    void categoryVisibilityChanged(store::ElementCategory category, bool visible);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void clampScales();
    void clampOrigin();
    void paintMarkers(QPainter& p, const HeatmapLevel& level, QRectF visible, QPointF mapOrigin,
                      double cellW, double cellH);

    std::unique_ptr<HeatmapLevels> levels_;
    std::unique_ptr<HeatmapTileCache> tiles_;
    std::unordered_map<std::uint64_t, store::ElementMismatch> values_; ///< by row * cols + col
    std::size_t valueCount_ = 0;
    CategoryMask visible_ = kAllCategories;
    double originCol_ = 0; ///< element coordinates at the widget's top-left corner
    double originRow_ = 0;
    double scaleX_ = 1; ///< pixels per column
    double scaleY_ = 1; ///< pixels per row
    bool followsWindow_ = true;
    bool dragging_ = false;
    QPointF lastDragPos_;
};

} // namespace ptxwb::views
