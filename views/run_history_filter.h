#pragma once
// Filtering the runs table by GPU, architecture, driver, toolkit, kernel set and status. The
// rules are those of HistoryStore::listRuns(RunFilter) (`ptxwb history list`), so a filter
// typed in the GUI lists the same runs as the CLI; a test holds the two together.

#include "store/history_store.h"

#include <QSortFilterProxyModel>

namespace ptxwb::views {

/// Whether `run` passes `filter` (every field but command and limit): GPU a case-insensitive
/// substring, architecture exact, driver and toolkit a version prefix ending at a dot, kernel
/// set its name or a prefix of its content hash, status exact.
[[nodiscard]] bool runMatchesFilter(const store::RunSummary& run, const store::RunFilter& filter);

/// Sorts by RunHistoryModel::SortRole and keeps the runs that match a store::RunFilter.
class RunHistoryFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunHistoryFilterModel(QObject* parent = nullptr);

    void setRunFilter(const store::RunFilter& filter);
    [[nodiscard]] const store::RunFilter& runFilter() const { return filter_; }

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                        const QModelIndex& sourceParent) const override;

private:
    store::RunFilter filter_;
};

} // namespace ptxwb::views
