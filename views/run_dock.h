#pragma once
// The Run dock: starts analyse / parity / probe / selftest / trace / KV validation through the
// ptxwb CLI (so every run lands in the history exactly as a CLI run does), shows its progress,
// a live log with errors in red, and cancels it. A kernel that faults or hangs costs the CLI's
// worker, never this process; the next run starts a fresh CLI and worker.

#include "run_process.h"
#include "run_request.h"

#include <QColor>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ptxwb::views {

class GpuInfoSource;
class RunForm;

/// Dock content for running ptxwb commands.
class RunDock : public QWidget {
    Q_OBJECT
public:
    explicit RunDock(QWidget* parent = nullptr);

    /// The ptxwb executable (default: locatePtxwbCli()).
    void setCliPath(const QString& path) { cliPath_ = path; }
    QString cliPath() const { return cliPath_; }
    /// The history every run is recorded in (`--db`).
    void setHistoryDatabase(const QString& path) { historyDatabase_ = path; }
    QString historyDatabase() const { return historyDatabase_; }
    /// Where the device picker asks for GPUs (not owned); asked now and on Refresh.
    void setGpuInfoSource(GpuInfoSource* source);

    /// Runs the form's options; false (and says why in the log) when not started.
    bool startFromForm();
    /// Runs `options`; false when they are unusable or a run is in progress.
    bool start(const RunOptions& options);
    /// Runs the CLI with exactly `args` (titled `title` in the log); false when busy.
    /// `recordsTrace`: the run records launches (traceRunRecorded); `recordsKvMaps`: and KV-cache
    /// maps (kvRunRecorded).
    bool startArguments(const QStringList& args, const QString& title, bool recordsTrace = false,
                        bool recordsKvMaps = false);
    /// Cancels the run in progress (SIGTERM; killed if it does not stop within the grace).
    void cancel();
    bool isRunning() const { return process_->isRunning(); }

    RunForm* form() const { return form_; }
    QProgressBar* progressBar() const { return progress_; }
    QPlainTextEdit* logView() const { return log_; }
    QLabel* statusLabel() const { return status_; }
    QPushButton* runButton() const { return runButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    /// The uuid of the last recorded run ("" if the last run recorded nothing).
    QString lastRunUuid() const { return lastUuid_; }
    /// Exit code of the last run (-1 while running, killed or not started).
    int lastExitCode() const { return lastExitCode_; }

signals:
    void runStarted(const QStringList& args);
    /// A run was written to the history (emitted when the CLI says so, before it exits).
    void runRecorded(const QString& uuid);
    /// A trace or qa run was recorded and ended: its launches can be shown.
    void traceRunRecorded(const QString& uuid);
    /// A KV-cache validation run was recorded and ended: its KV-cache maps can be shown.
    void kvRunRecorded(const QString& uuid);
    void runFinished(int exitCode, ptxwb::views::RunEnd end);

private:
    void onEvent(const RunEvent& event, bool fromStdout);
    void onFinished(int exitCode, RunEnd end, const QString& reason);
    void appendLine(const QString& text, const QColor& colour = {}, bool bold = false);
    void setRunning(bool running);
    void saveFormSettings() const;
    void restoreFormSettings();

    RunForm* form_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    RunProcess* process_ = nullptr;
    GpuInfoSource* gpuInfo_ = nullptr;
    QString cliPath_;
    QString historyDatabase_;
    QString lastUuid_;
    QString title_;
    int lastExitCode_ = -1;
    bool recordsTrace_ = false;
    bool recordsKvMaps_ = false;
};

/// What a ptxwb exit code means, in words ("GPU fault or internal error").
QString describeExitCode(int exitCode);

} // namespace ptxwb::views
