#pragma once
// The static half of `ptxwb selftest`: what can be proven without a GPU. It needs NVRTC for the
// compile checks and the analysis of .cu sources, and skips them (with the reason) when NVRTC
// is absent; .ptx sources are analysed either way.

#include "kernels/kernel_set.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::parity {

struct StaticCheckRow {
    std::string check;   ///< "manifest", "nvrtc-compile", "entry-present", "zoo-designation", ...
    std::string subject; ///< kernel or source
    std::string status;  ///< "ok", "FAIL", "pending", "skipped"
    std::string detail;
};

/// Runs every static check on `set`: the manifest, zoo designations, NVRTC compiles and entries
/// per arch, and the PTX analyzer over every kernel (for the first arch): each zoo entry caught
/// by a "static:" check must be reported by its rule (status "ok", the finding file:line:col as
/// detail) and every other non-zoo kernel must have no error-level finding. Checks that cannot
/// run here (no NVRTC) are "skipped" with the reason.
std::vector<StaticCheckRow> runStaticSelftest(const kernels::KernelSet& set,
                                              const std::vector<int>& archs = {80, 90});

nlohmann::json toJson(const std::vector<StaticCheckRow>& rows);

/// The analyzer rule behind a zoo entry's "static:" check ("" when none).
std::string staticRuleFor(const std::string& caughtBy);

} // namespace ptxwb::parity
