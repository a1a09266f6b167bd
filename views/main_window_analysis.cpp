// MainWindow: background analysis of open files (debounced after edits), side-by-side
// comparisons of two functions or of a kernel set's pair, and the kernel set's context actions.

#include "analysis_scheduler.h"
#include "compare_dialog.h"
#include "findings_dock.h"
#include "gpu_info_source.h"
#include "kernel_set_cli.h"
#include "log_view.h"
#include "main_window.h"
#include "ptx_editor.h"
#include "workbench_browser.h"
#include "workbench_tree_model.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QTabWidget>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
const QString kComparePrefix = u"compare:"_s;

/// NVRTC target for CUDA sources opened in the GUI: the analyzer's default architecture, so the
/// GUI shows the PTX that `ptxwb analyze --kernel-set` reports on.
constexpr int kCompileArch = 80;

bool isPtx(const QString& path) {
    return QFileInfo(path).suffix().compare(u"ptx"_s, Qt::CaseInsensitive) == 0;
}
} // namespace

QString MainWindow::manifestBeside(const QString& path) {
    const QString manifest = QFileInfo(path).dir().filePath(u"kernelset.json"_s);
    return QFileInfo::exists(manifest) ? manifest : QString();
}

void MainWindow::scheduleEditorAnalysis(PtxEditor* editor, int delayMs) {
    if (!isPtx(editor->filePath())) return;
    AnalysisRequest request;
    request.files.push_back({editor->filePath(), editor->view()->buffer().toUtf8()});
    request.manifestPath = manifestBeside(editor->filePath());
    analysis_->schedule(editor->filePath(), std::move(request), delayMs);
}

void MainWindow::analyseFiles(const QStringList& paths, const QString& manifestPath) {
    QStringList cuda;
    for (const QString& path : paths)
        if (!isPtx(path)) cuda << path;
    if (!cuda.isEmpty() && !manifestPath.isEmpty()) {
        // The analyzer reads PTX: CUDA sources of a kernel set are compiled first, off the GUI
        // thread, and their PTX analysed with the rest.
        QPointer<MainWindow> self(this);
        QStringList ptxOnly = paths;
        for (const QString& c : cuda)
            ptxOnly.removeAll(c);
        kernelSetCli_->compileToPtx(
            manifestPath, cuda, kCompileArch,
            [self, ptxOnly, manifestPath](const QString& error, const QStringList& ptx) {
                if (!self) return;
                if (!error.isEmpty()) self->log_->error(tr("Cannot compile to PTX: %1").arg(error));
                self->analyseFiles(error.isEmpty() ? ptxOnly + ptx : ptxOnly, manifestPath);
            });
        return;
    }
    AnalysisRequest request;
    request.manifestPath = manifestPath;
    for (const QString& path : paths) {
        // What the user sees (and may have edited) is what gets analysed.
        if (PtxEditor* editor = editorForFile(path)) {
            request.files.push_back({editor->filePath(), editor->view()->buffer().toUtf8()});
            continue;
        }
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            log_->error(tr("%1: cannot open: %2").arg(path, file.errorString()));
            continue;
        }
        request.files.push_back({QFileInfo(path).absoluteFilePath(), file.readAll()});
    }
    if (request.files.empty()) return;
    log_->info(tr("Analysing %n file(s)…", nullptr, int(request.files.size())));
    analysis_->schedule(u"files:"_s + paths.join(u'|'), std::move(request), 0);
}

void MainWindow::applyAnalysis(const QString& key, const AnalysisOutcome& outcome) {
    // Typing re-analyses every pause; a half-typed line must not flood the log.
    if (lastProblems_.value(key) != outcome.problems)
        for (const QString& problem : outcome.problems)
            log_->append(LogView::Level::Warning, problem);
    lastProblems_.insert(key, outcome.problems);
    for (const QString& file : outcome.analysedFiles) {
        std::vector<EditorFinding> mine;
        for (const EditorFinding& f : outcome.findings)
            if (f.file == file) mine.push_back(f);
        setFindings(file, std::move(mine));
    }
    if (!key.startsWith(kComparePrefix) && outcome.elapsedMs > 200)
        log_->info(tr("Analysed %1 in %2 ms").arg(key).arg(outcome.elapsedMs));
}

SideBySideView* MainWindow::openComparison(CompareSide left, CompareSide right,
                                           const QString& manifestPath) {
    auto* view = new SideBySideView(tabs_);
    const QString leftPath = left.path, rightPath = right.path;
    const QString leftFunction = left.function, rightFunction = right.function;
    if (const QString error = view->setSides(std::move(left), std::move(right)); !error.isEmpty()) {
        log_->error(error);
        delete view;
        return nullptr;
    }
    const int index = tabs_->addTab(view, view->title());
    tabs_->setTabToolTip(index, leftPath + u" ↔ "_s + rightPath);
    tabs_->setCurrentIndex(index);
    emit comparisonOpened(view);
    // Findings already known for either file show at once; the pair analysis refines them.
    for (int s = 0; s < 2; ++s) {
        const QString path = s == 0 ? leftPath : rightPath;
        std::vector<EditorFinding> known;
        for (const EditorFinding& f : allFindings_)
            if (f.file == path) known.push_back(f);
        view->setFindings(SideBySideView::Side(s), known);
    }
    AnalysisRequest request;
    request.files.push_back({leftPath, view->side(SideBySideView::Left).text});
    if (rightPath != leftPath)
        request.files.push_back({rightPath, view->side(SideBySideView::Right).text});
    request.manifestPath = manifestPath;
    if (leftFunction != rightFunction) request.pairs.emplace_back(leftFunction, rightFunction);
    const QString key = kComparePrefix + QString::number(quintptr(view));
    analysis_->schedule(key, std::move(request), 0);
    connect(view, &QObject::destroyed, analysis_, [this, key] { analysis_->cancel(key); });
    log_->info(tr("Comparing %1 ↔ %2: %3").arg(view->title(), view->summary(), leftPath));
    return view;
}

SideBySideView* MainWindow::openPtxPair(const QString (&paths)[2], const QString (&entries)[2],
                                        const QString& manifestPath) {
    CompareSide sides[2];
    for (int s = 0; s < 2; ++s) {
        QFile file(paths[s]);
        if (!file.open(QIODevice::ReadOnly)) {
            log_->error(tr("%1: cannot open: %2").arg(paths[s], file.errorString()));
            return nullptr;
        }
        sides[s] = {QFileInfo(paths[s]).absoluteFilePath(), file.readAll(), entries[s]};
    }
    return openComparison(std::move(sides[0]), std::move(sides[1]), manifestPath);
}

SideBySideView* MainWindow::openKernelPair(const KernelPairChoice& pair) {
    const QString sources[2] = {pair.singleSource, pair.batchedSource};
    const QString entries[2] = {pair.singleEntry, pair.batchedEntry};
    QStringList toCompile;
    for (const QString& source : sources)
        if (!isPtx(source) && !toCompile.contains(source)) toCompile << source;
    if (toCompile.isEmpty()) return openPtxPair(sources, entries, pair.manifestPath);
    if (pair.manifestPath.isEmpty()) {
        log_->error(tr("%1 is CUDA source outside a kernel set: its compile options are unknown")
                        .arg(toCompile.join(u", "_s)));
        return nullptr;
    }
    log_->info(tr("Compiling %1 to PTX (NVRTC, compute_%2)…")
                   .arg(toCompile.join(u", "_s))
                   .arg(kCompileArch));
    QPointer<MainWindow> self(this);
    kernelSetCli_->compileToPtx(
        pair.manifestPath, toCompile, kCompileArch,
        [self, pair, toCompile, sources, entries](const QString& error, const QStringList& ptx) {
            if (!self) return;
            if (!error.isEmpty()) {
                self->log_->error(
                    tr("Cannot compile %1 to PTX: %2").arg(toCompile.join(u", "_s), error));
                return;
            }
            QString paths[2];
            for (int s = 0; s < 2; ++s) {
                const qsizetype i = toCompile.indexOf(sources[s]);
                paths[s] = i < 0 ? sources[s] : ptx[i];
            }
            self->openPtxPair(paths, entries, pair.manifestPath);
        });
    return nullptr;
}

void MainWindow::summarizeKernelSetPositions(const QString& manifestPath) {
    QPointer<MainWindow> self(this);
    kernelSetCli_->summarizePositions(
        manifestPath, [self, manifestPath](const QString& error, const QHash<QString, QString>& m) {
            if (!self) return;
            if (!error.isEmpty()) {
                self->log_->append(
                    LogView::Level::Warning,
                    tr("Position badges of %1 stay as the manifest declares them: %2")
                        .arg(manifestPath, error));
                return;
            }
            const int updated = self->browser_->model()->applyPositionSummary(manifestPath, m);
            emit self->positionSummaryApplied(manifestPath, updated);
        });
}

void MainWindow::showCompareDialog() {
    CompareDialog dialog(this);
    if (PtxEditor* editor = currentEditor(); editor && isPtx(editor->filePath()))
        dialog.setFile(0, editor->filePath());
    if (dialog.exec() != QDialog::Accepted) return;
    CompareSide sides[2];
    for (int s = 0; s < 2; ++s) {
        QFile file(dialog.file(s));
        if (!file.open(QIODevice::ReadOnly)) {
            log_->error(tr("%1: cannot open: %2").arg(dialog.file(s), file.errorString()));
            return;
        }
        sides[s] = {QFileInfo(dialog.file(s)).absoluteFilePath(), file.readAll(),
                    dialog.function(s)};
    }
    openComparison(std::move(sides[0]), std::move(sides[1]));
}

void MainWindow::exportKernelSet(const QString& manifestPath) {
    const QString target = QFileDialog::getExistingDirectory(this, tr("Export kernel set to"));
    if (target.isEmpty()) return;
    // The CLI's exporter validates the set and writes every file it names; the GUI adds nothing.
    auto* exporter = new QProcess(this);
    connect(exporter, &QProcess::finished, this, [this, exporter, target](int code) {
        const QString out = QString::fromUtf8(exporter->readAll()).trimmed();
        code == 0 ? log_->info(out.isEmpty() ? tr("Exported to %1").arg(target) : out)
                  : log_->error(out);
        exporter->deleteLater();
    });
    exporter->setProcessChannelMode(QProcess::MergedChannels);
    exporter->start(locatePtxwbCli(), {u"kernels"_s, u"export"_s, target, u"--kernel-set"_s,
                                       QFileInfo(manifestPath).path()});
}

} // namespace ptxwb::views
