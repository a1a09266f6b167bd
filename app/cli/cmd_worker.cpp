// `ptxwb worker`: the GPU worker process (JSON lines on stdin/stdout, see core/worker/protocol.h).
// `ptxwb run-job`: runs one job through a supervised worker and prints its outcome as JSON.
#include "command_registry.h"
#include "signal_cancel.h"
#include "version.h"
#include "worker/server.h"
#include "worker/supervisor.h"
#include "worker_client.h"

#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

void setupWorkerCommand(CommandLine& cl) {
    auto* sub = cl.app().add_subcommand(
        "worker",
        "Serve GPU jobs over JSON lines on stdin/stdout (started by ptxwb and ptxwb-gui)");
    onRun(cl, sub, [] { return worker::serveWorker(versionNumber()); });
}

struct RunJobOptions {
    std::string job;
    std::string params = "{}";
    double deadlineSeconds = 600;
};

int runJob(CommandLine& cl, const RunJobOptions& opts) {
    auto params = nlohmann::json::parse(opts.params, nullptr, false);
    if (params.is_discarded() || !params.is_object()) {
        printUsageError("--params must be a JSON object");
        return exit_code::usage;
    }
    worker::Supervisor supervisor(selfWorkerOptions());
    worker::JobRequest request{opts.job, params,
                               std::chrono::milliseconds(long(opts.deadlineSeconds * 1000))};
    ProgressLine progress(!cl.global().noProgress);
    worker::JobObserver observer{progress.sink(), [&](const std::string& m) {
                                     progress.finish();
                                     fmt::print(stderr, "log: {}\n", m);
                                 }};
    SignalCancelScope signals;
    auto outcome = supervisor.run(withDevice(cl.global(), request), observer, signals.token());
    progress.finish();
    if (!outcome) return printError(outcome.error());
    nlohmann::json out{{"job", opts.job},
                       {"status", worker::outcomeStatusName(outcome->status)},
                       {"worker_replaced", outcome->workerReplaced}};
    if (outcome->ok()) out["result"] = outcome->result;
    if (!outcome->reason.empty()) out["reason"] = outcome->reason;
    fmt::print("{}\n", out.dump(2));
    if (outcome->ok()) return exit_code::ok;
    if (outcome->status == worker::JobOutcome::Status::Failed) {
        return exitCodeFor(outcome->error.kind);
    }
    return exit_code::fault;
}

void setupRunJobCommand(CommandLine& cl) {
    auto opts = std::make_shared<RunJobOptions>();
    auto* sub = cl.app().add_subcommand(
        "run-job", "Run one worker job in a supervised worker process and print its outcome");
    sub->add_option("job", opts->job, "Job name (see `ptxwb run-job --list`)")->required();
    sub->add_option("--params", opts->params, "Job parameters as a JSON object");
    sub->add_option("--deadline", opts->deadlineSeconds, "Deadline in seconds (JIT included)")
        ->check(CLI::PositiveNumber);
    onRun(cl, sub, [&cl, opts] { return runJob(cl, *opts); });
}

} // namespace
PTXWB_REGISTER_COMMAND(worker, 900, setupWorkerCommand);
PTXWB_REGISTER_COMMAND(run_job, 910, setupRunJobCommand);
} // namespace ptxwb::cli
