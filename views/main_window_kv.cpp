// MainWindow: the KV-cache view of a `qa --validate-kv-cache` run, read from the Run History
// dock's database, with each writer launch one click from its row in the run's trace.

#include "kv_cache_view.h"
#include "log_view.h"
#include "main_window.h"
#include "run_history_panel.h"
#include "trace_view.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QTabWidget>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

KvCacheView* MainWindow::openKvCacheOfRun(const QString& reference) {
    const auto history = history_ ? history_->history() : nullptr;
    if (!history) {
        log_->error(
            tr("Cannot open the KV cache of run %1: no run history is open").arg(reference));
        return nullptr;
    }
    auto* view = new KvCacheView(tabs_);
    if (!view->openRun(history, reference)) {
        log_->error(tr("Cannot open the KV cache of run %1: %2").arg(reference, view->errorText()));
        delete view;
        return nullptr;
    }
    closeTabOfRun<KvCacheView>(view->runUuid()); // one tab per run
    const int index = tabs_->addTab(view, tr("KV cache %1").arg(view->runUuid().left(8)));
    tabs_->setTabToolTip(index,
                         tr("Serial vs batched prefill KV cache of run %1").arg(view->runUuid()));
    tabs_->setCurrentIndex(index);
    connect(view, &KvCacheView::showLaunch, this, [this](const QString& uuid, quint32 seq) {
        TraceView* trace = openTraceOfRun(uuid);
        if (trace && !trace->selectLaunch(seq))
            log_->append(LogView::Level::Warning,
                         tr("Run %1 recorded no launch #%2").arg(uuid.left(8)).arg(seq));
    });
    log_->info(tr("Opened the KV cache of run %1").arg(view->runUuid()));
    return view;
}

void MainWindow::askKvCacheOfRun() {
    bool ok = false;
    const QString reference = QInputDialog::getText(
        this, tr("Open KV Cache of Run"),
        tr("Run uuid or a unique prefix of it (\"latest\" for the newest run):"), QLineEdit::Normal,
        QString(), &ok);
    if (ok && !reference.trimmed().isEmpty()) openKvCacheOfRun(reference.trimmed());
}

} // namespace ptxwb::views
