#include "cli_output.h"

#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

namespace ptxwb::cli {

namespace {
ProgressFormat& currentProgressFormat() {
    static ProgressFormat format = ProgressFormat::Line;
    return format;
}
} // namespace

void setProgressFormat(ProgressFormat format) {
    currentProgressFormat() = format;
}

ProgressFormat progressFormat() {
    return currentProgressFormat();
}

void printEvent(const nlohmann::json& event) {
    if (progressFormat() != ProgressFormat::Jsonl) return;
    // One write per event so lines of the worker's log and ours never interleave mid-line.
    std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

int printError(const Error& error) {
    std::string text = error.location
                           ? fmt::format("{}: {}", error.location->format(), error.message)
                           : error.message;
    fmt::print(stderr, "ptxwb: error: {}\n", text);
    for (const auto& note : error.notes)
        fmt::print(stderr, "ptxwb: note: {}\n", note);
    return exitCodeFor(error.kind);
}

void printUsageError(const std::string& message) {
    fmt::print(stderr, "ptxwb: error: {}\n", message);
}

void printWarning(const std::string& message) {
    fmt::print(stderr, "ptxwb: warning: {}\n", message);
}

ProgressLine::ProgressLine(bool enabled)
    : enabled_(enabled &&
               (progressFormat() == ProgressFormat::Jsonl || ::isatty(STDERR_FILENO) != 0)) {}

ProgressLine::~ProgressLine() {
    finish();
}

void ProgressLine::update(const ProgressUpdate& update) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    bool last = update.total > 0 && update.done >= update.total;
    if (!last && drawn_ && now - lastDraw_ < std::chrono::milliseconds(50)) return;
    lastDraw_ = now;
    if (progressFormat() == ProgressFormat::Jsonl) {
        printEvent({{"event", "progress"},
                    {"phase", update.phase},
                    {"done", update.done},
                    {"total", update.total}});
        return; // nothing drawn: finish() has no line to clear
    }
    std::string line = update.total > 0
                           ? fmt::format("[{:>4}/{}] {}", update.done, update.total, update.phase)
                           : fmt::format("[....] {}", update.phase);
    if (line.size() > 100) line.resize(100);
    fmt::print(stderr, "\r\033[K{}", line);
    std::fflush(stderr);
    drawn_ = true;
}

ProgressSink ProgressLine::sink() {
    return [this](const ProgressUpdate& u) { update(u); };
}

void ProgressLine::finish() {
    if (drawn_) {
        fmt::print(stderr, "\r\033[K");
        std::fflush(stderr);
        drawn_ = false;
    }
}

} // namespace ptxwb::cli
