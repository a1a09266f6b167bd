#pragma once
// Errors as values: every failure a user can cause becomes an Error with a kind (which maps to a
// documented exit code) and, where it has one, a location in the offending file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ptxwb {

/// What went wrong, in the terms the CLI maps to exit codes (see README "Exit codes").
enum class ErrorKind {
    Usage,       ///< bad command line or request (exit 2)
    BadInput,    ///< malformed or unreadable input file: PTX, GGUF, manifest, database (exit 3)
    Environment, ///< missing GPU, driver, NVRTC or other run-time facility (exit 4)
    GpuFault,    ///< a CUDA error while running GPU work (exit 5)
    Internal,    ///< a bug in ptxwb or an unexpected system failure (exit 5)
    Cancelled,   ///< the user cancelled long work (exit 5)
};

/// Where in a file an error is: a text position (1-based line and column) or a byte offset.
struct ErrorLocation {
    std::string path;
    std::optional<std::uint32_t> line;
    std::optional<std::uint32_t> column;
    std::optional<std::uint64_t> byteOffset;

    static ErrorLocation text(std::string path, std::uint32_t line, std::uint32_t column);
    static ErrorLocation bytes(std::string path, std::uint64_t offset);
    static ErrorLocation file(std::string path);

    /// "path:line:col", "path:byte N" or "path".
    [[nodiscard]] std::string format() const;
};

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string message;
    std::optional<ErrorLocation> location;
    std::vector<std::string> notes;
    /// The process that hit this error cannot do further work (a sticky CUDA error such as an
    /// illegal address corrupts the context): a worker reporting it must be replaced.
    bool poisonsProcess = false;

    Error() = default;
    Error(ErrorKind k, std::string msg) : kind(k), message(std::move(msg)) {}
    Error(ErrorKind k, std::string msg, ErrorLocation where)
        : kind(k), message(std::move(msg)), location(std::move(where)) {}

    /// Adds context in front of the message ("reading model.gguf: ...").
    Error& withContext(const std::string& context);
    Error& withNote(std::string note);

    /// "path:line:col: message" followed by one "note: ..." line per note.
    [[nodiscard]] std::string format() const;
};

/// The process exit code the CLI uses for an error of this kind.
[[nodiscard]] int exitCodeFor(ErrorKind kind);
[[nodiscard]] const char* errorKindName(ErrorKind kind);

/// Documented exit codes of every ptxwb command.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int checksFailed = 1;
inline constexpr int usage = 2;
inline constexpr int badInput = 3;
inline constexpr int environment = 4;
inline constexpr int fault = 5;
} // namespace exit_code

} // namespace ptxwb
