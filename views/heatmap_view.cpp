#include "heatmap_view.h"

#include "heatmap_tile_cache.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ptxwb::views {

namespace {
constexpr double kMaxPixelsPerElement = 64.0;
/// How far out past "fit" one may zoom, as a fraction of the fitted scale.
constexpr double kMinFitFraction = 0.25;
const QColor kOutsideMap(0x9e, 0x9e, 0x9e);
/// Failing cells smaller than this many pixels get a ring around them.
constexpr double kMarkBelowPixels = 6.0;
constexpr std::size_t kMaxMarkers = 64;
constexpr double kMarkerRadius = 7.0;
} // namespace

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::WheelFocus);
}

HeatmapView::~HeatmapView() = default;

void HeatmapView::setMap(store::MismatchMap map, std::vector<store::ElementMismatch> values) {
    tiles_.reset();
    levels_ = std::make_unique<HeatmapLevels>(std::move(map));
    tiles_ = std::make_unique<HeatmapTileCache>(*levels_);
    tiles_->setVisibleCategories(visible_);
    values_.clear();
    valueCount_ = values.size();
    for (const auto& v : values)
        values_.emplace(std::uint64_t{v.row} * levels_->cols() + v.col, v);
    fitToWindow();
}

void HeatmapView::clear() {
    tiles_.reset();
    levels_.reset();
    values_.clear();
    valueCount_ = 0;
    update();
}

const store::MismatchMap* HeatmapView::map() const {
    return levels_ ? &levels_->map() : nullptr;
}

void HeatmapView::setCategoryVisible(store::ElementCategory category, bool visible) {
    const CategoryMask next =
        visible ? (visible_ | categoryBit(category)) : (visible_ & ~categoryBit(category));
    if (next == visible_) return;
    visible_ = next;
    if (tiles_) tiles_->setVisibleCategories(visible_);
    update();
    emit categoryVisibilityChanged(category, visible);
}

bool HeatmapView::isCategoryVisible(store::ElementCategory category) const {
    return (visible_ & categoryBit(category)) != 0;
}

void HeatmapView::fitToWindow() {
    followsWindow_ = true;
    originCol_ = 0;
    originRow_ = 0;
    if (levels_ && levels_->cols() > 0 && levels_->rows() > 0) {
        scaleX_ = std::max(1, width()) / static_cast<double>(levels_->cols());
        scaleY_ = std::max(1, height()) / static_cast<double>(levels_->rows());
    }
    update();
    emit viewChanged();
}

void HeatmapView::clampScales() {
    if (!levels_ || levels_->cols() == 0 || levels_->rows() == 0) return;
    const double fitX = std::max(1, width()) / static_cast<double>(levels_->cols());
    const double fitY = std::max(1, height()) / static_cast<double>(levels_->rows());
    scaleX_ = std::clamp(scaleX_, std::min(fitX * kMinFitFraction, kMaxPixelsPerElement),
                         std::max(kMaxPixelsPerElement, fitX));
    scaleY_ = std::clamp(scaleY_, std::min(fitY * kMinFitFraction, kMaxPixelsPerElement),
                         std::max(kMaxPixelsPerElement, fitY));
}

void HeatmapView::clampOrigin() {
    // Keep at least a tenth of the view over the map, so a drag cannot lose it.
    const double viewCols = width() / scaleX_;
    const double viewRows = height() / scaleY_;
    originCol_ = std::clamp(originCol_, -0.9 * viewCols, levels_->cols() - 0.1 * viewCols);
    originRow_ = std::clamp(originRow_, -0.9 * viewRows, levels_->rows() - 0.1 * viewRows);
}

void HeatmapView::zoomAt(QPointF pos, double factor) {
    if (!levels_ || !(factor > 0)) return;
    const QPointF anchor = elementAt(pos);
    scaleX_ *= factor;
    scaleY_ *= factor;
    clampScales();
    // Solve origin + pos / scale = anchor for the new scale: the anchor stays under the cursor.
    originCol_ = anchor.x() - pos.x() / scaleX_;
    originRow_ = anchor.y() - pos.y() / scaleY_;
    clampOrigin();
    followsWindow_ = false;
    update();
    emit viewChanged();
}

void HeatmapView::panBy(QPointF pixels) {
    if (!levels_) return;
    originCol_ -= pixels.x() / scaleX_;
    originRow_ -= pixels.y() / scaleY_;
    clampOrigin();
    followsWindow_ = false;
    update();
    emit viewChanged();
}

QPointF HeatmapView::elementAt(QPointF pos) const {
    return {originCol_ + pos.x() / scaleX_, originRow_ + pos.y() / scaleY_};
}

QPointF HeatmapView::positionOf(double row, double col) const {
    return {(col - originCol_) * scaleX_, (row - originRow_) * scaleY_};
}

std::pair<std::uint32_t, std::uint32_t> HeatmapView::levelShifts() const {
    if (!levels_) return {0, 0};
    return {std::min(HeatmapLevels::shiftForScale(scaleY_), levels_->maxRowShift()),
            std::min(HeatmapLevels::shiftForScale(scaleX_), levels_->maxColShift())};
}

std::uint64_t HeatmapView::tilesRendered() const {
    return tiles_ ? tiles_->tilesRendered() : 0;
}

std::optional<HeatmapHover> HeatmapView::hoverAt(QPointF pos) const {
    if (!levels_) return std::nullopt;
    const QPointF e = elementAt(pos);
    if (e.x() < 0 || e.y() < 0 || e.x() >= levels_->cols() || e.y() >= levels_->rows())
        return std::nullopt;
    // The cursor is over one drawn cell; describe the block of elements that cell pools.
    const auto [rowShift, colShift] = levelShifts();
    const auto row = static_cast<std::uint64_t>(e.y());
    const auto col = static_cast<std::uint64_t>(e.x());
    HeatmapHover h;
    h.row0 = static_cast<std::uint32_t>((row >> rowShift) << rowShift);
    h.col0 = static_cast<std::uint32_t>((col >> colShift) << colShift);
    h.row1 = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(levels_->rows(), std::uint64_t{h.row0} + (1ull << rowShift)));
    h.col1 = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(levels_->cols(), std::uint64_t{h.col0} + (1ull << colShift)));
    h.worst = levels_->worstElement(h.row0, h.row1, h.col0, h.col1, visible_);
    h.storedValueCount = valueCount_;
    h.mapCols = levels_->cols();
    if (h.worst) {
        const auto it = values_.find(std::uint64_t{h.worst->row} * levels_->cols() + h.worst->col);
        if (it != values_.end()) h.values = &it->second;
    }
    if (levels_->map().probeLayout) h.probe = &*levels_->map().probeLayout;
    return h;
}

QString HeatmapView::toolTipAt(QPointF pos) const {
    const auto hover = hoverAt(pos);
    return hover ? heatmapToolTip(*hover) : QString();
}

bool HeatmapView::exportPng(const QString& path) {
    return grab().save(path, "PNG");
}

bool HeatmapView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void HeatmapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), kOutsideMap);
    if (!levels_ || levels_->rows() == 0 || levels_->cols() == 0) {
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(rect(), Qt::AlignCenter, tr("No mismatch map for this check"));
        return;
    }
    const auto [rowShift, colShift] = levelShifts();
    const HeatmapLevel& level = levels_->level(rowShift, colShift);
    const QRectF mapRect(positionOf(0, 0), positionOf(levels_->rows(), levels_->cols()));
    if (!mapRect.intersects(QRectF(rect()))) return;
    p.setClipRect(mapRect.intersected(QRectF(rect())));
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);

    const double cellW = std::ldexp(scaleX_, static_cast<int>(colShift));
    const double cellH = std::ldexp(scaleY_, static_cast<int>(rowShift));
    const double tileW = cellW * HeatmapTileCache::kTileCells;
    const double tileH = cellH * HeatmapTileCache::kTileCells;
    const double left = std::max(0.0, -mapRect.left());
    const double top = std::max(0.0, -mapRect.top());
    const double right = std::min(mapRect.width(), width() - mapRect.left());
    const double bottom = std::min(mapRect.height(), height() - mapRect.top());
    const auto lastTile = [](double extent, std::uint32_t cells) {
        return std::min<double>(extent, (cells - 1) / HeatmapTileCache::kTileCells);
    };
    const auto tc0 = static_cast<std::uint32_t>(left / tileW);
    const auto tc1 = static_cast<std::uint32_t>(lastTile(right / tileW, level.cols));
    const auto tr0 = static_cast<std::uint32_t>(top / tileH);
    const auto tr1 = static_cast<std::uint32_t>(lastTile(bottom / tileH, level.rows));
    for (std::uint32_t tr = tr0; tr <= tr1; ++tr) {
        for (std::uint32_t tc = tc0; tc <= tc1; ++tc) {
            const QImage* tile = tiles_->tile(rowShift, colShift, tr, tc);
            if (!tile) continue;
            const QRectF target(mapRect.left() + tc * tileW, mapRect.top() + tr * tileH,
                                tile->width() * cellW, tile->height() * cellH);
            p.drawImage(target, *tile);
        }
    }
    if (cellW < kMarkBelowPixels || cellH < kMarkBelowPixels)
        paintMarkers(p, level, QRectF(left, top, right - left, bottom - top), mapRect.topLeft(),
                     cellW, cellH);
}

void HeatmapView::paintMarkers(QPainter& p, const HeatmapLevel& level, QRectF visible,
                               QPointF mapOrigin, double cellW, double cellH) {
    // A lone bad cell of one or two pixels is drawn, but a person would miss it: ring each one
    // while there are few enough to count (the report PNGs box them the same way).
    const auto cells = failingCells(level, static_cast<std::uint32_t>(visible.top() / cellH),
                                    static_cast<std::uint32_t>(std::ceil(visible.bottom() / cellH)),
                                    static_cast<std::uint32_t>(visible.left() / cellW),
                                    static_cast<std::uint32_t>(std::ceil(visible.right() / cellW)),
                                    visible_, kMaxMarkers);
    if (!cells) return;
    p.setClipping(false);
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const auto& [row, col] : *cells) {
        const QPointF centre = mapOrigin + QPointF((col + 0.5) * cellW, (row + 0.5) * cellH);
        const double radius = kMarkerRadius + std::max(cellW, cellH) / 2;
        const QColor colour =
            QColor::fromRgb(heatmapCellColour(level.mask(row, col), level.ulp(row, col), visible_));
        p.setPen(QPen(QColor(0x21, 0x21, 0x21), 1.0));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(centre, radius + 1.5, radius + 1.5);
        p.setPen(QPen(colour, 2.0));
        p.drawEllipse(centre, radius, radius);
    }
}

void HeatmapView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (followsWindow_) fitToWindow();
}

void HeatmapView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomAt(event->position(), std::pow(1.25, steps));
    event->accept();
}

void HeatmapView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    dragging_ = true;
    lastDragPos_ = event->position();
    setCursor(Qt::ClosedHandCursor);
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event) {
    if (!dragging_) {
        // A tooltip that is up follows the cursor from cell to cell.
        if (QToolTip::isVisible()) {
            const QString text = toolTipAt(event->position());
            if (text.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(event->globalPosition().toPoint(), text, this);
        }
        return;
    }
    panBy(event->position() - lastDragPos_);
    lastDragPos_ = event->position();
}

void HeatmapView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    dragging_ = false;
    unsetCursor();
}

void HeatmapView::mouseDoubleClickEvent(QMouseEvent*) {
    fitToWindow();
}

} // namespace ptxwb::views
