#pragma once
// How the CLI talks to people: errors as "ptxwb: error: <where>: <what>", a progress line on
// stderr for long work, and the exit code that goes with each error kind.

#include "util/error.h"
#include "util/progress.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace ptxwb::cli {

/// How progress reaches stderr: a self-overwriting line for people, or one JSON object per
/// line for programs (ptxwb-gui's Run dock) that drive the CLI (--progress-format jsonl).
enum class ProgressFormat { Line, Jsonl };
/// Set once after parsing; every ProgressLine of the process follows it.
void setProgressFormat(ProgressFormat format);
[[nodiscard]] ProgressFormat progressFormat();
/// In jsonl mode prints `event` as one line on stderr ({"event": "...", ...}); otherwise nothing.
void printEvent(const nlohmann::json& event);

/// Prints `ptxwb: error: ...` (with notes) to stderr and returns the error's exit code.
int printError(const Error& error);
/// Prints a usage error to stderr (exit code 2 is the caller's to return).
void printUsageError(const std::string& message);
void printWarning(const std::string& message);

/// A single self-overwriting line on stderr ("[ 12/40] parity Q6K M=4"), drawn only when stderr
/// is a terminal and not disabled, at most ~20 times a second. In jsonl mode each update is a
/// line {"event":"progress","phase":...,"done":...,"total":...} instead (terminal or not).
class ProgressLine {
public:
    explicit ProgressLine(bool enabled);
    ~ProgressLine();
    void update(const ProgressUpdate& update);
    /// A ProgressSink that draws on this line.
    ProgressSink sink();
    /// Clears the line (call before printing results).
    void finish();

private:
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point lastDraw_{};
};

} // namespace ptxwb::cli
