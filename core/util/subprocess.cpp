#include "util/subprocess.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ptxwb {

std::string ChildExit::describe() const {
    if (exitCode) return fmt::format("exited with code {}", *exitCode);
    if (signal) return fmt::format("killed by signal {} ({})", *signal, ::strsignal(*signal));
    return "state unknown";
}

namespace {
ChildExit fromStatus(int status) {
    ChildExit e;
    if (WIFEXITED(status)) e.exitCode = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
    return e;
}
} // namespace

Expected<Subprocess> Subprocess::spawn(const std::vector<std::string>& argv, bool captureStderr) {
    if (argv.empty()) return makeError(ErrorKind::Internal, "spawn: empty argv");
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return makeError(ErrorKind::Internal, "pipe failed");
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return makeError(ErrorKind::Internal, "pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (captureStderr) posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    // The child gets default signal handling even if the parent ignores SIGPIPE.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = argv[0].find('/') != std::string::npos
                 ? ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ)
                 : ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        return makeError(ErrorKind::Environment,
                         fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
    }
    Subprocess p;
    p.pid_ = pid;
    p.stdinFd_ = in[1];
    p.stdoutFd_ = out[0];
    return p;
}

Subprocess::Subprocess(Subprocess&& other) noexcept
    : pid_(other.pid_), stdinFd_(other.stdinFd_), stdoutFd_(other.stdoutFd_),
      buffer_(std::move(other.buffer_)) {
    other.pid_ = -1;
    other.stdinFd_ = -1;
    other.stdoutFd_ = -1;
}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
    if (this != &other) {
        if (running()) kill();
        closeAll();
        pid_ = other.pid_;
        stdinFd_ = other.stdinFd_;
        stdoutFd_ = other.stdoutFd_;
        buffer_ = std::move(other.buffer_);
        other.pid_ = -1;
        other.stdinFd_ = -1;
        other.stdoutFd_ = -1;
    }
    return *this;
}

Subprocess::~Subprocess() {
    if (running()) kill();
    closeAll();
}

void Subprocess::closeAll() {
    if (stdinFd_ >= 0) ::close(stdinFd_);
    if (stdoutFd_ >= 0) ::close(stdoutFd_);
    stdinFd_ = -1;
    stdoutFd_ = -1;
}

Status Subprocess::write(std::string_view data) {
    if (stdinFd_ < 0) return makeError(ErrorKind::Internal, "child stdin is closed");
    while (!data.empty()) {
        // MSG_NOSIGNAL does not apply to pipes; block SIGPIPE for this thread instead.
        sigset_t block;
        sigset_t old;
        sigemptyset(&block);
        sigaddset(&block, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        ssize_t n = ::write(stdinFd_, data.data(), data.size());
        int err = errno;
        if (n < 0 && err == EPIPE) {
            struct timespec zero {};
            sigtimedwait(&block, nullptr, &zero); // discard the pending SIGPIPE
        }
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        if (n < 0) {
            if (err == EINTR) continue;
            return makeError(ErrorKind::Internal,
                             fmt::format("writing to child: {}", std::strerror(err)));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

void Subprocess::closeInput() {
    if (stdinFd_ >= 0) ::close(stdinFd_);
    stdinFd_ = -1;
}

Expected<std::optional<std::string>>
Subprocess::readLine(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        auto nl = buffer_.find('\n');
        if (nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return std::optional<std::string>(std::move(line));
        }
        if (stdoutFd_ < 0) return makeError(ErrorKind::Internal, "child stdout is closed");
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return std::optional<std::string>();
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        struct pollfd pfd {
            stdoutFd_, POLLIN, 0
        };
        int rc = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(ms + 1, 1 << 30)));
        if (rc < 0) {
            if (errno == EINTR) continue;
            return makeError(ErrorKind::Internal, "poll failed on child stdout");
        }
        if (rc == 0) continue;
        char chunk[65536];
        ssize_t n = ::read(stdoutFd_, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return makeError(ErrorKind::Internal, "read failed on child stdout");
        }
        if (n == 0) return makeError(ErrorKind::Internal, "child closed its output");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

ChildExit Subprocess::kill() {
    if (pid_ <= 0) return {};
    ::kill(pid_, SIGKILL);
    return wait();
}

ChildExit Subprocess::wait() {
    if (pid_ <= 0) return {};
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    closeAll();
    return fromStatus(status);
}

std::optional<ChildExit> Subprocess::poll() {
    if (pid_ <= 0) return ChildExit{};
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0) return std::nullopt;
    pid_ = -1;
    closeAll();
    return fromStatus(status);
}

std::string currentExecutablePath() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    return std::string(buf, static_cast<std::size_t>(n));
}

} // namespace ptxwb
