// Diagnostic jobs that prove the worker supervision on any machine, GPU or not: a job that
// hangs past its deadline, one that crashes, one that reports a sticky error, one that prints
// to stdout behind the protocol's back. `ptxwb run-job test.sleep --deadline 1` shows the
// deadline at work; the supervisor tests use all of them.
#include "worker/job.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace ptxwb::cli {
namespace {

using nlohmann::json;

Expected<json> echoJob(const json& params, worker::JobContext&) {
    return json{{"echo", params}};
}

Expected<json> sleepJob(const json& params, worker::JobContext& ctx) {
    double seconds = params.value("seconds", 1.0);
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    // Deliberately ignores cancellation unless asked to honour it: a hung kernel does too.
    bool honourCancel = params.value("cancellable", false);
    while (std::chrono::steady_clock::now() < until) {
        if (honourCancel && ctx.cancel.cancelled()) {
            return makeError(ErrorKind::Cancelled, "sleep cancelled");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return json{{"slept", seconds}};
}

Expected<json> abortJob(const json&, worker::JobContext&) {
    std::abort();
}

Expected<json> stickyErrorJob(const json&, worker::JobContext&) {
    Error e(ErrorKind::GpuFault, "CUDA_ERROR_ILLEGAL_ADDRESS: an illegal memory access was "
                                 "encountered (simulated by test.sticky-error)");
    e.poisonsProcess = true;
    return Unexpected{e};
}

// With "hang_at": N, step N never finishes (ignoring cancellation, like a hung kernel).
Expected<json> progressJob(const json& params, worker::JobContext& ctx) {
    int steps = params.value("steps", 5);
    const int hangAt = params.value("hang_at", 0);
    for (int i = 1; i <= steps; ++i) {
        report(ctx.progress, std::uint64_t(i), std::uint64_t(steps), "step " + std::to_string(i));
        while (i == hangAt)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (ctx.log) ctx.log("finished step " + std::to_string(i));
    }
    return json{{"steps", steps}};
}

Expected<json> strayOutputJob(const json&, worker::JobContext&) {
    // What a device-side printf or a chatty library does: write straight to stdout.
    std::printf("stray output that is not protocol\n");
    std::fflush(stdout);
    return json{{"ok", true}};
}

} // namespace

PTXWB_REGISTER_JOB(test_echo, "test.echo", echoJob);
PTXWB_REGISTER_JOB(test_sleep, "test.sleep", sleepJob);
PTXWB_REGISTER_JOB(test_abort, "test.abort", abortJob);
PTXWB_REGISTER_JOB(test_sticky, "test.sticky-error", stickyErrorJob);
PTXWB_REGISTER_JOB(test_progress, "test.progress", progressJob);
PTXWB_REGISTER_JOB(test_stray, "test.stray-output", strayOutputJob);

} // namespace ptxwb::cli
