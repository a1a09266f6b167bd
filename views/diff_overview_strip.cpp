#include "diff_overview_strip.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

namespace ptxwb::views {

DiffOverviewStrip::DiffOverviewStrip(QWidget* parent) : QWidget(parent) {
    setFixedWidth(14);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Differences in the whole function; click to go there"));
}

void DiffOverviewStrip::setRowColors(std::vector<QColor> colors) {
    rows_ = std::move(colors);
    update();
}

void DiffOverviewStrip::setVisibleRows(int first, int count) {
    firstVisible_ = first;
    visibleCount_ = count;
    update();
}

int DiffOverviewStrip::rowAt(qreal y) const {
    if (rows_.empty() || height() <= 0) return 0;
    const int row = int(y / height() * qreal(rows_.size()));
    return std::clamp(row, 0, int(rows_.size()) - 1);
}

QRectF DiffOverviewStrip::bandRect(int row) const {
    if (rows_.empty()) return {};
    const qreal perRow = qreal(height()) / qreal(rows_.size());
    // At least 2 px, so one changed line in a 5000-line kernel is still visible.
    return QRectF(2, row * perRow, width() - 4, std::max(2.0, perRow));
}

void DiffOverviewStrip::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window).darker(104));
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].isValid()) painter.fillRect(bandRect(int(i)), rows_[i].darker(115));
    if (!rows_.empty() && visibleCount_ > 0) {
        const qreal perRow = qreal(height()) / qreal(rows_.size());
        QRectF frame(0.5, firstVisible_ * perRow + 0.5, width() - 1,
                     std::max(4.0, visibleCount_ * perRow) - 1);
        painter.setPen(QPen(palette().color(QPalette::WindowText), 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(frame);
    }
}

void DiffOverviewStrip::mousePressEvent(QMouseEvent* event) {
    emit rowRequested(rowAt(event->position().y()));
}

void DiffOverviewStrip::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) emit rowRequested(rowAt(event->position().y()));
}

} // namespace ptxwb::views
