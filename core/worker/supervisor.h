#pragma once
// The parent side of the worker protocol (Qt-free; the CLI and the GUI both use it). It starts
// `ptxwb worker` with posix_spawn, sends one job at a time, enforces each job's deadline, and
// replaces the worker when it times out, crashes or reports a sticky GPU error. A caller never
// hangs on a kernel and never loses a result silently: every job ends in exactly one outcome.

#include "util/expected.h"
#include "util/progress.h"
#include "util/subprocess.h"

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ptxwb::worker {

struct SupervisorOptions {
    /// The worker's argv, e.g. {"/usr/bin/ptxwb", "worker"}.
    std::vector<std::string> command;
    /// How long a new worker may take to say hello.
    std::chrono::milliseconds startTimeout{10000};
    /// After a cancel request, how long the job may take to stop before the worker is killed.
    std::chrono::milliseconds cancelGrace{2000};
};

struct JobRequest {
    std::string job;
    nlohmann::json params = nlohmann::json::object();
    /// Wall-clock limit for the whole job, JIT compilation included.
    std::chrono::milliseconds deadline{600000};
    /// Once the job has reported progress, the longest it may go without reporting more before
    /// it counts as hung (a kernel that never returns); zero: only the deadline applies. Jobs
    /// that report a step before each kernel launch (parity) name the hung step this way.
    std::chrono::milliseconds stallTimeout{0};
};

/// How a job ended. Exactly one of the statuses; `reason` says why in words for the failed ones.
struct JobOutcome {
    enum class Status {
        Succeeded,  ///< result holds the job's JSON result
        Failed,     ///< the job reported an error (error holds it)
        TimedOut,   ///< the deadline passed; the worker was killed
        Stalled,    ///< no progress within the stall timeout; the worker was killed
        WorkerDied, ///< the worker crashed or exited mid-job (signal / exit code in reason)
        Cancelled,  ///< the caller cancelled
    };
    Status status = Status::Failed;
    nlohmann::json result;
    Error error;
    std::string reason;
    /// The worker was killed after this job; the next job runs on a fresh one.
    bool workerReplaced = false;
    /// The last progress the job reported, if any (for a stalled job: the step that hung).
    std::optional<ProgressUpdate> lastProgress;

    [[nodiscard]] bool ok() const { return status == Status::Succeeded; }
};

const char* outcomeStatusName(JobOutcome::Status status);

/// Callbacks for a job's live events; each may be empty.
struct JobObserver {
    ProgressSink progress;
    std::function<void(const std::string&)> log;
};

class Supervisor {
public:
    explicit Supervisor(SupervisorOptions options);
    ~Supervisor();
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    /// Runs one job to its outcome. Starting the worker can fail (Environment error); after
    /// that every end, including a hang or crash, is a JobOutcome.
    Expected<JobOutcome> run(const JobRequest& request, const JobObserver& observer = {},
                             const CancelToken& cancel = {});

    /// The jobs the running worker announced in its hello (starts one if needed).
    Expected<std::vector<std::string>> availableJobs();
    /// pid of the current worker, or -1.
    [[nodiscard]] int workerPid() const { return worker_.pid(); }
    /// Number of workers started so far (for tests and the GUI's status line).
    [[nodiscard]] int workersStarted() const { return workersStarted_; }
    /// Asks the worker to exit and waits briefly; kills it if it does not.
    void shutdown();

private:
    Status ensureWorker();
    void replaceWorker(JobOutcome& outcome);

    SupervisorOptions options_;
    Subprocess worker_;
    std::vector<std::string> announcedJobs_;
    int workersStarted_ = 0;
    unsigned long nextId_ = 1;
};

} // namespace ptxwb::worker
