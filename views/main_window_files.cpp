// MainWindow: opening and closing files, recent files, drag and drop, and QSettings.

#include "analysis_scheduler.h"
#include "findings_dock.h"
#include "gpu_info_source.h"
#include "log_view.h"
#include "main_window.h"
#include "outline_view.h"
#include "ptx_editor.h"
#include "rule_page_dialog.h"
#include "workbench_browser.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
constexpr int kMaxRecentFiles = 12;
constexpr int kSettingsVersion = 1;  // bump when dock object names change
constexpr int kEditDebounceMs = 400; // re-analysis waits for a pause in typing
} // namespace

bool MainWindow::isOpenableFile(const QString& path) {
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    return suffix == u"ptx" || suffix == u"cu" || suffix == u"cuh" || suffix == u"gguf" ||
           info.fileName() == u"kernelset.json";
}

bool MainWindow::openFile(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists()) {
        log_->error(tr("%1: no such file").arg(path));
        return false;
    }
    const QString absolute = info.absoluteFilePath();
    bool ok = true;
    if (info.fileName() == u"kernelset.json") {
        const QString error = browser_->addKernelSet(absolute);
        ok = error.isEmpty();
        ok ? log_->info(tr("Opened kernel set %1").arg(absolute)) : log_->error(error);
        if (ok) {
            dock(u"browserDock"_s)->raise();
            summarizeKernelSetPositions(absolute);
        }
    } else if (info.suffix().toLower() == u"gguf") {
        const QString error = browser_->addModel(absolute);
        ok = error.isEmpty();
        ok ? log_->info(tr("Opened model %1").arg(absolute)) : log_->error(error);
        if (ok) dock(u"browserDock"_s)->raise();
    } else {
        ok = openTextFile(absolute);
    }
    if (ok) addRecentFile(absolute);
    return ok;
}

bool MainWindow::openTextFile(const QString& path) {
    if (PtxEditor* existing = editorForFile(path)) {
        tabs_->setCurrentWidget(existing);
        return true;
    }
    auto* editor = new PtxEditor(tabs_);
    if (const QString error = editor->loadFile(path); !error.isEmpty()) {
        log_->error(error);
        delete editor;
        return false;
    }
    std::vector<EditorFinding> mine;
    for (const auto& f : allFindings_)
        if (f.file == path) mine.push_back(f);
    editor->view()->setFindings(std::move(mine));
    const int index = tabs_->addTab(editor, editor->displayName());
    tabs_->setTabToolTip(index, path);
    connect(editor->view(), &PtxTextView::cursorPositionChanged, this, &MainWindow::updateStatus);
    connect(editor->view(), &PtxTextView::outlineChanged, this, [this, editor] {
        if (editor == currentEditor()) outline_->setOutline(editor->view()->outline());
    });
    connect(editor->view(), &PtxTextView::rulePageRequested, this, [this, editor](int index) {
        auto* page = new RulePageDialog(editor->view()->findings()[std::size_t(index)], this);
        page->setAttribute(Qt::WA_DeleteOnClose);
        page->open();
    });
    connect(editor->view(), &PtxTextView::modificationChanged, this, [this, editor](bool modified) {
        const int i = tabs_->indexOf(editor);
        if (i >= 0) tabs_->setTabText(i, editor->displayName() + (modified ? u" •"_s : QString()));
    });
    connect(editor->view(), &PtxTextView::textEdited, this, [this, editor] {
        scheduleEditorAnalysis(editor, kEditDebounceMs);
        updateStatus();
    });
    tabs_->setCurrentIndex(index);
    log_->info(
        tr("Opened %1 (%n line(s))", nullptr, editor->view()->buffer().lineCount()).arg(path));
    scheduleEditorAnalysis(editor, 0);
    updateStatus();
    editor->view()->setFocus();
    return true;
}

void MainWindow::openDemo(const QString& modelPath) {
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/builtin-kernels"_s;
    QProcess exporter;
    exporter.start(locatePtxwbCli(), {u"kernels"_s, u"export"_s, dir});
    const bool finished = exporter.waitForFinished(30000);
    if (finished && exporter.exitStatus() == QProcess::NormalExit && exporter.exitCode() == 0 &&
        QFileInfo::exists(dir + u"/kernelset.json"_s)) {
        // A PTX source first: the analyzer runs on it, so the demo opens with real findings
        // (the built-in set's PTX kernel is the bug zoo's 64-bit shared-address RMSNorm).
        if (openFile(dir + u"/kernelset.json"_s) && !browser_->firstSourcePath().isEmpty())
            openFile(browser_->firstSourcePath(u"ptx"_s));
    } else {
        const QString why = QString::fromUtf8(exporter.readAllStandardError()).trimmed();
        log_->append(LogView::Level::Warning,
                     tr("built-in kernel set not available: %1")
                         .arg(why.isEmpty() ? exporter.errorString() : why));
    }
    if (!modelPath.isEmpty()) openFile(modelPath);
}

PtxEditor* MainWindow::editorForFile(const QString& path) const {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (int i = 0; i < tabs_->count(); ++i)
        if (auto* e = qobject_cast<PtxEditor*>(tabs_->widget(i)); e && e->filePath() == absolute)
            return e;
    return nullptr;
}

void MainWindow::closeTab(int index) {
    auto* editor = qobject_cast<PtxEditor*>(tabs_->widget(index));
    if (!editor) { // a side-by-side view: nothing to save
        if (QWidget* other = tabs_->widget(index)) {
            tabs_->removeTab(index);
            other->deleteLater();
        }
        return;
    }
    if (editor->view()->isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"),
            tr("%1 has unsaved changes. Save them?").arg(editor->displayName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel) return;
        if (answer == QMessageBox::Save) {
            if (const QString error = editor->save(); !error.isEmpty()) {
                log_->error(error);
                return;
            }
        }
    }
    analysis_->cancel(editor->filePath());
    tabs_->removeTab(index);
    editor->deleteLater();
}

void MainWindow::currentEditorChanged() {
    PtxEditor* editor = currentEditor();
    outline_->setOutline(editor ? editor->view()->outline() : PtxOutline{});
    auto* compare = qobject_cast<SideBySideView*>(tabs_->currentWidget());
    setWindowTitle(editor    ? tr("%1 — ptxwb").arg(editor->displayName())
                   : compare ? tr("%1 — ptxwb").arg(compare->title())
                             : tr("ptxwb — PTX Workbench"));
    updateStatus();
}

void MainWindow::openDialog() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open"),
        recentFiles_.isEmpty() ? QString() : QFileInfo(recentFiles_.first()).path(),
        tr("Workbench files (*.ptx *.cu *.cuh kernelset.json *.gguf);;PTX (*.ptx);;All files (*)"));
    for (const QString& f : files)
        openFile(f);
}

void MainWindow::addRecentFile(const QString& path) {
    recentFiles_.removeAll(path);
    recentFiles_.prepend(path);
    while (recentFiles_.size() > kMaxRecentFiles)
        recentFiles_.removeLast();
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    int n = 1;
    for (const QString& path : recentFiles_) {
        const QString label = n < 10 ? u"&%1 %2"_s.arg(n).arg(QFileInfo(path).fileName())
                                     : QFileInfo(path).fileName();
        QAction* a = recentMenu_->addAction(label, this, [this, path] { openFile(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
        ++n;
    }
    recentMenu_->addSeparator();
    recentMenu_
        ->addAction(tr("Clear List"), this,
                    [this] {
                        recentFiles_.clear();
                        rebuildRecentMenu();
                    })
        ->setEnabled(!recentFiles_.isEmpty());
}

void MainWindow::restoreSettings() {
    QSettings settings;
    recentFiles_ = settings.value(u"recentFiles"_s).toStringList();
    rebuildRecentMenu();
    if (settings.contains(u"theme"_s)) {
        const QString theme = settings.value(u"theme"_s).toString();
        if (theme != u"system") setDarkTheme(theme == u"dark");
    }
    if (!restoreGeometry(settings.value(u"window/geometry"_s).toByteArray())) resize(1480, 920);
    restoreState(settings.value(u"window/state"_s).toByteArray(), kSettingsVersion);
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(u"recentFiles"_s, recentFiles_);
    settings.setValue(u"theme"_s, !darkTheme_ ? u"system"_s : *darkTheme_ ? u"dark"_s : u"light"_s);
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState(kSettingsVersion));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    for (int i = tabs_->count() - 1; i >= 0; --i) {
        const int before = tabs_->count();
        closeTab(i);
        if (tabs_->count() == before) { // the user cancelled
            event->ignore();
            return;
        }
    }
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), [](const QUrl& u) {
            return u.isLocalFile() && isOpenableFile(u.toLocalFile());
        }))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && isOpenableFile(url.toLocalFile())) openFile(url.toLocalFile());
    event->acceptProposedAction();
}

} // namespace ptxwb::views
