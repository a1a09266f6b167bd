#include "worker_client.h"

#include "signal_cancel.h"
#include "util/subprocess.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::cli {

worker::SupervisorOptions selfWorkerOptions() {
    worker::SupervisorOptions options;
    std::string self = currentExecutablePath();
    options.command = {self.empty() ? std::string("ptxwb") : self, "worker"};
    // Someone pressing Cancel (or Ctrl-C) expects the command to end within about a second;
    // jobs poll their token between launches, so a job that has not stopped by then is stuck
    // in a kernel and only killing the worker ends it.
    options.cancelGrace = std::chrono::milliseconds(1000);
    return options;
}

worker::JobRequest withDevice(const GlobalOptions& global, worker::JobRequest request) {
    if (request.params.is_object() && !request.params.contains("device"))
        request.params["device"] = global.device;
    return request;
}

namespace {
/// Records and reports name the GPU of a run as environment.devices[0]; put the device the job
/// ran on there.
void putJobDeviceFirst(nlohmann::json& result, int device) {
    if (device == 0 || !result.is_object() || !result.contains("environment")) return;
    auto& devices = result["environment"]["devices"];
    if (!devices.is_array()) return;
    auto it = std::find_if(devices.begin(), devices.end(), [device](const nlohmann::json& d) {
        return d.is_object() && d.value("ordinal", -1) == device;
    });
    if (it != devices.end()) std::rotate(devices.begin(), it, it + 1);
}
} // namespace

Expected<nlohmann::json> runJobInWorker(const GlobalOptions& global,
                                        const worker::JobRequest& request,
                                        std::optional<ProgressUpdate>* stalledAt) {
    worker::Supervisor supervisor(selfWorkerOptions());
    ProgressLine progress(!global.noProgress && !global.quiet);
    worker::JobObserver observer;
    observer.progress = progress.sink();
    observer.log = [&](const std::string& message) {
        if (global.quiet) return;
        progress.finish();
        fmt::print(stderr, "{}\n", message);
    };
    SignalCancelScope signals;
    PTXWB_TRY(auto outcome, supervisor.run(withDevice(global, request), observer, signals.token()));
    progress.finish();
    using S = worker::JobOutcome::Status;
    if (signals.signalNumber() != 0 && outcome.status != S::Succeeded) {
        // A terminal's Ctrl-C reaches the worker too; its death is then the cancel, not a fault.
        return makeError(ErrorKind::Cancelled,
                         fmt::format("job '{}' cancelled by signal {}{}", request.job,
                                     signals.signalNumber(),
                                     outcome.reason.empty() ? "" : " (" + outcome.reason + ")"));
    }
    switch (outcome.status) {
    case S::Succeeded:
        putJobDeviceFirst(outcome.result, global.device);
        return std::move(outcome.result);
    case S::Failed:
        return Unexpected{outcome.error};
    case S::Stalled:
        if (stalledAt != nullptr) *stalledAt = outcome.lastProgress;
        return makeError(ErrorKind::GpuFault, outcome.reason);
    case S::TimedOut:
    case S::WorkerDied:
        return makeError(ErrorKind::GpuFault, outcome.reason);
    case S::Cancelled:
        return makeError(ErrorKind::Cancelled, outcome.reason);
    }
    return makeError(ErrorKind::Internal, "unknown job outcome");
}

} // namespace ptxwb::cli
