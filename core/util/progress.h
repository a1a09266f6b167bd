#pragma once
// Progress reporting and cancellation for long work. Core code polls a CancelToken between
// units of work and reports through a ProgressSink; the CLI draws a progress line from it, the
// worker turns it into `progress` events, and the GUI into a progress bar.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace ptxwb {

/// Shared flag: set by whoever wants the work to stop, polled by the work.
class CancelToken {
public:
    CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { flag_->store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool cancelled() const { return flag_->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

struct ProgressUpdate {
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    std::string phase;
};

/// Receives progress; may be empty (no one is listening).
using ProgressSink = std::function<void(const ProgressUpdate&)>;

inline void report(const ProgressSink& sink, std::uint64_t done, std::uint64_t total,
                   std::string phase) {
    if (sink) sink(ProgressUpdate{done, total, std::move(phase)});
}

} // namespace ptxwb
