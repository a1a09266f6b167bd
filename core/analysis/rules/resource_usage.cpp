// Rule resource-usage: registers, spills, stack frame and shared memory per kernel, as ptxas
// reports them with -v. Notes by default: these are budgets, not bugs. Skipped silently when
// ptxas is not installed (the CLI says so in --summary).
#include "analysis/rule.h"
#include "util/subprocess.h"

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <unistd.h>

namespace ptxwb::analysis {
namespace {

struct KernelResources {
    std::uint32_t registers = 0, stack = 0, spillStores = 0, spillLoads = 0, shared = 0;
};

/// Parses `ptxas -v` output: "Compiling entry function 'K' for 'sm_80'", "N bytes stack frame,
/// N bytes spill stores, N bytes spill loads", "Used N registers, N bytes smem, ...".
std::map<std::string, KernelResources> parsePtxasOutput(const std::string& text) {
    static const std::regex function(R"(Compiling entry function '([^']+)')");
    static const std::regex properties(R"(Function properties for (\S+))");
    static const std::regex frame(
        R"((\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads)");
    static const std::regex used(R"(Used (\d+) registers)");
    static const std::regex smem(R"((\d+) bytes smem)");
    std::map<std::string, KernelResources> out;
    std::string current;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        std::smatch m;
        if (std::regex_search(line, m, function) || std::regex_search(line, m, properties)) {
            current = m[1];
            out[current];
        } else if (!current.empty() && std::regex_search(line, m, frame)) {
            auto& r = out[current];
            r.stack = static_cast<std::uint32_t>(std::stoul(m[1]));
            r.spillStores = static_cast<std::uint32_t>(std::stoul(m[2]));
            r.spillLoads = static_cast<std::uint32_t>(std::stoul(m[3]));
        } else if (!current.empty() && std::regex_search(line, m, used)) {
            auto& r = out[current];
            r.registers = static_cast<std::uint32_t>(std::stoul(m[1]));
            if (std::regex_search(line, m, smem))
                r.shared = static_cast<std::uint32_t>(std::stoul(m[1]));
        }
    }
    return out;
}

/// The text in a file of its own under $TMPDIR, removed when this goes out of scope; an empty
/// path when the file could not be written.
class TemporaryPtx {
public:
    explicit TemporaryPtx(std::string_view text) {
        const char* dir = std::getenv("TMPDIR");
        std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/ptxwb-ptxas-XXXXXX";
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0) return;
        std::size_t written = 0;
        while (written < text.size()) {
            const auto n = ::write(fd, text.data() + written, text.size() - written);
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        ::close(fd);
        if (written == text.size())
            path_ = pattern;
        else
            ::unlink(pattern.c_str());
    }
    TemporaryPtx(const TemporaryPtx&) = delete;
    TemporaryPtx& operator=(const TemporaryPtx&) = delete;
    ~TemporaryPtx() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

} // namespace

void checkResourceUsage(const SourceText& source, const std::vector<KernelUnit>& kernels,
                        const AnalysisOptions& options, FindingSink& sink) {
    if (options.ptxasPath.empty() || kernels.empty()) return;
    std::string arch = options.ptxasArch;
    const ptx::Module& module = *kernels.front().ir->module;
    if (arch.empty() && !module.targets.empty()) arch = std::string(module.text(module.targets[0]));
    std::vector<std::string> argv{options.ptxasPath, "-v"};
    if (!arch.empty()) argv.insert(argv.end(), {"--gpu-name", arch});
    // ptxas reads a file: the text analysed (an editor buffer, NVRTC output of a .cu source)
    // need not exist on disk as it is, so it goes through a temporary copy.
    const TemporaryPtx copy(source.text());
    if (copy.path().empty()) return;
    argv.insert(argv.end(), {copy.path(), "-o", "/dev/null"});
    auto child = Subprocess::spawn(argv, /*captureStderr=*/true);
    if (!child) return; // no ptxas on this machine
    child->closeInput();
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
        auto line = child->readLine(deadline);
        if (!line || !*line) break;
        output += **line;
        output += '\n';
    }
    const auto exit = child->wait();
    // Messages name the temporary copy; say the source's name instead.
    for (auto at = output.find(copy.path()); at != std::string::npos;
         at = output.find(copy.path(), at + source.fileName().size()))
        output.replace(at, copy.path().size(), source.fileName());
    if (!exit.exitCode || *exit.exitCode != 0) {
        if (exit.exitCode && *exit.exitCode == 127) return; // exec failed: ptxas absent
        const auto first = output.substr(0, output.find('\n'));
        Finding& f = sink.report(
            source, "", kernels.front().ir->declaration,
            fmt::format("ptxas could not compile this module ({}): {}", exit.describe(), first));
        (void)f;
        return;
    }
    const auto usage = parsePtxasOutput(output);
    for (const auto& unit : kernels) {
        auto it = usage.find(std::string(unit.ir->name));
        if (it == usage.end() || !unit.ir->isEntry) continue;
        const auto& r = it->second;
        std::vector<std::string> over;
        if (r.registers > options.maxRegisters)
            over.push_back(
                fmt::format("{} registers (threshold {})", r.registers, options.maxRegisters));
        if (r.spillStores + r.spillLoads > options.maxSpillBytes)
            over.push_back(fmt::format("{} bytes spill stores and {} bytes spill loads",
                                       r.spillStores, r.spillLoads));
        if (r.stack > options.maxStackBytes)
            over.push_back(
                fmt::format("{} bytes stack frame (threshold {})", r.stack, options.maxStackBytes));
        if (r.shared > options.maxSharedBytes)
            over.push_back(fmt::format("{} bytes shared memory (threshold {})", r.shared,
                                       options.maxSharedBytes));
        if (over.empty()) continue;
        std::string list;
        for (const auto& o : over)
            list += (list.empty() ? "" : ", ") + o;
        sink.report(source, unit.ir->name, unit.ir->declaration,
                    fmt::format("ptxas{}: {}", arch.empty() ? "" : " (" + arch + ")", list));
    }
}

} // namespace ptxwb::analysis
