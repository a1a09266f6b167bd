#include "worker/supervisor.h"

#include "worker/protocol.h"

#include <fmt/format.h>
#include <thread>

namespace ptxwb::worker {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* outcomeStatusName(JobOutcome::Status status) {
    switch (status) {
    case JobOutcome::Status::Succeeded:
        return "succeeded";
    case JobOutcome::Status::Failed:
        return "failed";
    case JobOutcome::Status::TimedOut:
        return "timed-out";
    case JobOutcome::Status::Stalled:
        return "stalled";
    case JobOutcome::Status::WorkerDied:
        return "worker-died";
    case JobOutcome::Status::Cancelled:
        return "cancelled";
    }
    return "failed";
}

Supervisor::Supervisor(SupervisorOptions options) : options_(std::move(options)) {}

Supervisor::~Supervisor() {
    shutdown();
}

Status Supervisor::ensureWorker() {
    if (worker_.running() && !worker_.poll().has_value()) return {};
    if (options_.command.empty()) {
        return makeError(ErrorKind::Internal, "worker supervisor has no worker command");
    }
    PTXWB_TRY(worker_, Subprocess::spawn(options_.command));
    ++workersStarted_;
    auto deadline = Clock::now() + options_.startTimeout;
    for (;;) {
        auto line = worker_.readLine(deadline);
        if (!line || !line->has_value()) {
            std::string why = !line ? line.error().message : "no hello before the start timeout";
            ChildExit exit = worker_.kill();
            return makeError(ErrorKind::Environment,
                             fmt::format("worker '{}' did not start: {} ({})",
                                         options_.command.front(), why, exit.describe()));
        }
        std::string why;
        auto msg = parseMessage(**line, why);
        if (!msg) continue; // tolerate stray output before the hello
        if (msg->value("event", std::string()) != "hello") continue;
        announcedJobs_.clear();
        if (msg->contains("jobs")) {
            for (const auto& j : (*msg)["jobs"]) {
                if (j.is_string()) announcedJobs_.push_back(j.get<std::string>());
            }
        }
        return {};
    }
}

Expected<std::vector<std::string>> Supervisor::availableJobs() {
    PTXWB_CHECK(ensureWorker());
    return announcedJobs_;
}

void Supervisor::replaceWorker(JobOutcome& outcome) {
    if (worker_.running()) worker_.kill();
    outcome.workerReplaced = true;
}

Expected<JobOutcome> Supervisor::run(const JobRequest& request, const JobObserver& observer,
                                     const CancelToken& cancel) {
    PTXWB_CHECK(ensureWorker());
    const std::string id = std::to_string(nextId_++);
    JobOutcome outcome;
    if (auto st = worker_.write(makeRunRequest(id, request.job, request.params).dump() + "\n");
        !st) {
        ChildExit exit = worker_.kill();
        outcome.status = JobOutcome::Status::WorkerDied;
        outcome.reason =
            fmt::format("worker could not take job '{}' ({})", request.job, exit.describe());
        outcome.workerReplaced = true;
        return outcome;
    }
    const auto deadline = Clock::now() + request.deadline;
    std::optional<Clock::time_point> cancelDeadline;
    // Set by the first progress report and moved on by every later one (see stallTimeout).
    std::optional<Clock::time_point> stallDeadline;
    for (;;) {
        auto wait = std::min(deadline, Clock::now() + std::chrono::milliseconds(100));
        if (cancelDeadline) wait = std::min(wait, *cancelDeadline);
        auto line = worker_.readLine(wait);
        if (!line) {
            // End of output mid-job: the worker crashed or exited. Reap it and say how.
            ChildExit exit = worker_.wait();
            outcome.status = JobOutcome::Status::WorkerDied;
            outcome.reason =
                fmt::format("worker {} while running job '{}'", exit.describe(), request.job);
            outcome.workerReplaced = true;
            return outcome;
        }
        const auto now = Clock::now();
        if (!line->has_value()) {
            if (cancel.cancelled() && !cancelDeadline) {
                (void)worker_.write(makeCancelRequest(id).dump() + "\n");
                cancelDeadline = now + options_.cancelGrace;
            }
            if (cancelDeadline && now >= *cancelDeadline) {
                outcome.status = JobOutcome::Status::Cancelled;
                outcome.reason = fmt::format("job '{}' did not stop within {} ms of the cancel; "
                                             "worker killed",
                                             request.job, options_.cancelGrace.count());
                replaceWorker(outcome);
                return outcome;
            }
            if (stallDeadline && now >= *stallDeadline) {
                outcome.status = JobOutcome::Status::Stalled;
                outcome.reason = fmt::format(
                    "job '{}' reported no progress for {:.1f} s after '{}'; worker killed",
                    request.job, double(request.stallTimeout.count()) / 1000.0,
                    outcome.lastProgress->phase);
                replaceWorker(outcome);
                return outcome;
            }
            if (now >= deadline) {
                outcome.status = JobOutcome::Status::TimedOut;
                outcome.reason =
                    fmt::format("job '{}' ran past its deadline of {:.1f} s; worker killed",
                                request.job, double(request.deadline.count()) / 1000.0);
                replaceWorker(outcome);
                return outcome;
            }
            continue;
        }
        std::string why;
        auto msg = parseMessage(**line, why);
        if (!msg) {
            if (observer.log) observer.log("worker: " + **line);
            continue;
        }
        if (msg->value("id", json()) != json(id)) continue;
        const std::string event = msg->value("event", std::string());
        if (event == "progress") {
            outcome.lastProgress = ProgressUpdate{msg->value("done", std::uint64_t{0}),
                                                  msg->value("total", std::uint64_t{0}),
                                                  msg->value("phase", std::string())};
            if (request.stallTimeout.count() > 0) stallDeadline = now + request.stallTimeout;
            if (observer.progress) observer.progress(*outcome.lastProgress);
        } else if (event == "log") {
            if (observer.log) observer.log(msg->value("message", std::string()));
        } else if (event == "result") {
            outcome.status = JobOutcome::Status::Succeeded;
            outcome.result = msg->value("result", json());
            return outcome;
        } else if (event == "error") {
            outcome.error = errorFromJson(msg->value("error", json::object()));
            outcome.status = outcome.error.kind == ErrorKind::Cancelled
                                 ? JobOutcome::Status::Cancelled
                                 : JobOutcome::Status::Failed;
            outcome.reason = outcome.error.message;
            if (outcome.error.poisonsProcess) {
                outcome.reason += " (the error is sticky: worker replaced)";
                replaceWorker(outcome);
            }
            return outcome;
        }
    }
}

void Supervisor::shutdown() {
    if (!worker_.running()) return;
    (void)worker_.write(makeShutdownRequest().dump() + "\n");
    worker_.closeInput();
    auto deadline = Clock::now() + std::chrono::milliseconds(500);
    while (Clock::now() < deadline) {
        if (worker_.poll().has_value()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    worker_.kill();
}

} // namespace ptxwb::worker
