#include "util/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

namespace ptxwb {

ThreadPool::ThreadPool(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i)
        workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_)
        t.join();
}

void ThreadPool::workerLoop() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
            if (stopping_ && tasks_.empty()) return;
            task = std::move(tasks_.front());
            tasks_.pop();
        }
        task();
    }
}

void ThreadPool::parallelFor(std::size_t n, std::size_t grain,
                             const std::function<void(std::size_t, std::size_t)>& body) {
    if (n == 0) return;
    grain = std::max<std::size_t>(1, grain);
    const std::size_t chunks = (n + grain - 1) / grain;
    if (chunks == 1 || workers_.size() <= 1) {
        for (std::size_t begin = 0; begin < n; begin += grain)
            body(begin, std::min(n, begin + grain));
        return;
    }
    // Shared state outlives this call: helper tasks that start after the last chunk finished
    // still read it (and find nothing to do), so it must not live on this stack frame.
    struct LoopState {
        std::atomic<std::size_t> next{0};
        std::atomic<std::size_t> remaining{0};
        std::mutex mutex;
        std::condition_variable done;
        std::exception_ptr failure;
    };
    auto state = std::make_shared<LoopState>();
    state->remaining = chunks;
    const auto* bodyPtr = &body;
    auto runChunks = [state, bodyPtr, chunks, grain, n] {
        for (;;) {
            std::size_t c = state->next.fetch_add(1);
            if (c >= chunks) return;
            std::size_t begin = c * grain;
            try {
                (*bodyPtr)(begin, std::min(n, begin + grain));
            } catch (...) {
                std::lock_guard lock(state->mutex);
                if (!state->failure) state->failure = std::current_exception();
            }
            std::lock_guard lock(state->mutex);
            if (--state->remaining == 0) state->done.notify_all();
        }
    };
    const std::size_t helpers = std::min<std::size_t>(workers_.size(), chunks) - 1;
    {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < helpers; ++i)
            tasks_.push(runChunks);
    }
    wake_.notify_all();
    runChunks(); // the calling thread works too, so nested use cannot deadlock on a full pool
    std::unique_lock lock(state->mutex);
    state->done.wait(lock, [&] { return state->remaining.load() == 0; });
    if (state->failure) std::rethrow_exception(state->failure);
}

ThreadPool& ThreadPool::shared() {
    static ThreadPool pool;
    return pool;
}

} // namespace ptxwb
