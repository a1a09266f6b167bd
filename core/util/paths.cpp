#include "util/paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace ptxwb {

namespace {
std::string homeDir() {
    const char* home = std::getenv("HOME");
    return (home != nullptr && *home != '\0') ? home : "/tmp";
}

std::string xdgDir(const char* variable, const char* fallbackUnderHome) {
    const char* value = std::getenv(variable);
    std::string base = (value != nullptr && *value == '/') ? value : homeDir() + fallbackUnderHome;
    return base + "/ptxwb";
}
} // namespace

std::string userDataDir() {
    return xdgDir("XDG_DATA_HOME", "/.local/share");
}
std::string userCacheDir() {
    return xdgDir("XDG_CACHE_HOME", "/.cache");
}
std::string defaultHistoryDatabase() {
    return userDataDir() + "/history.sqlite";
}

Status makeDirectories(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        return makeError(ErrorKind::Environment, "cannot create directory: " + ec.message(),
                         ErrorLocation::file(path));
    }
    return {};
}

} // namespace ptxwb
