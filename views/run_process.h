#pragma once
// One `ptxwb` command run as a child process: its output as classified events while it runs,
// and how it ended. Cancel sends SIGTERM (the CLI then cancels its job, stops its worker and
// records the run); a CLI that has not exited after a grace period is killed.

#include "run_event_parser.h"

#include <QObject>
#include <QProcess>
#include <QStringList>

class QTimer;

namespace ptxwb::views {

/// How a run ended.
enum class RunEnd {
    Exited,        ///< the CLI exited by itself (exit code says how it went)
    Cancelled,     ///< the CLI exited after a cancel
    Killed,        ///< the CLI did not exit within the grace period after a cancel
    Crashed,       ///< the CLI died of a signal nobody sent
    FailedToStart, ///< the CLI could not be started
};

/// Runs one command at a time.
class RunProcess : public QObject {
    Q_OBJECT
public:
    explicit RunProcess(QObject* parent = nullptr);
    /// Stops a command still running (the window is closing): SIGTERM, then SIGKILL.
    ~RunProcess() override;

    /// Starts `program args`; false when a command is already running.
    bool start(const QString& program, const QStringList& args);
    /// Asks the running command to stop (SIGTERM), kills it after `graceMs` if needed.
    void cancel(int graceMs = 3000);
    bool isRunning() const;
    qint64 pid() const;

signals:
    /// A line of output; `fromStdout` tells the report (stdout) from the log (stderr).
    void event(const ptxwb::views::RunEvent& event, bool fromStdout);
    /// The command ended; `exitCode` is meaningful for Exited and Cancelled.
    void finished(int exitCode, ptxwb::views::RunEnd end, const QString& reason);

private:
    void readStream(QProcess::ProcessChannel channel);
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess* process_ = nullptr;
    QTimer* killTimer_ = nullptr;
    RunEventParser stdout_;
    RunEventParser stderr_;
    bool cancelRequested_ = false;
    bool killed_ = false;
};

} // namespace ptxwb::views
