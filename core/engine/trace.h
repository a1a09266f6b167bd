#pragma once
// The layer-to-PTX trace: one record per kernel launch, saying which layer op launched which
// kernel, with what geometry and parameters, and which position path it took. Written and
// read as JSON Lines (schema "ptxwb.trace", version 1) so other engines can produce the same
// file and use ptxwb's views on it.
//
// Line 1: {"schema":"ptxwb.trace","version":1,"model":"...","kernel_set":"...","tokens":[...]}
// Then one launch per line:
// {"seq":57,"phase":"prefill-batched","layer":0,"op":"kv_scatter","kernel":"KvScatterIndirect",
//  "entry":"kv_scatter_indirect","module":"kv_scatter.cu","grid":[1,12,1],"block":[128,1,1],
//  "shared_bytes":0,"registers":16,"graph":false,"duration_us":3.1,
//  "position_path":"indirect","position_value":0,"positions_written":[0,0,...],
//  "params":[{"name":"pos_buf","role":"position_buf","kind":"pointer","tensor":"position_buf",
//             "offset":0},{"name":"m","role":"dim:M","kind":"scalar","value":"12"}]}

#include "util/expected.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ptxwb::engine {

/// How a launch obtained its token position(s).
enum class PositionPath {
    None,     ///< the op takes no position
    Direct,   ///< a scalar kernel parameter
    Indirect, ///< read from a device buffer (position_buf) — the CUDA-graph decode path
    Batched,  ///< a per-row array positions[M]
};
const char* positionPathName(PositionPath path);
std::optional<PositionPath> positionPathFromName(const std::string& name);

/// One kernel parameter as the trace shows it: scalars by value, pointers by the named tensor
/// or buffer they point into.
struct LaunchParam {
    std::string name;
    std::string role; ///< manifest role (input, output, position_buf, dim:M, ...)
    bool pointer = false;
    std::string value;  ///< scalars: the value as text
    std::string tensor; ///< pointers: the tensor or buffer name ("" if unresolved)
    std::uint64_t offset = 0;
};

struct TraceLaunch {
    std::uint64_t seq = 0;
    std::string phase; ///< prefill-serial, prefill-batched, decode, graph-capture, graph-replay
    int layer = -1;    ///< -1 for ops outside the layer stack (embedding, output head)
    std::string op;    ///< attn_norm, q_proj, rope_q, kv_scatter, attention, ...
    std::string kernel;
    std::string entry;
    std::string module;
    std::array<std::uint32_t, 3> grid{1, 1, 1};
    std::array<std::uint32_t, 3> block{1, 1, 1};
    std::uint32_t sharedBytes = 0;
    int registers = 0;
    bool fromGraph = false; ///< parameters read back from an instantiated CUDA graph node
    std::optional<double> durationUs;
    PositionPath positionPath = PositionPath::None;
    std::optional<std::int64_t> positionValue; ///< indirect launches: what position_buf held
    std::vector<int> positionsWritten;         ///< kv_scatter: the slot of each row it wrote
    std::vector<LaunchParam> params;
};

struct Trace {
    std::string model;
    std::string kernelSet;
    std::vector<int> tokens;
    std::vector<TraceLaunch> launches;
};

/// Writes the JSON Lines form.
std::string traceToJsonl(const Trace& trace);
/// Parses the JSON Lines form; errors name the file and line.
Expected<Trace> traceFromJsonl(std::string_view text, const std::string& path);
Expected<Trace> readTraceFile(const std::string& path);

} // namespace ptxwb::engine
