#include "analysis/rule.h"

#include <array>

namespace ptxwb::analysis {

// The embedded rule pages (generated from resources/rules/*.md by CMake).
std::optional<std::string_view> embeddedRulePage(std::string_view id);

namespace {

constexpr std::array kRules{
    RuleInfo{"shared-address-64bit", "Shared memory addressed through a 64-bit register",
             Severity::Error, RuleScope::Kernel, "all kernels",
             "form shared addresses in 32-bit registers: mov.u32 %r, sym; add.s32; "
             "ld.shared [%r] (cvta.to.shared.u32 for generic pointers)",
             checkSharedAddress64},
    RuleInfo{"batched-row-selection", "Batched kernel does not select its row everywhere",
             Severity::Error, RuleScope::Kernel, "batched kernels",
             "offset every batch-indexed pointer (inputs and outputs) by the batch row "
             "(%ctaid.y * row stride, or the batch-loop index)",
             checkBatchedRowSelection},
    RuleInfo{"indirect-position", "Position or sequence length read through a pointer",
             Severity::Note, RuleScope::Kernel, "kernels with position parameters",
             "make sure the buffer is rewritten before every launch or graph replay",
             checkIndirectPosition},
    RuleInfo{"pair-divergence", "Batched kernel diverges from its single-row kernel",
             Severity::Warning, RuleScope::Pair, "single/batched kernel pairs",
             "derive the batched kernel from the single kernel's code path; keep constants, "
             "reduction order and shared-memory layout identical",
             nullptr, checkPairDivergence},
    RuleInfo{"uninitialized-register", "Register read before any write on some path",
             Severity::Warning, RuleScope::Kernel, "all kernels",
             "initialise the register on every path that reaches the read",
             checkUninitializedRegister},
    RuleInfo{"barrier-divergence", "Barrier under a thread-dependent branch", Severity::Warning,
             RuleScope::Kernel, "all kernels",
             "move the barrier out of the branch so every thread of the CTA reaches it",
             checkBarrierDivergence},
    RuleInfo{"shared-race", "Shared store and load without a barrier between them",
             Severity::Warning, RuleScope::Kernel, "all kernels",
             "put bar.sync (or bar.warp.sync within a warp) between the store and the load",
             checkSharedRace},
    RuleInfo{"shared-out-of-bounds", "Constant offset past the end of a .shared array",
             Severity::Error, RuleScope::Kernel, "all kernels",
             "enlarge the .shared array or fix the offset", checkSharedOutOfBounds},
    RuleInfo{"resource-usage", "Registers, spills, stack or shared memory above thresholds",
             Severity::Note, RuleScope::Module, "all kernels (needs ptxas)",
             "reduce live values, bound register use with .maxnreg/__launch_bounds__, or "
             "shrink shared buffers",
             nullptr, nullptr, checkResourceUsage},
    RuleInfo{"unused-parameter", "Kernel parameter never read", Severity::Note, RuleScope::Kernel,
             "all kernels",
             "remove the parameter or use it (an unused dimension often means a "
             "missing bounds check)",
             checkUnusedParameter},
};

} // namespace

std::span<const RuleInfo> allRules() {
    return kRules;
}

const RuleInfo* findRule(std::string_view id) {
    for (const auto& r : kRules)
        if (r.id == id) return &r;
    return nullptr;
}

std::optional<std::string_view> ruleDocumentation(std::string_view id) {
    return embeddedRulePage(id);
}

Finding& FindingSink::report(const SourceText& source, std::string_view kernel,
                             ptx::SourceRange range, std::string message) {
    Finding f;
    f.ruleId = std::string(ruleId_);
    f.severity = severity_;
    f.kernel = std::string(kernel);
    f.location = source.locate(range);
    f.message = std::move(message);
    f.fixHint = std::string(fixHint_);
    out_.push_back(std::move(f));
    return out_.back();
}

void FindingSink::relate(Finding& f, const SourceText& source, ptx::SourceRange range,
                         std::string message) {
    f.related.push_back({source.locate(range), std::move(message)});
}

} // namespace ptxwb::analysis
