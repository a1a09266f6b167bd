#pragma once
// The findings of the open files as a table: severity, rule, kernel, file:line, message.

#include "editor_finding.h"

#include <QAbstractTableModel>
#include <array>
#include <vector>

namespace ptxwb::views {

/// Table model over a list of findings; sorting and filtering happen in FindingsFilterModel.
class FindingsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        RuleColumn,
        KernelColumn,
        LocationColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< severity as a number, location as (file, line)
        SeverityRole,                ///< FindingSeverity as int
    };

    explicit FindingsTableModel(QObject* parent = nullptr);

    void setFindings(std::vector<EditorFinding> findings);
    const std::vector<EditorFinding>& findings() const { return findings_; }
    const EditorFinding& finding(int row) const { return findings_[std::size_t(row)]; }
    /// Number of findings per severity, indexed by FindingSeverity.
    std::array<int, 3> countsBySeverity() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<EditorFinding> findings_;
};

} // namespace ptxwb::views
