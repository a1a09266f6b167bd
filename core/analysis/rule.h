#pragma once
// The rule table: every rule the analyzer knows, with its metadata and its check function.
// Adding a rule means one row in rules.cpp, one check file in rules/, and one page
// resources/rules/<id>.md (embedded at build time; `ptxwb rules explain ID` prints it).

#include "analysis/contract.h"
#include "analysis/dataflow.h"
#include "analysis/finding.h"
#include "analysis/kernel_ir.h"
#include "analysis/source_text.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::analysis {

/// What a rule looks at.
enum class RuleScope : std::uint8_t {
    Kernel, ///< one kernel at a time
    Pair,   ///< a single kernel and its batched variant
    Module, ///< a whole PTX file (e.g. through ptxas)
};

/// Thresholds and tools the rules use; the CLI fills it from flags.
struct AnalysisOptions {
    std::string ptxasPath = "ptxas"; ///< "" disables resource-usage
    std::string ptxasArch;           ///< --gpu-name; "" = the module's .target
    std::uint32_t maxRegisters = 128;
    std::uint32_t maxSpillBytes = 0;
    std::uint32_t maxStackBytes = 0;
    std::uint32_t maxSharedBytes = 48 * 1024;
};

/// One kernel with everything a kernel rule may consult.
struct KernelUnit {
    const SourceText* source = nullptr;
    const KernelIR* ir = nullptr;
    const KernelDataflow* flow = nullptr;
    KernelContract contract;
};

/// Collects findings of one rule; converts AST ranges to located findings.
class FindingSink {
public:
    FindingSink(std::vector<Finding>& out, std::string_view ruleId, Severity severity,
                std::string_view fixHint)
        : out_(out), ruleId_(ruleId), severity_(severity), fixHint_(fixHint) {}

    /// Adds a finding at `range` of `source` in `kernel`; returns it for related notes.
    Finding& report(const SourceText& source, std::string_view kernel, ptx::SourceRange range,
                    std::string message);
    /// Adds a related location to `f`.
    static void relate(Finding& f, const SourceText& source, ptx::SourceRange range,
                       std::string message);
    [[nodiscard]] Severity defaultSeverity() const { return severity_; }

private:
    std::vector<Finding>& out_;
    std::string_view ruleId_;
    Severity severity_;
    std::string_view fixHint_;
};

using KernelCheck = void (*)(const KernelUnit&, const AnalysisOptions&, FindingSink&);
using PairCheck = void (*)(const KernelUnit& single, const KernelUnit& batched,
                           const AnalysisOptions&, FindingSink&);
/// A module rule gets one unit per function with a body. Only the header of its KernelIR is
/// filled (module, functionIndex, name, isEntry, declaration) and flow is null, unless a pair
/// rule kept the kernel whole.
using ModuleCheck = void (*)(const SourceText&, const std::vector<KernelUnit>&,
                             const AnalysisOptions&, FindingSink&);

/// One row of the rule table.
struct RuleInfo {
    std::string_view id;
    std::string_view title;
    Severity severity;
    RuleScope scope;
    std::string_view appliesTo; ///< which kernels, in words ("batched kernels")
    std::string_view fixHint;
    KernelCheck kernelCheck = nullptr;
    PairCheck pairCheck = nullptr;
    ModuleCheck moduleCheck = nullptr;
};

/// Every rule, in documentation order.
[[nodiscard]] std::span<const RuleInfo> allRules();
[[nodiscard]] const RuleInfo* findRule(std::string_view id);
/// The Markdown page of a rule (embedded from resources/rules/<id>.md), or nullopt.
[[nodiscard]] std::optional<std::string_view> ruleDocumentation(std::string_view id);

/// How a kernel gets its position: "none", "direct", "indirect", "batched-positions", or several
/// joined with '+' when the kernel can take more than one path.
[[nodiscard]] std::string positionModeOf(const KernelUnit& unit);

// Check functions, one per file in rules/.
void checkSharedAddress64(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkBatchedRowSelection(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkIndirectPosition(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkPairDivergence(const KernelUnit&, const KernelUnit&, const AnalysisOptions&,
                         FindingSink&);
void checkUninitializedRegister(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkBarrierDivergence(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkSharedRace(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkSharedOutOfBounds(const KernelUnit&, const AnalysisOptions&, FindingSink&);
void checkResourceUsage(const SourceText&, const std::vector<KernelUnit>&, const AnalysisOptions&,
                        FindingSink&);
void checkUnusedParameter(const KernelUnit&, const AnalysisOptions&, FindingSink&);

} // namespace ptxwb::analysis
