#pragma once
// A child process started with posix_spawn (argv, never a shell) with pipes to its stdin and
// stdout. Used by the worker supervisor; kept free of any job protocol.

#include "util/expected.h"

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ptxwb {

/// How a child ended: exit code, or the signal that killed it.
struct ChildExit {
    std::optional<int> exitCode;
    std::optional<int> signal;
    [[nodiscard]] std::string describe() const;
};

class Subprocess {
public:
    /// Starts argv[0] (searched in PATH when it has no '/') with piped stdin/stdout; stderr is
    /// inherited unless `captureStderr`, in which case it is merged into stdout.
    static Expected<Subprocess> spawn(const std::vector<std::string>& argv,
                                      bool captureStderr = false);

    Subprocess() = default;
    Subprocess(Subprocess&& other) noexcept;
    Subprocess& operator=(Subprocess&& other) noexcept;
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;
    /// Kills (SIGKILL) and reaps a child still running.
    ~Subprocess();

    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] bool running() const { return pid_ > 0; }

    /// Writes all of `data` to the child's stdin.
    Status write(std::string_view data);
    /// Closes the child's stdin (end of input).
    void closeInput();
    /// Reads one '\n'-terminated line from stdout, waiting at most until `deadline`.
    /// Returns nullopt on timeout; an error on EOF (the child closed stdout or died).
    Expected<std::optional<std::string>> readLine(std::chrono::steady_clock::time_point deadline);

    /// SIGKILL the child and reap it.
    ChildExit kill();
    /// Waits for the child to exit by itself.
    ChildExit wait();
    /// Reaps the child if it has exited; nullopt while it still runs.
    std::optional<ChildExit> poll();

private:
    void closeAll();
    pid_t pid_ = -1;
    int stdinFd_ = -1;
    int stdoutFd_ = -1;
    std::string buffer_;
};

/// The absolute path of the running executable (/proc/self/exe).
std::string currentExecutablePath();

} // namespace ptxwb
