#pragma once
// A host copy of a KV cache after a prefill, and the .npy dump layout other engines can write
// so ptxwb can validate their caches too.
//
// Dump layout (one directory per cache): for each layer L, `layer_L_k.npy` and `layer_L_v.npy`,
// float32, C order, shape [kv_heads, max_len, head_dim]. Slots that were never written should
// hold NaN (ptxwb fills its own caches with kKvPoisonBits before a run).

#include "util/expected.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ptxwb::engine {

/// A quiet NaN with a payload that no arithmetic produces: a slot still holding these bits was
/// never written.
inline constexpr std::uint32_t kKvPoisonBits = 0x7FC0DEADu;

struct KvGeometry {
    int layers = 0;
    int kvHeads = 0;
    int maxLen = 0;
    int headDim = 0;
    [[nodiscard]] std::size_t elementsPerLayer() const {
        return std::size_t(kvHeads) * std::size_t(maxLen) * std::size_t(headDim);
    }
    bool operator==(const KvGeometry&) const = default;
};

/// K and V of every layer, each [layer][kv_head][position][head_dim].
struct KvCacheSnapshot {
    KvGeometry geometry;
    std::vector<float> k;
    std::vector<float> v;
    /// True for ptxwb's own caches: only the exact poison bits mean "never written", so a slot
    /// written with a NaN value (a NaN computed upstream) counts as written. Dumps from other
    /// engines mark unwritten slots with any NaN.
    bool poisonMarksUnwritten = false;

    /// A cache of this geometry filled with the poison pattern.
    static KvCacheSnapshot poisoned(const KvGeometry& geometry);

    [[nodiscard]] std::size_t index(int layer, int head, int position, int dim) const {
        return ((std::size_t(layer) * std::size_t(geometry.kvHeads) + std::size_t(head)) *
                    std::size_t(geometry.maxLen) +
                std::size_t(position)) *
                   std::size_t(geometry.headDim) +
               std::size_t(dim);
    }
    /// Whether every element of K and V at (layer, head, position) still holds the poison.
    [[nodiscard]] bool slotUnwritten(int layer, int head, int position) const;
    /// Whether an element of this cache reads as never written (see poisonMarksUnwritten).
    [[nodiscard]] bool unwritten(float value) const;
};

/// True when `value` carries exactly the poison bit pattern.
inline bool isPoison(float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits == kKvPoisonBits;
}

/// Reads a dump directory (layout above); every layer must have the same shape.
Expected<KvCacheSnapshot> readKvDump(const std::string& directory);
/// Writes a dump directory (created if missing).
Status writeKvDump(const KvCacheSnapshot& cache, const std::string& directory);

} // namespace ptxwb::engine
