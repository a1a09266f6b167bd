#pragma once
// The analyzer's front door: give it parsed modules, contracts and pairs, pick rules, run.
// run() lowers each kernel and builds its dataflow once; every rule then reads the shared
// KernelIR/KernelDataflow, so analysis costs about one more pass over the AST.

#include "analysis/contract.h"
#include "analysis/finding.h"
#include "analysis/rule.h"
#include "ptx/ast.h"
#include "util/expected.h"

#include <memory>
#include <string>
#include <vector>

namespace ptxwb {
class ThreadPool;
}

namespace ptxwb::analysis {

/// One line of `ptxwb analyze --summary`.
struct KernelSummary {
    std::string file;
    std::string kernel;
    std::string variant;       ///< "single" / "batched"
    std::string batchAxis;     ///< "grid.y", "loop", … ("" for single kernels)
    std::string positionMode;  ///< see positionModeOf()
    std::string pairedWith;    ///< the other kernel of its pair, if any
    bool fromManifest = false; ///< false: roles guessed from names
    std::size_t instructions = 0;
};

struct AnalysisReport {
    std::vector<Finding> findings; ///< sorted (sortFindings)
    std::vector<KernelSummary> kernels;
    std::vector<std::string> warnings; ///< e.g. a --pair naming a kernel that does not exist
};

class Analyzer {
public:
    explicit Analyzer(AnalysisOptions options = {});
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    /// Threads for the per-kernel part of run(): 0 (default) uses the process-wide pool, 1 runs
    /// on the calling thread. Results do not depend on it.
    void setThreads(unsigned threads);
    /// Restricts the run to these rule ids (default: all). Unknown ids are a Usage error.
    Status selectRules(const std::vector<std::string>& ids);
    /// Contracts from a manifest; kernels without one get inferContract().
    void setContracts(std::vector<KernelContract> contracts);
    /// Compares `single` with `batched` (entry names) in pair-divergence.
    void addPair(std::string single, std::string batched);
    /// Adds a parsed module; `module` (and the source text it refers to) must outlive the
    /// Analyzer. Kernels are lowered by run().
    void addModule(std::string path, const ptx::Module& module);
    /// Runs the selected rules.
    [[nodiscard]] AnalysisReport run() const;

private:
    struct ModuleState;
    [[nodiscard]] KernelContract contractFor(const ptx::Module& m, const ptx::Function& f) const;
    AnalysisOptions options_;
    unsigned threads_ = 0;
    std::unique_ptr<ThreadPool> ownPool_;
    std::vector<const RuleInfo*> rules_;
    std::vector<KernelContract> contracts_;
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::vector<std::unique_ptr<ModuleState>> modules_;
};

} // namespace ptxwb::analysis
