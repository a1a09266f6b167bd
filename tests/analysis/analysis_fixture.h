#pragma once
// Test helpers: parse PTX (fixture files or inline text) and run the analyzer over it.

#include "analysis/analyzer.h"
#include "ptx/ast.h"
#include "ptx/source_manager.h"

#include <memory>
#include <string>
#include <vector>

namespace ptxwb::analysis::test {

/// Parsed modules kept alive together with their buffers; feed them to an Analyzer.
class ParsedFiles {
public:
    /// Adds a file under tests/data (relative path) or an absolute path; fails the test on a
    /// parse error.
    void addFile(const std::string& path);
    /// Adds inline PTX under a display name.
    void addText(const std::string& name, std::string text);
    /// An Analyzer with every module added.
    [[nodiscard]] std::unique_ptr<Analyzer> analyzer(AnalysisOptions options = noPtxas()) const;
    /// Runs all (or the listed) rules.
    [[nodiscard]] AnalysisReport run(const std::vector<std::string>& rules = {},
                                     const std::vector<KernelContract>& contracts = {}) const;
    static AnalysisOptions noPtxas() {
        AnalysisOptions o;
        o.ptxasPath.clear();
        return o;
    }

private:
    ptx::SourceManager sources_;
    std::vector<std::unique_ptr<ptx::Module>> modules_;
    std::vector<std::string> names_;
};

/// Findings of one rule.
[[nodiscard]] std::vector<Finding> ofRule(const AnalysisReport& r, std::string_view rule);
/// Findings of one rule in one kernel.
[[nodiscard]] std::vector<Finding> ofRule(const AnalysisReport& r, std::string_view rule,
                                          std::string_view kernel);
/// "line: message" of each finding, for readable assertions.
[[nodiscard]] std::vector<std::string> lines(const std::vector<Finding>& findings);

/// Path under tests/data.
[[nodiscard]] std::string dataPath(const std::string& relative);
/// nvcc from CUDAToolkit_ROOT, /usr/local/cuda or PATH; "" when absent.
[[nodiscard]] std::string findNvcc();
/// Compiles `cu` to PTX (cached in the build tree by source hash and flags); returns the PTX
/// path, or "" with `error` set.
[[nodiscard]] std::string compileToPtx(const std::string& cu, const std::vector<std::string>& flags,
                                       std::string& error);

} // namespace ptxwb::analysis::test
