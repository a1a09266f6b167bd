#pragma once
// KV-cache validation results -> store checks: one Kv check per (layer, K or V, KV head) with
// the positions x head_dim mismatch map and, as evidence, the positions that were never
// written, written twice or written past the prompt and the trace launches that wrote each
// position. The summary check of the whole validation stays as the qa command writes it; these
// checks are what the KV-cache view shows.
//
// Evidence of a head check:
//   {"layer": 0, "tensor": "k", "head": 1, "tokens": 12, "positions": 12, "head_dim": 64,
//    "never_written": [1, ...], "serial_never_written": [], "written_beyond": [],
//    "written_twice": [0], "write_counts": {"0": 12}, "mismatched_positions": [0],
//    "writers": {"0": [57, 59, ...]},
//    "max_abs_difference": 0.5}

#include "engine/kv_head_maps.h"
#include "store/run.h"
#include "util/expected.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::record {

/// "kv-cache layer 0 k head 1": unique per (layer, tensor, head) within a run.
[[nodiscard]] std::string kvHeadCheckName(int layer, engine::KvTensor tensor, int head);

/// The check of one head map: failed when anything in it is wrong (KvHeadMap::failing).
[[nodiscard]] store::Check kvHeadCheck(const engine::KvHeadMap& map, int tokens);

/// Appends one check per map.
void addKvHeadChecks(store::Run& run, const std::vector<engine::KvHeadMap>& maps, int tokens);

/// Appends the checks of a validate-kv-cache result's "kv_head_maps" (absent: nothing added,
/// results of older workers have none). A malformed value is a BadInput error naming its JSON
/// path, and adds nothing.
Status addKvHeadChecks(store::Run& run, const nlohmann::json& result);

} // namespace ptxwb::record
