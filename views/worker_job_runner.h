#pragma once
// The GUI's bridge to `ptxwb worker`: runs one job in a supervised worker process on a
// background thread and reports the outcome as a Qt signal on the GUI thread. The GUI process
// itself never loads the CUDA driver; a hanging or crashing job costs a worker, not the window.

#include <QObject>
#include <QString>
#include <QThread>
#include <chrono>

namespace ptxwb::views {

/// Runs worker jobs one at a time.
class WorkerJobRunner : public QObject {
    Q_OBJECT
public:
    /// `cliPath` is the ptxwb executable; the worker is `cliPath worker`.
    explicit WorkerJobRunner(QString cliPath, QObject* parent = nullptr);
    /// Waits for a running job (bounded by its deadline) so no thread outlives the runner.
    ~WorkerJobRunner() override;

    /// Starts `job` with JSON `params`; false when a job is already running.
    bool start(const QString& job, const QByteArray& paramsJson,
               std::chrono::milliseconds deadline);
    bool isRunning() const { return thread_ != nullptr; }

signals:
    /// The job's JSON result.
    void succeeded(const QByteArray& resultJson);
    /// Why the job did not succeed: its error, a timeout, a dead worker, a missing CLI.
    void failed(const QString& reason);

private:
    QString cliPath_;
    QThread* thread_ = nullptr;
};

} // namespace ptxwb::views
