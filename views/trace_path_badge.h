#pragma once
// Paints a trace launch's position path as a coloured badge (direct / indirect / batched), so
// the indirect launches of a CUDA-graph decode stand out in a column of hundreds of rows.

#include <QColor>
#include <QStyledItemDelegate>

namespace ptxwb::views {

/// Badge colour of a position path ("direct", "indirect", "batched"); invalid for others.
QColor tracePathColour(const QString& path);

/// Delegate for TraceTreeModel::PathColumn.
class TracePathBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ptxwb::views
