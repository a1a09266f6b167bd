#pragma once
// The human-readable form of a trace: launches grouped by phase and layer, one line each, with
// the position path and (for indirect launches) the value the kernel read.

#include "engine/trace.h"

#include <string>

namespace ptxwb::engine {

std::string formatTraceTable(const Trace& trace);

} // namespace ptxwb::engine
