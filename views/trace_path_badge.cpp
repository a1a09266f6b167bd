#include "trace_path_badge.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

QColor tracePathColour(const QString& path) {
    if (path == u"direct") return QColor(0x4a, 0x86, 0xc5);
    if (path == u"indirect") return QColor(0xc0, 0x6a, 0x1c);
    if (path == u"batched") return QColor(0x3f, 0x9a, 0x5b);
    if (path == u"graph") return QColor(0x8e, 0x5b, 0xb5);
    return {};
}

void TracePathBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const {
    // One badge per word: a position path ("indirect") and "graph" for a CUDA-graph node.
    const QStringList badges = index.data().toString().split(u' ', Qt::SkipEmptyParts);
    if (badges.isEmpty() || !tracePathColour(badges.front()).isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // Background (selection, alternate rows) as usual, then the badge instead of the text.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);
    const QFontMetrics metrics(option.font);
    const int height = std::min(option.rect.height() - 4, metrics.height() + 2);
    int left = option.rect.left() + 4;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    for (const QString& path : badges) {
        const QColor colour = tracePathColour(path);
        const int width = metrics.horizontalAdvance(path) + 12;
        const QRect badge(left, option.rect.center().y() - height / 2 + 1, width, height);
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour.isValid() ? colour : option.palette.color(QPalette::Mid));
        painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
        painter->setPen(Qt::white);
        painter->drawText(badge, Qt::AlignCenter, path);
        left += width + 4;
    }
    painter->restore();
}

QSize TracePathBadgeDelegate::sizeHint(const QStyleOptionViewItem& option,
                                       const QModelIndex& index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += 16;
    return size;
}

} // namespace ptxwb::views
