#pragma once
// The analyzer's front door: give it parsed modules, contracts and pairs, pick rules, run.
// Lowering and dataflow happen once per kernel when a module is added; every rule then reads
// the shared KernelIR/KernelDataflow, so analysis costs about one more pass over the AST.

#include "analysis/contract.h"
#include "analysis/finding.h"
#include "analysis/rule.h"
#include "ptx/ast.h"
#include "util/expected.h"

#include <memory>
#include <string>
#include <vector>

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

    /// Restricts the run to these rule ids (default: all). Unknown ids are a Usage error.
    Status selectRules(const std::vector<std::string>& ids);
    /// Contracts from a manifest; kernels without one get inferContract().
    void setContracts(std::vector<KernelContract> contracts);
    /// Compares `single` with `batched` (entry names) in pair-divergence.
    void addPair(std::string single, std::string batched);
    /// Lowers the module's kernels and builds their dataflow. `text` must be the module's
    /// source buffer and outlive the Analyzer, as must `module`.
    void addModule(std::string path, const ptx::Module& module);
    /// Runs the selected rules.
    [[nodiscard]] AnalysisReport run() const;

private:
    struct ModuleState;
    [[nodiscard]] KernelContract contractFor(const KernelIR& k) const;
    AnalysisOptions options_;
    std::vector<const RuleInfo*> rules_;
    std::vector<KernelContract> contracts_;
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::vector<std::unique_ptr<ModuleState>> modules_;
};

} // namespace ptxwb::analysis
