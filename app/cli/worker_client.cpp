#include "worker_client.h"

#include "util/subprocess.h"

#include <fmt/format.h>

namespace ptxwb::cli {

worker::SupervisorOptions selfWorkerOptions() {
    worker::SupervisorOptions options;
    std::string self = currentExecutablePath();
    options.command = {self.empty() ? std::string("ptxwb") : self, "worker"};
    return options;
}

Expected<nlohmann::json> runJobInWorker(const GlobalOptions& global,
                                        const worker::JobRequest& request) {
    worker::Supervisor supervisor(selfWorkerOptions());
    ProgressLine progress(!global.noProgress && !global.quiet);
    worker::JobObserver observer;
    observer.progress = progress.sink();
    observer.log = [&](const std::string& message) {
        if (global.quiet) return;
        progress.finish();
        fmt::print(stderr, "{}\n", message);
    };
    PTXWB_TRY(auto outcome, supervisor.run(request, observer));
    progress.finish();
    using S = worker::JobOutcome::Status;
    switch (outcome.status) {
    case S::Succeeded:
        return std::move(outcome.result);
    case S::Failed:
        return Unexpected{outcome.error};
    case S::TimedOut:
    case S::WorkerDied:
        return makeError(ErrorKind::GpuFault, outcome.reason);
    case S::Cancelled:
        return makeError(ErrorKind::Cancelled, outcome.reason);
    }
    return makeError(ErrorKind::Internal, "unknown job outcome");
}

} // namespace ptxwb::cli
