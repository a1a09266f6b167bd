#pragma once
// KV caches computed on the CPU by the reference llama forward of a synthetic model, laid out
// as the engine snapshots them, with the batched prefill's kv_scatter launches: a clean batched
// prefill (one launch per layer and tensor writing positions 0..n-1) and the stale-position_buf
// one (one launch per row, each reading position_buf = 0, so every row lands on position 0 and
// the last row wins). Shared by the engine, record and KV-cache view tests.

#include "engine/kv_cache_snapshot.h"
#include "engine/trace.h"
#include "gguf/gguf_file.h"
#include "reference/llama_forward.h"
#include "reference/synthetic_model.h"

#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace ptxwb::engine::test {

struct ReferenceKvCaches {
    int tokens = 0;
    KvCacheSnapshot serial;
    KvCacheSnapshot cleanBatched;
    std::vector<TraceLaunch> cleanLaunches;
    KvCacheSnapshot staleBatched;
    std::vector<TraceLaunch> staleLaunches;
};

/// A kv_scatter launch of the engine's batched prefill.
inline TraceLaunch referenceScatter(std::uint64_t seq, int layer, const char* op,
                                    std::vector<int> positions, bool indirect) {
    TraceLaunch l;
    l.seq = seq;
    l.phase = "prefill-batched";
    l.layer = layer;
    l.op = op;
    l.kernel = indirect ? "KvScatterIndirectKernel" : "BatchedKvScatterKernel";
    l.entry = indirect ? "kv_scatter_indirect" : "batched_kv_scatter";
    l.module = "kv_scatter.cu";
    l.grid = {1, indirect ? 1u : std::uint32_t(positions.size()), 1};
    l.block = {64, 1, 1};
    l.positionPath = indirect ? PositionPath::Indirect : PositionPath::Batched;
    if (indirect) l.positionValue = positions.front();
    l.positionsWritten = std::move(positions);
    return l;
}

/// Runs the tiny synthetic model (2 layers, 2 KV heads, head_dim 64) over `tokens` tokens and
/// builds the caches (max_len = tokens + 4). Throws on a broken reference (a test bug).
inline ReferenceKvCaches referenceKvCaches(int tokens) {
    auto writer =
        reference::buildSyntheticModel(reference::syntheticPreset(reference::SyntheticPreset::Tiny),
                                       reference::SyntheticQuant::Q8_0, 7);
    if (!writer) throw std::runtime_error(writer.error().format());
    const auto bytes = writer->toBytes();
    auto file = gguf::GgufFile::parse(bytes, "tiny.gguf");
    if (!file) throw std::runtime_error(file.error().format());
    auto weights = reference::LlamaWeights::load(*file);
    if (!weights) throw std::runtime_error(weights.error().format());
    std::vector<std::int32_t> ids;
    for (int i = 0; i < tokens; ++i)
        ids.push_back(3 + (i * 37) % 509);
    auto ref = reference::llamaForward(*weights, ids);
    if (!ref) throw std::runtime_error(ref.error().format());

    ReferenceKvCaches c;
    c.tokens = tokens;
    const KvGeometry g{int(ref->kv.size()), int(ref->kvHeads), tokens + 4, int(ref->headDim)};
    c.serial = KvCacheSnapshot::poisoned(g);
    c.staleBatched = KvCacheSnapshot::poisoned(g);
    // Writes token `row`'s K and V of (layer, head) into cache position `slot`.
    auto put = [&](KvCacheSnapshot& cache, int layer, int row, int slot) {
        for (int h = 0; h < g.kvHeads; ++h) {
            for (int d = 0; d < g.headDim; ++d) {
                const std::size_t src = (std::size_t(h) * std::size_t(tokens) + std::size_t(row)) *
                                            std::size_t(g.headDim) +
                                        std::size_t(d);
                cache.k[cache.index(layer, h, slot, d)] = ref->kv[std::size_t(layer)].k[src];
                cache.v[cache.index(layer, h, slot, d)] = ref->kv[std::size_t(layer)].v[src];
            }
        }
    };
    std::vector<int> all(std::size_t(tokens), 0);
    std::iota(all.begin(), all.end(), 0);
    for (int layer = 0; layer < g.layers; ++layer) {
        // Seqs as the engine numbers them: 40 launches per layer, the scatters after the
        // norm, projections and RoPE of the layer.
        const std::uint64_t base = 3 + std::uint64_t(layer) * 40 + 6;
        for (int t = 0; t < tokens; ++t) {
            put(c.serial, layer, t, t);
            put(c.staleBatched, layer, t, 0);
        }
        c.cleanLaunches.push_back(referenceScatter(base, layer, "kv_scatter_k", all, false));
        c.cleanLaunches.push_back(referenceScatter(base + 1, layer, "kv_scatter_v", all, false));
        std::uint64_t seq = base;
        for (const char* op : {"kv_scatter_k", "kv_scatter_v"}) {
            for (int t = 0; t < tokens; ++t)
                c.staleLaunches.push_back(referenceScatter(seq++, layer, op, {0}, true));
        }
    }
    c.cleanBatched = c.serial;
    return c;
}

} // namespace ptxwb::engine::test
