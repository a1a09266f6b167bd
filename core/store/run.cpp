#include "store/run.h"

#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <random>

namespace ptxwb::store {

RunSummary summarize(const Run& run) {
    RunSummary s;
    s.uuid = run.uuid;
    s.command = run.command;
    s.commandLine = run.commandLine;
    s.startedUnixMs = run.startedUnixMs;
    s.endedUnixMs = run.endedUnixMs;
    s.status = run.status;
    s.statusReason = run.statusReason;
    s.environment = run.environment;
    s.labels = run.labels;
    s.checkCount = static_cast<std::uint32_t>(run.checks.size());
    for (const auto& c : run.checks) {
        if (isFailing(c.status)) ++s.failedCheckCount;
    }
    s.findingCount = static_cast<std::uint32_t>(run.findings.size());
    return s;
}

std::string newRunUuid() {
    // random_device reads the kernel's entropy pool; two nodes of a cluster job array must never
    // collide, which a time-seeded generator cannot promise.
    static thread_local std::random_device device;
    std::array<std::uint8_t, 16> b{};
    for (std::size_t i = 0; i < b.size(); i += 4) {
        std::uint32_t r = device();
        for (std::size_t k = 0; k < 4; ++k)
            b[i + k] = static_cast<std::uint8_t>(r >> (8 * k));
    }
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += fmt::format("{:02x}", b[i]);
    }
    return out;
}

std::int64_t nowUnixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string formatUtc(std::int64_t unixMs) {
    std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    int millis = static_cast<int>(unixMs % 1000);
    if (millis < 0) {
        millis += 1000;
        --seconds;
    }
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

std::string shellCommandLine(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& arg : argv) {
        if (!out.empty()) out += ' ';
        bool plain = !arg.empty();
        for (char c : arg) {
            bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
            if (!safe) plain = false;
        }
        if (plain) {
            out += arg;
            continue;
        }
        // Single quotes keep everything literal; an embedded ' becomes '\''.
        out += '\'';
        for (char c : arg) {
            if (c == '\'') {
                out += "'\\''";
            } else {
                out += c;
            }
        }
        out += '\'';
    }
    return out;
}

} // namespace ptxwb::store
