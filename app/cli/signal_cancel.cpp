#include "signal_cancel.h"

#include <atomic>
#include <csignal>

namespace ptxwb::cli {

namespace {
// The handler may only touch lock-free atomics; the token's flag is one (std::atomic<bool>).
std::atomic<const CancelToken*> activeToken{nullptr};
std::atomic<int> receivedSignal{0};
struct sigaction previousInt {};
struct sigaction previousTerm {};

extern "C" void cancelOnSignal(int signal) {
    const CancelToken* token = activeToken.load();
    if (token == nullptr || receivedSignal.exchange(signal) != 0) {
        // Second signal (or no job): the default action, now.
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    token->cancel();
}
} // namespace

SignalCancelScope::SignalCancelScope() {
    receivedSignal.store(0);
    activeToken.store(&token_);
    struct sigaction action {};
    action.sa_handler = cancelOnSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previousInt);
    sigaction(SIGTERM, &action, &previousTerm);
}

SignalCancelScope::~SignalCancelScope() {
    sigaction(SIGINT, &previousInt, nullptr);
    sigaction(SIGTERM, &previousTerm, nullptr);
    activeToken.store(nullptr);
}

int SignalCancelScope::signalNumber() const {
    return receivedSignal.load();
}

} // namespace ptxwb::cli
