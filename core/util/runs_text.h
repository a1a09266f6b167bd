#pragma once
// Sorted integers as text with their contiguous runs collapsed: "0, 3..5, 9" (positions) or
// "0-3, 7" (layers, heads). One implementation for the KV report's sentences and the GUI's
// KV-cache view, so both print a position list the same way.

#include <string>
#include <string_view>
#include <vector>

namespace ptxwb {

/// `values` sorted and unique; `dash` joins the ends of a run ("..", "-").
std::string formatRuns(const std::vector<int>& values, std::string_view dash);

} // namespace ptxwb
