#pragma once
// Runs a job for a CLI command in a supervised `ptxwb worker` child (this same executable),
// drawing progress on the command's progress line. CLI commands that touch the GPU go through
// here so that `ptxwb parity` in CI can never hang forever.

#include "cli_output.h"
#include "command_registry.h"
#include "worker/supervisor.h"

#include <optional>

namespace ptxwb::cli {

/// The supervisor options for a worker that is this executable (`<self> worker`).
worker::SupervisorOptions selfWorkerOptions();

/// `request` with params["device"] = --device unless the params name a device.
worker::JobRequest withDevice(const GlobalOptions& global, worker::JobRequest request);

/// Runs `request` (on the --device GPU) in a fresh supervised worker. SIGINT/SIGTERM cancel
/// the job (see SignalCancelScope) and give a Cancelled error. Failed outcomes become Errors: the
/// job's own error for Failed, GpuFault with the reason for TimedOut / Stalled / WorkerDied,
/// Cancelled otherwise. When the job stalled and `stalledAt` is given, it receives the last
/// progress the job reported (the step that hung).
Expected<nlohmann::json> runJobInWorker(const GlobalOptions& global,
                                        const worker::JobRequest& request,
                                        std::optional<ProgressUpdate>* stalledAt = nullptr);

} // namespace ptxwb::cli
