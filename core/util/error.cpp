#include "util/error.h"

#include <fmt/format.h>

namespace ptxwb {

ErrorLocation ErrorLocation::text(std::string path, std::uint32_t line, std::uint32_t column) {
    ErrorLocation loc;
    loc.path = std::move(path);
    loc.line = line;
    loc.column = column;
    return loc;
}

ErrorLocation ErrorLocation::bytes(std::string path, std::uint64_t offset) {
    ErrorLocation loc;
    loc.path = std::move(path);
    loc.byteOffset = offset;
    return loc;
}

ErrorLocation ErrorLocation::file(std::string path) {
    ErrorLocation loc;
    loc.path = std::move(path);
    return loc;
}

std::string ErrorLocation::format() const {
    if (line && column) return fmt::format("{}:{}:{}", path, *line, *column);
    if (line) return fmt::format("{}:{}", path, *line);
    if (byteOffset) return fmt::format("{}: byte {}", path, *byteOffset);
    return path;
}

Error& Error::withContext(const std::string& context) {
    message = context + ": " + message;
    return *this;
}

Error& Error::withNote(std::string note) {
    notes.push_back(std::move(note));
    return *this;
}

std::string Error::format() const {
    std::string out = location ? fmt::format("{}: {}", location->format(), message) : message;
    for (const auto& note : notes)
        out += fmt::format("\nnote: {}", note);
    return out;
}

int exitCodeFor(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Usage:
        return exit_code::usage;
    case ErrorKind::BadInput:
        return exit_code::badInput;
    case ErrorKind::Environment:
        return exit_code::environment;
    case ErrorKind::GpuFault:
    case ErrorKind::Internal:
    case ErrorKind::Cancelled:
        return exit_code::fault;
    }
    return exit_code::fault;
}

const char* errorKindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Usage:
        return "usage";
    case ErrorKind::BadInput:
        return "bad-input";
    case ErrorKind::Environment:
        return "environment";
    case ErrorKind::GpuFault:
        return "gpu-fault";
    case ErrorKind::Internal:
        return "internal";
    case ErrorKind::Cancelled:
        return "cancelled";
    }
    return "internal";
}

} // namespace ptxwb
