#include "worker/server.h"

#include "worker/job.h"
#include "worker/protocol.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unistd.h>
#if defined(__linux__)
#include <csignal>
#include <sys/prctl.h>
#endif

namespace ptxwb::worker {

namespace {

using nlohmann::json;

/// Serialises event lines onto the protocol descriptor from any thread.
class EventWriter {
public:
    explicit EventWriter(int fd) : fd_(fd) {}
    void send(json event) {
        event["protocol"] = kProtocolVersion;
        std::string line = event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
        std::lock_guard lock(mutex_);
        const char* p = line.data();
        std::size_t left = line.size();
        while (left > 0) {
            ssize_t n = ::write(fd_, p, left);
            if (n <= 0) return; // the parent went away; nothing useful left to do
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }

private:
    int fd_;
    std::mutex mutex_;
};

/// Requests read by the input thread, consumed by the job loop.
struct RequestQueue {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<json> runs;
    bool closed = false;
    std::string currentId;
    CancelToken currentCancel;
};

void readRequests(RequestQueue& queue, EventWriter& events) {
    std::string line;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = line.find('\n')) != std::string::npos) {
            std::string text = line.substr(0, nl);
            line.erase(0, nl + 1);
            if (text.empty()) continue;
            std::string why;
            auto msg = parseMessage(text, why);
            if (!msg) {
                events.send(
                    json{{"event", "error"},
                         {"id", nullptr},
                         {"error", errorToJson(Error(ErrorKind::Usage, "bad request: " + why))}});
                continue;
            }
            std::string type = msg->value("type", std::string());
            std::lock_guard lock(queue.mutex);
            if (type == "run") {
                queue.runs.push_back(std::move(*msg));
            } else if (type == "cancel") {
                if (msg->value("id", std::string()) == queue.currentId)
                    queue.currentCancel.cancel();
            } else if (type == "shutdown") {
                queue.closed = true;
            } else {
                events.send(json{
                    {"event", "error"},
                    {"id", msg->value("id", json())},
                    {"error",
                     errorToJson(Error(ErrorKind::Usage, "unknown request type '" + type + "'"))}});
            }
            queue.ready.notify_all();
        }
    }
    std::lock_guard lock(queue.mutex);
    queue.closed = true;
    queue.ready.notify_all();
}

/// Runs one job; returns false when the worker must exit afterwards (poisoned process).
bool runOne(const json& request, RequestQueue& queue, EventWriter& events) {
    const std::string id = request.value("id", std::string());
    const std::string name = request.value("job", std::string());
    auto sendError = [&](const Error& e) {
        events.send(json{{"event", "error"}, {"id", id}, {"error", errorToJson(e)}});
    };
    const JobHandler* handler = findJob(name);
    if (handler == nullptr) {
        sendError(Error(ErrorKind::Usage, "unknown job '" + name + "'"));
        return true;
    }
    JobContext ctx;
    {
        std::lock_guard lock(queue.mutex);
        queue.currentId = id;
        queue.currentCancel = CancelToken();
        ctx.cancel = queue.currentCancel;
    }
    ctx.progress = [&](const ProgressUpdate& u) {
        events.send(json{{"event", "progress"},
                         {"id", id},
                         {"done", u.done},
                         {"total", u.total},
                         {"phase", u.phase}});
    };
    ctx.log = [&](const std::string& message) {
        events.send(json{{"event", "log"}, {"id", id}, {"message", message}});
    };
    bool keepGoing = true;
    try {
        auto result = (*handler)(request.value("params", json::object()), ctx);
        if (result) {
            events.send(json{{"event", "result"}, {"id", id}, {"result", std::move(*result)}});
        } else {
            sendError(result.error());
            keepGoing = !result.error().poisonsProcess;
        }
    } catch (const std::exception& ex) {
        sendError(Error(ErrorKind::Internal, std::string("job threw an exception: ") + ex.what()));
    }
    std::lock_guard lock(queue.mutex);
    queue.currentId.clear();
    return keepGoing;
}

} // namespace

int serveWorker(const std::string& version) {
#if defined(__linux__)
    // A worker whose parent dies (a CLI killed with SIGKILL, a crashed GUI) must not keep its GPU
    // context and run on: the kernel sends it SIGKILL when the thread that started it exits. A
    // parent that died before the request took effect shows as a changed parent pid.
    const pid_t parent = ::getppid();
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && ::getppid() != parent) return 5;
#endif
    // Keep the real stdout for the protocol; send fd 1 to stderr.
    int protocolFd = ::dup(STDOUT_FILENO);
    if (protocolFd < 0) return 5;
    std::fflush(stdout);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);

    // Both live until process exit: the detached reader thread may still touch them.
    auto& events = *new EventWriter(protocolFd);
    events.send(json{{"event", "hello"},
                     {"pid", static_cast<long>(::getpid())},
                     {"version", version},
                     {"jobs", registeredJobNames()}});

    auto& queue = *new RequestQueue;
    std::thread reader([&] { readRequests(queue, events); });
    reader.detach(); // blocked in read(); the process exit ends it
    for (;;) {
        json request;
        {
            std::unique_lock lock(queue.mutex);
            queue.ready.wait(lock, [&] { return queue.closed || !queue.runs.empty(); });
            if (queue.runs.empty()) break;
            request = std::move(queue.runs.front());
            queue.runs.pop_front();
        }
        if (!runOne(request, queue, events)) {
            ::close(protocolFd);
            return 5;
        }
    }
    ::close(protocolFd);
    return 0;
}

} // namespace ptxwb::worker
