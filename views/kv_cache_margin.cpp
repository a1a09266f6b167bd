#include "kv_cache_margin.h"

#include "heatmap_tile_cache.h"
#include "heatmap_view.h"
#include "kv_cache_model.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QStringList>
#include <QToolTip>
#include <cmath>

namespace ptxwb::views {

namespace {
constexpr int kStripWidth = 14;
constexpr int kStripGap = 3;
} // namespace

QColor kvRowMarkColour(unsigned mark) {
    // Never written matches the heatmap's "unwritten" black and written-beyond its "overrun"
    // cyan; written twice takes a green no category uses, so the two bugs read apart at a glance.
    switch (mark) {
    case kRowNeverWritten:
        return QColor(heatmapCategoryColour(store::ElementCategory::Unwritten));
    case kRowWrittenTwice:
        return QColor(0x2e, 0x7d, 0x32);
    case kRowWrittenBeyond:
        return QColor(heatmapCategoryColour(store::ElementCategory::Overrun));
    case kRowSerialUnwritten:
        return QColor(0x8d, 0x6e, 0x63);
    default:
        return QColor(0xec, 0xef, 0xf1);
    }
}

KvCacheRowMargin::KvCacheRowMargin(HeatmapView* heatmap, QWidget* parent)
    : QWidget(parent), heatmap_(heatmap) {
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus); // Up/Down then reach the view
    connect(heatmap_, &HeatmapView::viewChanged, this, qOverload<>(&QWidget::update));
}

void KvCacheRowMargin::setRows(std::vector<unsigned> marks) {
    marks_ = std::move(marks);
    if (selected_ >= rowCount()) selected_ = -1;
    update();
}

void KvCacheRowMargin::setSelectedRow(int row) {
    selected_ = row >= 0 && row < rowCount() ? row : -1;
    update();
}

double KvCacheRowMargin::heatmapOffset() const {
    return heatmap_->mapTo(window(), QPoint()).y() - mapTo(window(), QPoint()).y();
}

std::pair<double, double> KvCacheRowMargin::rowSpan(int row) const {
    const double offset = heatmapOffset();
    return {heatmap_->positionOf(row, 0).y() + offset,
            heatmap_->positionOf(row + 1, 0).y() + offset};
}

int KvCacheRowMargin::rowAt(double y) const {
    if (!heatmap_->hasMap()) return -1;
    const double row = std::floor(heatmap_->elementAt(QPointF(0, y - heatmapOffset())).y());
    return row >= 0 && row < rowCount() ? int(row) : -1;
}

QRect KvCacheRowMargin::markRect(int row) const {
    if (row < 0 || row >= rowCount()) return {};
    const auto [top, bottom] = rowSpan(row);
    const QRect r(width() - kStripWidth - kStripGap, int(std::floor(top)), kStripWidth,
                  std::max(1, int(std::ceil(bottom)) - int(std::floor(top))));
    return r.intersected(rect());
}

void KvCacheRowMargin::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    if (!heatmap_->hasMap()) return;
    const QFontMetrics fm(font());
    const double rowHeight = heatmap_->pixelsPerRow();
    // Label every row when it fits, else every n-th, so the numbers never overlap.
    const int labelEvery =
        std::max(1, int(std::ceil((fm.height() + 1) / std::max(rowHeight, 1e-3))));
    const int first = std::max(0, rowAt(0));
    for (int row = first; row < rowCount(); ++row) {
        const auto [top, bottom] = rowSpan(row);
        if (top > height()) break;
        const QRectF band(0, top, width(), bottom - top);
        const bool selected = row == selected_;
        if (selected) p.fillRect(band, palette().color(QPalette::Highlight));
        // The strip: one colour per mark, side by side when a row has several.
        std::vector<QColor> colours;
        for (unsigned mark :
             {kRowNeverWritten, kRowWrittenTwice, kRowWrittenBeyond, kRowSerialUnwritten}) {
            if ((marks_[std::size_t(row)] & mark) != 0) colours.push_back(kvRowMarkColour(mark));
        }
        const QRectF strip = QRectF(markRect(row));
        for (std::size_t i = 0; i < colours.size(); ++i) {
            const double w = strip.width() / double(colours.size());
            p.fillRect(QRectF(strip.left() + w * double(i), strip.top(), w, strip.height()),
                       colours[i]);
        }
        if (row % labelEvery == 0 || selected) {
            p.setPen(palette().color(selected ? QPalette::HighlightedText : QPalette::WindowText));
            const QRectF text(2, top, width() - kStripWidth - 2 * kStripGap - 2, bottom - top);
            p.drawText(text, Qt::AlignRight | Qt::AlignVCenter, QString::number(row));
        }
    }
}

void KvCacheRowMargin::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const int row = rowAt(event->position().y());
    if (row >= 0) emit rowClicked(row);
}

bool KvCacheRowMargin::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const int row = rowAt(help->pos().y());
    if (row < 0) {
        QToolTip::hideText();
        return true;
    }
    QStringList what;
    const unsigned marks = marks_[std::size_t(row)];
    if ((marks & kRowNeverWritten) != 0) what << tr("never written");
    if ((marks & kRowWrittenTwice) != 0) what << tr("written more than once");
    if ((marks & kRowWrittenBeyond) != 0) what << tr("written past the prompt");
    if ((marks & kRowMismatched) != 0) what << tr("differs from serial prefill");
    if ((marks & kRowSerialUnwritten) != 0) what << tr("serial prefill left it unwritten");
    QToolTip::showText(
        help->globalPos(),
        tr("Position %1").arg(row) +
            (what.isEmpty() ? QString() : QStringLiteral(": ") + what.join(QStringLiteral(", "))),
        this);
    return true;
}

KvCacheRowOverlay::KvCacheRowOverlay(HeatmapView* heatmap) : QWidget(heatmap), heatmap_(heatmap) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    heatmap_->installEventFilter(this);
    connect(heatmap_, &HeatmapView::viewChanged, this, qOverload<>(&QWidget::update));
    setGeometry(heatmap_->rect());
}

void KvCacheRowOverlay::setSelectedRow(int row) {
    selected_ = row;
    update();
}

bool KvCacheRowOverlay::eventFilter(QObject* watched, QEvent* event) {
    if (watched == heatmap_ && event->type() == QEvent::Resize) setGeometry(heatmap_->rect());
    return QWidget::eventFilter(watched, event);
}

void KvCacheRowOverlay::paintEvent(QPaintEvent*) {
    if (selected_ < 0 || !heatmap_->hasMap()) return;
    QPainter p(this);
    const double top = heatmap_->positionOf(selected_, 0).y();
    const double bottom = heatmap_->positionOf(selected_ + 1, 0).y();
    const double left = heatmap_->positionOf(0, 0).x();
    const double right = heatmap_->positionOf(0, heatmap_->map()->cols()).x();
    p.setPen(QPen(palette().color(QPalette::Highlight), 2.0));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(left + 1, top + 1, right - left - 2, bottom - top - 2));
}

} // namespace ptxwb::views
