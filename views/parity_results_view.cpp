#include "parity_results_view.h"

#include "parity_results_model.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <algorithm>

namespace ptxwb::views {

ParityResultsView::ParityResultsView(QWidget* parent) : QTableView(parent) {
    model_ = new ParityResultsModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(ParityResultsModel::SortRole);
    setModel(proxy_);
    setSortingEnabled(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->hide();
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ParityResultsView::openCurrent);
}

void ParityResultsView::showRun(std::shared_ptr<store::HistoryStore> history, store::Run run) {
    history_ = std::move(history);
    model_->setRun(run);
    checks_ = std::move(run.checks);
    sortByColumn(ParityResultsModel::StatusColumn, Qt::DescendingOrder);
    resizeColumnsToContents();
}

void ParityResultsView::openCurrent() {
    const QModelIndex current = proxy_->mapToSource(currentIndex());
    if (!current.isValid() || !history_) return;
    const ParityResultRow& row = model_->row(current.row());
    const auto it = std::find_if(checks_.begin(), checks_.end(), [&](const store::Check& c) {
        return c.kind == row.kind && c.name == row.checkName;
    });
    if (it == checks_.end()) return;
    auto check = std::make_shared<store::Check>(*it);
    auto map = history_->loadMismatchMap(model_->runUuid(), check->kind, check->name);
    if (!map) {
        emit loadFailed(QString::fromStdString(map.error().format())); // file and offset too
        return;
    }
    check->mismatchMap = std::move(*map);
    emit checkOpened(std::move(check));
}

} // namespace ptxwb::views
