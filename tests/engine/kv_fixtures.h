#pragma once
// Builds KV caches on the CPU the way serial and (buggy) batched prefill would leave them, so
// the validation wording is tested without a GPU.

#include "engine/kv_cache_snapshot.h"
#include "engine/trace.h"

#include <vector>

namespace ptxwb::engine::test {

/// A value for (layer, head, position, dim) that differs between every slot.
inline float slotValue(int layer, int head, int pos, int dim) {
    return float(layer * 1000 + head * 100 + pos) + float(dim) / 64.0f;
}

/// Writes the slot of token `row` into cache position `slot` for every head of `layer`.
inline void scatter(KvCacheSnapshot& cache, int layer, int row, int slot) {
    const auto& g = cache.geometry;
    for (int h = 0; h < g.kvHeads; ++h) {
        for (int d = 0; d < g.headDim; ++d) {
            cache.k[cache.index(layer, h, slot, d)] = slotValue(layer, h, row, d);
            cache.v[cache.index(layer, h, slot, d)] = -slotValue(layer, h, row, d);
        }
    }
}

/// The kv_scatter launch of one layer in batched prefill, writing row m to positions[m].
inline TraceLaunch scatterLaunch(std::uint64_t seq, int layer, std::vector<int> positions,
                                 PositionPath path, std::optional<std::int64_t> value) {
    TraceLaunch l;
    l.seq = seq;
    l.layer = layer;
    l.op = "kv_scatter";
    l.phase = "prefill-batched";
    l.kernel =
        path == PositionPath::Indirect ? "KvScatterIndirectKernel" : "BatchedKvScatterKernel";
    l.entry = path == PositionPath::Indirect ? "kv_scatter_indirect" : "batched_kv_scatter";
    l.positionPath = path;
    l.positionValue = value;
    l.positionsWritten = std::move(positions);
    return l;
}

} // namespace ptxwb::engine::test
