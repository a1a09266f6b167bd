#pragma once
// A vertical scroll bar that also shows where things are in the whole file: search hits and
// findings, as short ticks at their relative position (like the overview ruler of an IDE).

#include <QColor>
#include <QScrollBar>
#include <vector>

namespace ptxwb::views {

/// One tick: position as a fraction of the document height, and its colour.
struct ScrollBarMark {
    double fraction = 0;
    QColor color;
};

/// QScrollBar that paints marks over its groove.
class MarkerScrollBar : public QScrollBar {
    Q_OBJECT
public:
    explicit MarkerScrollBar(QWidget* parent = nullptr);
    /// Replaces the marks of one layer (0: findings, 1: search hits).
    void setMarks(int layer, std::vector<ScrollBarMark> marks);
    const std::vector<ScrollBarMark>& marks(int layer) const { return layers_[layer]; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<ScrollBarMark> layers_[2];
};

} // namespace ptxwb::views
