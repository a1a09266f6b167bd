#pragma once
// The static half of `ptxwb selftest`: what can be proven without a GPU. It needs NVRTC for the
// compile checks and skips them (with the reason) when NVRTC is absent.

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

/// Runs every static check on `set`. Checks that need the PTX analyzer are listed as "pending".
std::vector<StaticCheckRow> runStaticSelftest(const kernels::KernelSet& set,
                                              const std::vector<int>& archs = {80, 90});

nlohmann::json toJson(const std::vector<StaticCheckRow>& rows);

} // namespace ptxwb::parity
