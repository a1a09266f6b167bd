#include "marker_scroll_bar.h"

#include <QPainter>
#include <QStyleOptionSlider>

namespace ptxwb::views {

MarkerScrollBar::MarkerScrollBar(QWidget* parent) : QScrollBar(Qt::Vertical, parent) {}

void MarkerScrollBar::setMarks(int layer, std::vector<ScrollBarMark> marks) {
    layers_[layer] = std::move(marks);
    update();
}

void MarkerScrollBar::paintEvent(QPaintEvent* event) {
    QScrollBar::paintEvent(event);
    QStyleOptionSlider option;
    initStyleOption(&option);
    const QRect groove =
        style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarGroove, this);
    QPainter painter(this);
    // Marks are drawn in device-independent pixels; at 2x they stay 3 px tall and crisp.
    const qreal tick = 3.0;
    int layerIndex = 0;
    for (const auto& layer : layers_) {
        // Findings on the right half, search hits across the full width.
        const qreal x = layerIndex == 0 ? groove.left() + groove.width() / 2.0 : groove.left() + 2;
        const qreal w = layerIndex == 0 ? groove.width() / 2.0 - 1 : groove.width() - 4;
        int lastY = -1;
        for (const auto& mark : layer) {
            const int y = groove.top() + int(mark.fraction * (groove.height() - tick));
            if (y == lastY) continue; // thousands of hits map to the same pixel rows
            lastY = y;
            painter.fillRect(QRectF(x, y, w, tick), mark.color);
        }
        ++layerIndex;
    }
}

} // namespace ptxwb::views
