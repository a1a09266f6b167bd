#pragma once
// Ctrl-C and SIGTERM during a GPU job: instead of dying at once (which would leave a worker
// running a hung kernel behind), the command cancels its job, the supervisor stops or kills the
// worker, the run is recorded as stopped, and the command exits. A second signal ends the
// process the default way, for a user who will not wait.

#include "util/progress.h"

namespace ptxwb::cli {

/// While alive, SIGINT and SIGTERM cancel token() instead of ending the process. Scopes do not
/// nest (a command runs one job at a time); the previous handlers come back on destruction.
class SignalCancelScope {
public:
    SignalCancelScope();
    ~SignalCancelScope();
    SignalCancelScope(const SignalCancelScope&) = delete;
    SignalCancelScope& operator=(const SignalCancelScope&) = delete;

    [[nodiscard]] const CancelToken& token() const { return token_; }
    /// The signal that cancelled, or 0.
    [[nodiscard]] int signalNumber() const;

private:
    CancelToken token_;
};

} // namespace ptxwb::cli
