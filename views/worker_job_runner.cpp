#include "worker_job_runner.h"

#include "worker/supervisor.h"

#include <memory>

namespace ptxwb::views {

namespace {
struct Answer {
    bool ok = false;
    QByteArray result;
    QString reason;
};
} // namespace

WorkerJobRunner::WorkerJobRunner(QString cliPath, QObject* parent)
    : QObject(parent), cliPath_(std::move(cliPath)) {}

WorkerJobRunner::~WorkerJobRunner() {
    if (thread_) thread_->wait();
}

bool WorkerJobRunner::start(const QString& job, const QByteArray& paramsJson,
                            std::chrono::milliseconds deadline) {
    if (thread_) return false;
    if (cliPath_.isEmpty()) {
        emit failed(tr("the ptxwb command-line tool was not found next to ptxwb-gui or on PATH"));
        return true;
    }
    auto answer = std::make_shared<Answer>();
    worker::SupervisorOptions options;
    options.command = {cliPath_.toStdString(), "worker"};
    worker::JobRequest request;
    request.job = job.toStdString();
    request.params = nlohmann::json::parse(paramsJson.toStdString(), nullptr, false);
    if (request.params.is_discarded()) request.params = nlohmann::json::object();
    request.deadline = deadline;

    thread_ = QThread::create([answer, options, request] {
        worker::Supervisor supervisor(options);
        Expected<worker::JobOutcome> outcome = supervisor.run(request);
        if (!outcome) {
            answer->reason = QString::fromStdString(outcome.error().format());
        } else if (outcome->ok()) {
            answer->ok = true;
            answer->result = QByteArray::fromStdString(outcome->result.dump());
        } else {
            const std::string& message =
                outcome->reason.empty() ? outcome->error.message : outcome->reason;
            answer->reason = QString::fromStdString(
                std::string(worker::outcomeStatusName(outcome->status)) + ": " + message);
        }
        supervisor.shutdown();
    });
    connect(thread_, &QThread::finished, this, [this, answer] {
        thread_->deleteLater();
        thread_ = nullptr;
        if (answer->ok)
            emit succeeded(answer->result);
        else
            emit failed(answer->reason);
    });
    thread_->start();
    return true;
}

} // namespace ptxwb::views
