#pragma once
// A fixed pool of worker threads for data-parallel CPU work (reference math, dequantisation).
// parallelFor splits [0, n) into contiguous chunks whose boundaries depend only on n and the
// chunk size, never on timing, so results that are reduced per chunk are thread-count stable.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace ptxwb {

class ThreadPool {
public:
    /// `threads == 0` picks std::thread::hardware_concurrency().
    explicit ThreadPool(unsigned threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    [[nodiscard]] unsigned size() const { return static_cast<unsigned>(workers_.size()); }

    /// Calls body(begin, end) over [0, n) in chunks of at most `grain` items and waits for all.
    void parallelFor(std::size_t n, std::size_t grain,
                     const std::function<void(std::size_t, std::size_t)>& body);

    /// A process-wide pool sized to the machine.
    static ThreadPool& shared();

private:
    void workerLoop();
    std::vector<std::thread> workers_;
    std::queue<std::function<void()>> tasks_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

} // namespace ptxwb
