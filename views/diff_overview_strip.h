#pragma once
// The narrow strip beside a side-by-side view: every changed, only-left and only-right row as
// a coloured band at its relative height, and a frame for the rows on screen. A click scrolls
// both panes there, so a long kernel's differences are one glance and one click away.

#include <QColor>
#include <QWidget>
#include <vector>

namespace ptxwb::views {

/// Overview of a diff's rows.
class DiffOverviewStrip : public QWidget {
    Q_OBJECT
public:
    explicit DiffOverviewStrip(QWidget* parent = nullptr);

    /// One colour per row; an invalid colour is an unchanged row.
    void setRowColors(std::vector<QColor> colors);
    /// Rows [first, first + count) are on screen.
    void setVisibleRows(int first, int count);
    /// The row a click at `y` (widget coordinates) stands for.
    int rowAt(qreal y) const;
    /// Vertical extent of a row's band (for tests: is the band where the row is?).
    QRectF bandRect(int row) const;

    QSize sizeHint() const override { return {14, 100}; }

signals:
    /// The user clicked or dragged to `row`.
    void rowRequested(int row);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    std::vector<QColor> rows_;
    int firstVisible_ = 0;
    int visibleCount_ = 0;
};

} // namespace ptxwb::views
