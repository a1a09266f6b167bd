#include "analysis_fixture.h"

#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "util/mapped_file.h"
#include "util/sha256.h"
#include "util/subprocess.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ptxwb::analysis::test {

std::string dataPath(const std::string& relative) {
    return (fs::path(PTXWB_TEST_DATA_DIR) / relative).string();
}

void ParsedFiles::addFile(const std::string& path) {
    const std::string full = fs::path(path).is_absolute() ? path : dataPath(path);
    auto id = sources_.addFile(full);
    ASSERT_TRUE(id) << id.error().format();
    ptx::DiagnosticList diags;
    modules_.push_back(std::make_unique<ptx::Module>(ptx::parseModule(sources_, *id, diags)));
    for (const auto& d : diags.all())
        ASSERT_NE(d.severity, ptx::Severity::Error) << ptx::formatDiagnostic(sources_, *id, d);
    // Fixtures keep their short relative name in findings; absolute paths (compiled PTX) keep the
    // full path so resource-usage can hand the file to ptxas.
    names_.push_back(path);
}

void ParsedFiles::addText(const std::string& name, std::string text) {
    auto id = sources_.addBuffer(name, std::move(text));
    ptx::DiagnosticList diags;
    modules_.push_back(std::make_unique<ptx::Module>(ptx::parseModule(sources_, id, diags)));
    for (const auto& d : diags.all())
        ASSERT_NE(d.severity, ptx::Severity::Error) << ptx::formatDiagnostic(sources_, id, d);
    names_.push_back(name);
}

std::unique_ptr<Analyzer> ParsedFiles::analyzer(AnalysisOptions options) const {
    auto a = std::make_unique<Analyzer>(std::move(options));
    for (std::size_t i = 0; i < modules_.size(); ++i)
        a->addModule(names_[i], *modules_[i]);
    return a;
}

AnalysisReport ParsedFiles::run(const std::vector<std::string>& rules,
                                const std::vector<KernelContract>& contracts) const {
    auto a = analyzer();
    if (!rules.empty()) {
        EXPECT_TRUE(a->selectRules(rules));
    }
    a->setContracts(contracts);
    return a->run();
}

std::vector<Finding> ofRule(const AnalysisReport& r, std::string_view rule) {
    std::vector<Finding> out;
    for (const auto& f : r.findings)
        if (f.ruleId == rule) out.push_back(f);
    return out;
}

std::vector<Finding> ofRule(const AnalysisReport& r, std::string_view rule,
                            std::string_view kernel) {
    std::vector<Finding> out;
    for (const auto& f : r.findings)
        if (f.ruleId == rule && f.kernel == kernel) out.push_back(f);
    return out;
}

std::vector<std::string> lines(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings)
        out.push_back(fmt::format("{}: {}", f.location.line, f.message));
    return out;
}

std::string findNvcc() {
    std::vector<std::string> candidates;
    if (const char* root = std::getenv("CUDAToolkit_ROOT"))
        candidates.push_back(std::string(root) + "/bin/nvcc");
    candidates.push_back("/usr/local/cuda/bin/nvcc");
    if (const char* path = std::getenv("PATH")) {
        std::string p(path);
        for (std::size_t b = 0, e; b <= p.size(); b = e + 1) {
            e = p.find(':', b);
            if (e == std::string::npos) e = p.size();
            if (e > b) candidates.push_back(p.substr(b, e - b) + "/nvcc");
        }
    }
    for (const auto& c : candidates)
        if (::access(c.c_str(), X_OK) == 0) return c;
    return {};
}

std::string compileToPtx(const std::string& cu, const std::vector<std::string>& flags,
                         std::string& error) {
    const std::string nvcc = findNvcc();
    if (nvcc.empty()) {
        error = "nvcc not found";
        return {};
    }
    auto source = readFileText(cu);
    if (!source) {
        error = source.error().format();
        return {};
    }
    std::string key = *source + nvcc;
    for (const auto& f : flags)
        key += "\n" + f;
    const fs::path dir = PTXWB_ANALYSIS_NVCC_CACHE;
    fs::create_directories(dir);
    const fs::path out =
        dir / (fs::path(cu).stem().string() + "-" + Sha256::hex(key).substr(0, 12) + ".ptx");
    if (fs::exists(out)) return out.string();
    const fs::path tmp = out.string() + "." + std::to_string(::getpid()) + ".tmp";
    std::vector<std::string> argv{nvcc, "-ptx"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {cu, "-o", tmp.string()});
    auto child = Subprocess::spawn(argv, /*captureStderr=*/true);
    if (!child) {
        error = child.error().format();
        return {};
    }
    child->closeInput();
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    for (;;) {
        auto line = child->readLine(deadline);
        if (!line || !*line) break;
        output += **line + "\n";
    }
    const auto exit = child->wait();
    if (!exit.exitCode || *exit.exitCode != 0) {
        error = "nvcc failed (" + exit.describe() + "): " + output;
        return {};
    }
    std::error_code ec;
    fs::rename(tmp, out, ec); // atomic publish: parallel test processes share the cache
    return out.string();
}

} // namespace ptxwb::analysis::test
