#pragma once
// The runs of a history database as a table: one row per run (newest first as listed), with its
// start time, status, command and the environment fields a regression hunt filters by.

#include "store/run.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

namespace ptxwb::views {

/// Rows of store::RunSummary, as HistoryStore::listRuns() returns them.
class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StartedColumn,
        StatusColumn,
        CommandColumn,
        GpuColumn,
        ArchColumn,
        DriverColumn,
        ToolkitColumn,
        KernelSetColumn,
        ChecksColumn,
        FailedColumn,
        UuidColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole, ///< numbers and times as numbers, status by severity
        UuidRole,                ///< the run's full UUID (QString)
    };

    explicit RunHistoryModel(QObject* parent = nullptr);

    void setRuns(std::vector<store::RunSummary> runs);
    void clear() { setRuns({}); }
    [[nodiscard]] const store::RunSummary& run(int row) const {
        return runs_.at(static_cast<std::size_t>(row));
    }
    [[nodiscard]] const std::vector<store::RunSummary>& runs() const { return runs_; }
    /// The row of a run by full UUID, -1 when absent.
    [[nodiscard]] int rowOf(const QString& uuid) const;
    /// The distinct non-empty values of a text column, sorted (for the filter boxes).
    [[nodiscard]] QStringList distinctValues(Column column) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    /// Background colour of a run status (passed green, failed red, error orange).
    [[nodiscard]] static QColor statusColour(store::RunStatus status);
    /// "2025-11-24 16:00:00" (UTC), as the table shows a start time.
    [[nodiscard]] static QString formatStarted(std::int64_t unixMs);

private:
    [[nodiscard]] QString text(const store::RunSummary& run, int column) const;

    std::vector<store::RunSummary> runs_;
};

} // namespace ptxwb::views
