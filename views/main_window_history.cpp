// MainWindow: the run history (Run History dock), a run's results and comparisons as central
// tabs, report export and "Copy as Issue Text". The history is opened read-only.

#include "log_view.h"
#include "main_window.h"
#include "report_export.h"
#include "report_export_dialog.h"
#include "run_compare_view.h"
#include "run_history_model.h"
#include "run_history_panel.h"
#include "run_results_page.h"
#include "util/paths.h"

#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
const QString kResultsSplitterKey = u"history/resultsSplitter"_s;
constexpr int kStatusMessageMs = 4000;
} // namespace

void MainWindow::addHistoryFileActions(QMenu* file) {
    file->addAction(tr("Open &History Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                    this, [this] {
                        const QString start = history_->databasePath().isEmpty()
                                                  ? QString::fromStdString(userDataDir())
                                                  : QFileInfo(history_->databasePath()).path();
                        const QString path = QFileDialog::getOpenFileName(
                            this, tr("Open History Database"), start,
                            tr("ptxwb history (*.sqlite *.db);;All files (*)"));
                        if (path.isEmpty() || openHistoryDatabase(path)) return;
                        QMessageBox::warning(this, tr("Open History Database"), history_->notice());
                    });
}

void MainWindow::createHistoryViews() {
    QMenu* menu = new QMenu(tr("&History"), this);
    menuBar()->insertMenu(viewMenu_->menuAction(), menu);
    menu->addAction(tr("Show Run &History"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H), this,
                    [this] {
                        dock(u"resultsDock"_s)->show();
                        dock(u"resultsDock"_s)->raise();
                        history_->table()->setFocus();
                    });
    menu->addAction(tr("&Reload"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R), history_,
                    &RunHistoryPanel::reload);
    menu->addSeparator();
    menu->addAction(tr("&Compare Selected Runs"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_D),
                    history_, &RunHistoryPanel::compareSelected);
    menu->addAction(tr("&Export Report…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    [this] { showReportExport(selectedRunForActions()); });
    menu->addAction(tr("Copy as &Issue Text"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C), this,
                    [this] { copyRunIssueText(selectedRunForActions()); });

    connect(history_, &RunHistoryPanel::runActivated, this, &MainWindow::openRunResults);
    connect(history_, &RunHistoryPanel::compareRequested, this, &MainWindow::openRunComparison);
    connect(history_, &RunHistoryPanel::exportRequested, this, &MainWindow::showReportExport);
    connect(history_, &RunHistoryPanel::copyIssueTextRequested, this,
            &MainWindow::copyRunIssueText);
    // The user's own history, quietly: the Findings dock stays in front.
    const QString path = QString::fromStdString(defaultHistoryDatabase());
    if (const QString error = history_->setDatabasePath(path); !error.isEmpty())
        log_->error(error);
    else if (history_->history())
        log_->info(
            tr("Run history %1: %n run(s)", nullptr, history_->model()->rowCount()).arg(path));
}

bool MainWindow::openHistoryDatabase(const QString& path) {
    const QString error = history_->setDatabasePath(path);
    dock(u"resultsDock"_s)->raise();
    if (!error.isEmpty()) {
        log_->error(error);
        return false;
    }
    log_->info(
        history_->history()
            ? tr("Run history %1: %n run(s)", nullptr, history_->model()->rowCount()).arg(path)
            : history_->notice());
    return true;
}

QString MainWindow::selectedRunForActions() const {
    // The run in front of the user: the results tab showing, else the history's current row.
    if (auto* page = qobject_cast<RunResultsPage*>(tabs_->currentWidget())) return page->runUuid();
    return history_->currentRun();
}

RunResultsPage* MainWindow::openRunResults(const QString& uuid) {
    if (uuid.isEmpty() || !history_->history()) return nullptr;
    RunResultsPage* page = nullptr;
    for (int i = 0; i < tabs_->count() && !page; ++i)
        page = qobject_cast<RunResultsPage*>(tabs_->widget(i));
    if (!page) {
        page = new RunResultsPage(tabs_);
        page->splitter()->restoreState(QSettings().value(kResultsSplitterKey).toByteArray());
        connect(page->splitter(), &QSplitter::splitterMoved, this, [page] {
            QSettings().setValue(kResultsSplitterKey, page->splitter()->saveState());
        });
        connect(page, &RunResultsPage::exportRequested, this, &MainWindow::showReportExport);
        connect(page, &RunResultsPage::copyIssueTextRequested, this, &MainWindow::copyRunIssueText);
        connect(page, &RunResultsPage::runActivated, history_, &RunHistoryPanel::showRun);
        connect(page, &RunResultsPage::problemOccurred, log_, &LogView::error);
        tabs_->addTab(page, QString());
    }
    if (const Status shown = page->showRun(history_->history(), uuid.toStdString()); !shown) {
        log_->error(QString::fromStdString(shown.error().format()));
        return nullptr;
    }
    const int index = tabs_->indexOf(page);
    tabs_->setTabText(index, page->title());
    tabs_->setTabToolTip(index, history_->databasePath());
    tabs_->setCurrentIndex(index);
    return page;
}

RunCompareView* MainWindow::openRunComparison(const QString& baseline, const QString& candidate) {
    if (!history_->history()) return nullptr;
    auto* view = new RunCompareView(tabs_);
    const Status shown =
        view->showComparison(history_->history(), baseline.toStdString(), candidate.toStdString());
    if (!shown) {
        log_->error(QString::fromStdString(shown.error().format()));
        delete view;
        return nullptr;
    }
    const int index = tabs_->addTab(view, view->title());
    tabs_->setTabToolTip(index, tr("Run %1 (A) compared with run %2 (B)").arg(baseline, candidate));
    tabs_->setCurrentIndex(index);
    return view;
}

QDialog* MainWindow::showReportExport(const QString& uuid) {
    if (uuid.isEmpty() || !history_->history()) {
        statusBar()->showMessage(tr("Select a run in the Run History first."), kStatusMessageMs);
        return nullptr;
    }
    auto* dialog = new ReportExportDialog(history_->history(), uuid.toStdString(),
                                          history_->model()->runs(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

bool MainWindow::copyRunIssueText(const QString& uuid) {
    if (uuid.isEmpty() || !history_->history()) {
        statusBar()->showMessage(tr("Select a run in the Run History first."), kStatusMessageMs);
        return false;
    }
    auto text = runIssueText(*history_->history(), uuid.toStdString());
    if (!text) {
        log_->error(QString::fromStdString(text.error().format()));
        return false;
    }
    QApplication::clipboard()->setText(QString::fromStdString(*text));
    statusBar()->showMessage(
        tr("Copied the Markdown report of run %1 to the clipboard.").arg(uuid.left(8)),
        kStatusMessageMs);
    return true;
}

} // namespace ptxwb::views
