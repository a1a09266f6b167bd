// Rule unused-parameter: a kernel parameter that no instruction reads. An unused dimension is
// often a missing bounds check; an unused pointer a missing input.
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <fmt/format.h>

namespace ptxwb::analysis {

void checkUnusedParameter(const KernelUnit& unit, const AnalysisOptions&, FindingSink& sink) {
    const KernelIR& k = *unit.ir;
    if (!k.isEntry) return;
    for (auto p : k.params) {
        if (!parameterReads(k, p).empty()) continue;
        const IrSymbol& s = k.symbols[p];
        const auto role = unit.contract.roleOf(s.name);
        const auto name = unit.contract.displayName(s.name);
        const bool roleKnown = !role.empty() && role != "unknown" &&
                               (!unit.contract.inferred || (role != "scalar" && role != "input"));
        sink.report(*unit.source, k.name, s.declaration,
                    roleKnown ? fmt::format("parameter '{}' ({}) is never read", name, role)
                              : fmt::format("parameter '{}' is never read", name));
    }
}

} // namespace ptxwb::analysis
