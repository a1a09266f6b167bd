#pragma once
// The parity results table of one run from the history store. Selecting a row loads that
// check's mismatch map from the store (maps are the bulk of a run, so they are fetched only for
// the check the user opens) and hands the check to whoever shows heatmaps.

#include "store/history_store.h"

#include <QTableView>
#include <memory>

class QSortFilterProxyModel;

namespace ptxwb::views {

class ParityResultsModel;

class ParityResultsView : public QTableView {
    Q_OBJECT
public:
    explicit ParityResultsView(QWidget* parent = nullptr);

    /// Lists the checks of `run` (loaded without their maps), worst status first; a selected
    /// check's map is then read from `history`.
    void showRun(std::shared_ptr<store::HistoryStore> history, store::Run run);
    [[nodiscard]] ParityResultsModel* resultsModel() const { return model_; }

signals:
    /// A check was selected; it carries its mismatch map when it has one (move it out:
    /// `panel->setCheck(std::move(*check))`).
    void checkOpened(std::shared_ptr<store::Check> check);
    /// Loading the selected check's map failed (a damaged or foreign history file).
    void loadFailed(const QString& message);

private:
    void openCurrent();

    std::shared_ptr<store::HistoryStore> history_;
    std::vector<store::Check> checks_; ///< the run's checks, maps not loaded
    ParityResultsModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
};

} // namespace ptxwb::views
