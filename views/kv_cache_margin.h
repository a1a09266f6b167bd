#pragma once
// The row header of the KV-cache heatmap: one row per cache position, aligned with the
// heatmap's rows at any zoom or pan, with the position number and a coloured strip for
// never-written, written-twice and written-past-the-prompt positions. Clicking a row selects
// that position. An overlay on the heatmap outlines the selected row.

#include <QColor>
#include <QWidget>
#include <vector>

namespace ptxwb::views {

class HeatmapView;

/// Colour of a KvRowMark bit in the margin and the legend.
[[nodiscard]] QColor kvRowMarkColour(unsigned mark);

class KvCacheRowMargin : public QWidget {
    Q_OBJECT
public:
    KvCacheRowMargin(HeatmapView* heatmap, QWidget* parent = nullptr);

    /// KvRowMark bits of every map row.
    void setRows(std::vector<unsigned> marks);
    void setSelectedRow(int row);
    [[nodiscard]] int selectedRow() const { return selected_; }
    [[nodiscard]] int rowCount() const { return int(marks_.size()); }

    /// The row under widget y, or -1.
    [[nodiscard]] int rowAt(double y) const;
    /// The marker strip of `row` in widget coordinates (empty when the row is off screen).
    [[nodiscard]] QRect markRect(int row) const;

    [[nodiscard]] QSize sizeHint() const override { return {64, 200}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {64, 40}; }

signals:
    void rowClicked(int row);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    /// Heatmap y minus margin y: the two need not share a top edge.
    [[nodiscard]] double heatmapOffset() const;
    [[nodiscard]] std::pair<double, double> rowSpan(int row) const;

    HeatmapView* heatmap_;
    std::vector<unsigned> marks_;
    int selected_ = -1;
};

/// Outlines the selected row on top of the heatmap (ignores the mouse; the heatmap pans).
class KvCacheRowOverlay : public QWidget {
    Q_OBJECT
public:
    explicit KvCacheRowOverlay(HeatmapView* heatmap);
    void setSelectedRow(int row);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    HeatmapView* heatmap_;
    int selected_ = -1;
};

} // namespace ptxwb::views
