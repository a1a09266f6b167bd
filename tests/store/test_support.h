#pragma once
// Helpers shared by the store and report tests: scratch directories, whole-file reads and
// running the built ptxwb CLI.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace ptxwb::testing_support {

/// A fresh directory under $TMPDIR, removed with everything in it at scope exit.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ptxwb-test-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

struct CliResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Single-quotes an argument for /bin/sh.
inline std::string shellQuote(const std::string& arg) {
    std::string q = "'";
    for (char c : arg)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

/// Runs the ptxwb CLI built with the tests, capturing stdout and stderr separately.
inline CliResult runCli(const std::vector<std::string>& args, const std::string& scratchDir) {
    std::string cmd = shellQuote(PTXWB_CLI_PATH);
    for (const auto& a : args)
        cmd += " " + shellQuote(a);
    const std::string outPath = scratchDir + "/cli.stdout";
    const std::string errPath = scratchDir + "/cli.stderr";
    cmd += " >" + shellQuote(outPath) + " 2>" + shellQuote(errPath);
    int status = std::system(cmd.c_str());
    CliResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = readBytes(outPath);
    r.err = readBytes(errPath);
    return r;
}

} // namespace ptxwb::testing_support
