#pragma once
// The checks of a run comparison (store::compareRuns) as a table: what changed from the baseline
// A to run B, both statuses, ULPs and failing counts, and the kernels whose PTX changed.

#include "store/run_compare.h"

#include <QAbstractTableModel>
#include <vector>

namespace ptxwb::views {

class RunCompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ChangeColumn,
        CheckColumn,
        StatusColumn,
        MaxUlpColumn,
        FailingColumn,
        KernelsColumn,
        ColumnCount
    };
    enum Role {
        ChangeRole = Qt::UserRole, ///< store::CheckChange as int
        CheckNameRole,             ///< the check's name (QString)
        ChangedKernelsRole,        ///< QStringList of kernels whose PTX differs
    };

    explicit RunCompareModel(QObject* parent = nullptr);

    /// Shows the checks of `comparison`; unchanged ones only when `includeSame`.
    void setComparison(const store::RunComparison& comparison, bool includeSame = false);
    void setIncludeSame(bool includeSame);
    [[nodiscard]] bool includeSame() const { return includeSame_; }
    [[nodiscard]] const store::CheckComparison& check(int row) const {
        return *rows_.at(static_cast<std::size_t>(row));
    }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    /// "newly failing", "evidence changed" ...: how a change reads in the table.
    [[nodiscard]] static QString changeLabel(store::CheckChange change);

private:
    void rebuild();

    std::vector<store::CheckComparison> checks_;
    std::vector<const store::CheckComparison*> rows_;
    bool includeSame_ = false;
};

} // namespace ptxwb::views
