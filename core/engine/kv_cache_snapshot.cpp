#include "engine/kv_cache_snapshot.h"

#include "util/npy.h"
#include "util/paths.h"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::engine {

KvCacheSnapshot KvCacheSnapshot::poisoned(const KvGeometry& geometry) {
    KvCacheSnapshot cache;
    cache.geometry = geometry;
    cache.poisonMarksUnwritten = true;
    float poison = 0;
    std::memcpy(&poison, &kKvPoisonBits, sizeof poison);
    const std::size_t n = geometry.elementsPerLayer() * std::size_t(geometry.layers);
    cache.k.assign(n, poison);
    cache.v.assign(n, poison);
    return cache;
}

bool KvCacheSnapshot::slotUnwritten(int layer, int head, int position) const {
    const std::size_t base = index(layer, head, position, 0);
    for (int d = 0; d < geometry.headDim; ++d) {
        const float kv[2] = {k[base + std::size_t(d)], v[base + std::size_t(d)]};
        for (float x : kv) {
            if (!unwritten(x)) return false;
        }
    }
    return true;
}

bool KvCacheSnapshot::unwritten(float value) const {
    return poisonMarksUnwritten ? isPoison(value) : std::isnan(value);
}

namespace {
std::string layerFile(const std::string& dir, int layer, char which) {
    return fmt::format("{}/layer_{}_{}.npy", dir, layer, which);
}
} // namespace

Expected<KvCacheSnapshot> readKvDump(const std::string& directory) {
    if (!std::filesystem::is_directory(directory)) {
        return makeError(ErrorKind::BadInput, "not a directory of K/V dumps",
                         ErrorLocation::file(directory));
    }
    KvCacheSnapshot cache;
    for (int layer = 0;; ++layer) {
        std::string kPath = layerFile(directory, layer, 'k');
        std::string vPath = layerFile(directory, layer, 'v');
        if (!std::filesystem::exists(kPath) && !std::filesystem::exists(vPath)) break;
        PTXWB_TRY(NpyArray k, readNpy(kPath));
        PTXWB_TRY(NpyArray v, readNpy(vPath));
        if (k.shape.size() != 3 || k.shape != v.shape) {
            return makeError(ErrorKind::BadInput,
                             "K and V dumps must both have shape [kv_heads, max_len, head_dim]",
                             ErrorLocation::file(kPath));
        }
        KvGeometry g{layer + 1, int(k.shape[0]), int(k.shape[1]), int(k.shape[2])};
        if (layer > 0 &&
            (g.kvHeads != cache.geometry.kvHeads || g.maxLen != cache.geometry.maxLen ||
             g.headDim != cache.geometry.headDim)) {
            return makeError(
                ErrorKind::BadInput,
                fmt::format("layer {} has shape [{}, {}, {}] but layer 0 has [{}, {}, {}]", layer,
                            g.kvHeads, g.maxLen, g.headDim, cache.geometry.kvHeads,
                            cache.geometry.maxLen, cache.geometry.headDim),
                ErrorLocation::file(kPath));
        }
        cache.geometry = g;
        cache.k.insert(cache.k.end(), k.values.begin(), k.values.end());
        cache.v.insert(cache.v.end(), v.values.begin(), v.values.end());
    }
    if (cache.geometry.layers == 0) {
        return makeError(ErrorKind::BadInput, "no layer_0_k.npy / layer_0_v.npy in the directory",
                         ErrorLocation::file(directory));
    }
    return cache;
}

Status writeKvDump(const KvCacheSnapshot& cache, const std::string& directory) {
    PTXWB_CHECK(makeDirectories(directory));
    const auto& g = cache.geometry;
    std::vector<std::uint64_t> shape{std::uint64_t(g.kvHeads), std::uint64_t(g.maxLen),
                                     std::uint64_t(g.headDim)};
    for (int layer = 0; layer < g.layers; ++layer) {
        const std::size_t offset = std::size_t(layer) * g.elementsPerLayer();
        PTXWB_CHECK(writeNpy(layerFile(directory, layer, 'k'), shape, cache.k.data() + offset));
        PTXWB_CHECK(writeNpy(layerFile(directory, layer, 'v'), shape, cache.v.data() + offset));
    }
    return {};
}

} // namespace ptxwb::engine
