#pragma once
// Sorting and filtering of the findings table: by minimum severity and by a text that must
// occur in the rule, kernel, location or message.

#include "editor_finding.h"

#include <QSortFilterProxyModel>

namespace ptxwb::views {

/// Proxy over FindingsTableModel.
class FindingsFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FindingsFilterModel(QObject* parent = nullptr);
    void setMinimumSeverity(FindingSeverity severity);
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    FindingSeverity minimum_ = FindingSeverity::Note;
    QString text_;
};

} // namespace ptxwb::views
