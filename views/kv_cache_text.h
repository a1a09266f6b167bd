#pragma once
// The sentences of the KV-cache view: run title, head summary, what happened at a position and
// one line per writer launch. Kept apart from the widgets so they are tested as text.

#include "kv_cache_model.h"

#include <QString>

namespace ptxwb::views {

/// "1..5", "0, 3..5, 9": sorted positions as contiguous runs.
[[nodiscard]] QString kvPositionRuns(const std::vector<int>& positions);
/// "KV cache · qa run 1a2b3c4d · tiny.gguf · 6 tokens · failed".
[[nodiscard]] QString kvRunTitle(const store::Run& run);
/// "Layer 1 V, KV head 1: failed. Positions 1..5 never written; position 0 written by 6
/// launches; 60 of 384 elements differ from serial prefill."
[[nodiscard]] QString kvHeadSummary(const KvHeadEntry& entry);
/// What position `position` of the head holds, from its marks and its row of `map` (may be
/// null): written how often, how many elements differ, or where the scatters wrote instead.
[[nodiscard]] QString kvPositionDetails(const KvHeadEntry& entry, int position,
                                        const store::MismatchMap* map);
/// "#57  kv_scatter_k · KvScatterIndirectKernel (kv_scatter_indirect)\ngrid (1, 1, 1) · block
/// (64, 1, 1) · position_buf = 0"; a launch the trace lacks says so.
[[nodiscard]] QString kvWriterText(std::uint32_t seq, const store::TraceLaunch* launch);

} // namespace ptxwb::views
