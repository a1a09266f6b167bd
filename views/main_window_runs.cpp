// MainWindow: the Run dock (commands through the CLI, recorded in the history) and the Trace
// view of recorded runs.

#include "gpu_info_source.h"
#include "log_view.h"
#include "main_window.h"
#include "ptx_editor.h"
#include "run_dock.h"
#include "trace_tree_model.h"
#include "trace_view.h"

#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QShortcut>
#include <QTabWidget>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

void MainWindow::createRunDock() {
    // The history database is the Run History dock's (main_window_history.cpp): runs started
    // here are recorded where that dock reads, and each new run is selected there.
    runDock_ = new RunDock(this);
    auto* dock = new QDockWidget(tr("Run"), this);
    dock->setObjectName(u"runDock"_s);
    dock->setWidget(runDock_);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (QDockWidget* log = this->dock(u"logDock"_s)) tabifyDockWidget(log, dock);
    if (QDockWidget* findings = this->dock(u"findingsDock"_s)) findings->raise();
    viewMenu_->insertAction(viewMenu_->actions().value(0), dock->toggleViewAction());
    // The device picker asks the same worker-backed source as the About dialog.
    runDock_->setGpuInfoSource(gpuInfo_);

    QMenu* run = new QMenu(tr("&Run"), this);
    menuBar()->insertMenu(menuBar()->actions().constLast(), run);
    run->addAction(tr("&Run"), QKeySequence(Qt::Key_F5), this, [this, dock] {
        dock->show();
        dock->raise();
        runDock_->startFromForm();
    });
    QAction* cancel = run->addAction(tr("&Cancel Run"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
                                     runDock_, &RunDock::cancel);
    run->addSeparator();
    run->addAction(tr("Open &Trace of Run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), this,
                   &MainWindow::askTraceOfRun);
    run->addAction(tr("Open &KV Cache of Run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
                   this, &MainWindow::askKvCacheOfRun);
    // Esc cancels too, but only while focus is in the dock (elsewhere Esc closes find bars).
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), runDock_);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, runDock_, &RunDock::cancel);
    cancel->setEnabled(false);
    connect(runDock_, &RunDock::runStarted, this, [cancel] { cancel->setEnabled(true); });
    connect(runDock_, &RunDock::runFinished, this, [this, cancel](int exitCode, RunEnd end) {
        cancel->setEnabled(false);
        const bool bad = end != RunEnd::Exited || exitCode > 1;
        log_->append(bad ? LogView::Level::Error : LogView::Level::Info,
                     tr("Run finished: %1").arg(runDock_->statusLabel()->text()));
    });
    // A trace run opens its trace; a KV validation run (which records its launches too) opens
    // its trace and, in front, its KV-cache view.
    connect(runDock_, &RunDock::traceRunRecorded, this,
            [this](const QString& uuid) { openTraceOfRun(uuid); });
    connect(runDock_, &RunDock::kvRunRecorded, this,
            [this](const QString& uuid) { openKvCacheOfRun(uuid); });
}

void MainWindow::askTraceOfRun() {
    bool ok = false;
    const QString reference = QInputDialog::getText(
        this, tr("Open Trace of Run"),
        tr("Run uuid or a unique prefix of it (\"latest\" for the newest run) in\n%1:")
            .arg(runDock_->historyDatabase()),
        QLineEdit::Normal, runDock_->lastRunUuid(), &ok);
    if (ok && !reference.trimmed().isEmpty()) openTraceOfRun(reference);
}

TraceView* MainWindow::openTraceOfRun(const QString& reference) {
    auto* view = new TraceView(tabs_);
    QString error;
    if (!view->loadRun(runDock_->historyDatabase(), reference, &error)) {
        log_->error(tr("Cannot open the trace of run %1: %2").arg(reference, error));
        delete view;
        return nullptr;
    }
    closeTabOfRun<TraceView>(view->runUuid()); // one tab per run
    const int index = tabs_->addTab(view, view->title());
    tabs_->setTabToolTip(index, tr("Launches of run %1").arg(view->runUuid()));
    tabs_->setCurrentIndex(index);
    connect(view, &TraceView::openKernelEntry, this,
            [this, view](const QString& kernel, const QString& entry) {
                openTraceKernel(view, kernel, entry);
            });
    log_->info(
        tr("Opened the trace of run %1 (%2)")
            .arg(view->runUuid(), countOf(view->model()->launches().size(), "launch", "launches")));
    return view;
}

void MainWindow::openTraceKernel(TraceView* view, const QString& kernel, const QString& entry) {
    QString error;
    const auto ptx = view->ptxOf(kernel, entry, &error);
    if (!ptx) {
        log_->error(tr("%1 (.entry %2): %3").arg(kernel, entry, error));
        return;
    }
    const int line = ptxEntryLine(*ptx, entry);
    openPtxText(tr("%1 (run %2)").arg(kernel, view->runUuid().left(8)), *ptx, line > 0 ? line : 1);
    if (line == 0) log_->error(tr("the PTX of %1 has no .entry %2").arg(kernel, entry));
}

PtxEditor* MainWindow::openPtxText(const QString& title, const QByteArray& text, int line) {
    PtxEditor* editor = nullptr;
    for (int i = 0; i < tabs_->count() && !editor; ++i)
        if (auto* e = qobject_cast<PtxEditor*>(tabs_->widget(i));
            e && e->filePath().isEmpty() && e->displayName() == title)
            editor = e;
    if (!editor) {
        editor = new PtxEditor(tabs_);
        editor->setText(title, text);
        editor->view()->setReadOnly(true); // what the run recorded: nothing to save
        tabs_->setTabToolTip(tabs_->addTab(editor, title), title);
    }
    tabs_->setCurrentWidget(editor);
    editor->view()->goToLine(line);
    editor->view()->setFocus();
    return editor;
}

} // namespace ptxwb::views
