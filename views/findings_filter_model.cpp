#include "findings_filter_model.h"

#include "findings_table_model.h"

namespace ptxwb::views {

FindingsFilterModel::FindingsFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(FindingsTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void FindingsFilterModel::setMinimumSeverity(FindingSeverity severity) {
    minimum_ = severity;
    invalidateFilter();
}

void FindingsFilterModel::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateFilter();
}

bool FindingsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QAbstractItemModel* source = sourceModel();
    const QModelIndex first = source->index(sourceRow, 0, sourceParent);
    if (source->data(first, FindingsTableModel::SeverityRole).toInt() < int(minimum_)) return false;
    if (text_.isEmpty()) return true;
    for (int column = FindingsTableModel::RuleColumn; column < FindingsTableModel::ColumnCount;
         ++column)
        if (source->data(source->index(sourceRow, column, sourceParent))
                .toString()
                .contains(text_, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace ptxwb::views
