#include "run_process.h"

#include <QTimer>

namespace ptxwb::views {

RunProcess::RunProcess(QObject* parent) : QObject(parent) {
    killTimer_ = new QTimer(this);
    killTimer_->setSingleShot(true);
    connect(killTimer_, &QTimer::timeout, this, [this] {
        if (!isRunning()) return;
        killed_ = true;
        process_->kill();
    });
}

RunProcess::~RunProcess() {
    if (!isRunning()) return;
    process_->disconnect(this);
    // SIGTERM first: the CLI then stops its worker (a SIGKILLed CLI would leave a worker stuck
    // in a hung kernel behind). It needs at most its 1 s cancel grace for that.
    process_->terminate();
    if (!process_->waitForFinished(1500)) {
        process_->kill();
        process_->waitForFinished(1000);
    }
}

bool RunProcess::isRunning() const {
    return process_ != nullptr && process_->state() != QProcess::NotRunning;
}

qint64 RunProcess::pid() const {
    return isRunning() ? process_->processId() : -1;
}

bool RunProcess::start(const QString& program, const QStringList& args) {
    if (isRunning()) return false;
    if (process_) process_->deleteLater();
    // A fresh QProcess per run: no state (buffers, signals) carries over from the last one.
    process_ = new QProcess(this);
    stdout_ = {};
    stderr_ = {};
    cancelRequested_ = false;
    killed_ = false;
    connect(process_, &QProcess::readyReadStandardOutput, this,
            [this] { readStream(QProcess::StandardOutput); });
    connect(process_, &QProcess::readyReadStandardError, this,
            [this] { readStream(QProcess::StandardError); });
    connect(process_, &QProcess::finished, this, &RunProcess::onFinished);
    connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return; // crashes arrive through finished()
        emit finished(
            -1, RunEnd::FailedToStart,
            tr("could not start %1: %2").arg(process_->program(), process_->errorString()));
    });
    process_->start(program, args);
    return true;
}

void RunProcess::cancel(int graceMs) {
    if (!isRunning() || cancelRequested_) return;
    cancelRequested_ = true;
    process_->terminate();
    killTimer_->start(graceMs);
}

void RunProcess::readStream(QProcess::ProcessChannel channel) {
    process_->setReadChannel(channel);
    const QByteArray chunk = process_->readAll();
    const bool isStdout = channel == QProcess::StandardOutput;
    for (const RunEvent& e : (isStdout ? stdout_ : stderr_).feed(chunk))
        emit event(e, isStdout);
}

void RunProcess::onFinished(int exitCode, QProcess::ExitStatus status) {
    killTimer_->stop();
    readStream(QProcess::StandardOutput);
    readStream(QProcess::StandardError);
    for (const RunEvent& e : stdout_.flush())
        emit event(e, true);
    for (const RunEvent& e : stderr_.flush())
        emit event(e, false);
    if (killed_) {
        emit finished(-1, RunEnd::Killed,
                      tr("ptxwb did not stop within the grace period after Cancel; killed"));
    } else if (status == QProcess::CrashExit && !cancelRequested_) {
        emit finished(-1, RunEnd::Crashed, tr("ptxwb crashed: %1").arg(process_->errorString()));
    } else if (cancelRequested_) {
        emit finished(exitCode, RunEnd::Cancelled, tr("cancelled"));
    } else {
        emit finished(exitCode, RunEnd::Exited, QString());
    }
}

} // namespace ptxwb::views
