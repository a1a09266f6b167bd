#include "engine/kv_head_maps.h"

#include "util/ulp.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace ptxwb::engine {

namespace {

/// Which tensor a scatter op writes: kv_scatter_k / kv_scatter_v, or both for an op that
/// scatters K and V together (other engines' traces, the test fixtures).
bool opWrites(const std::string& op, KvTensor tensor) {
    if (op.ends_with("_k")) return tensor == KvTensor::K;
    if (op.ends_with("_v")) return tensor == KvTensor::V;
    return true;
}

struct LayerWrites {
    std::map<int, std::vector<std::uint64_t>> writers;
    std::vector<int> writtenTwice;
    std::map<int, int> writeCounts;
};

LayerWrites writesOf(const KvValidationInput& in, int layer, KvTensor tensor) {
    LayerWrites w;
    // Counted per op, as validateKvCaches does: each scatter op writes a position once.
    std::map<std::string, std::map<int, int>> countByOp;
    for (const auto& launch : in.launches) {
        if (launch.layer != layer || launch.positionsWritten.empty()) continue;
        if (!opWrites(launch.op, tensor)) continue;
        auto& counts = countByOp[launch.op];
        for (int pos : launch.positionsWritten) {
            ++counts[pos];
            auto& seqs = w.writers[pos];
            if (seqs.empty() || seqs.back() != launch.seq) seqs.push_back(launch.seq);
        }
    }
    for (const auto& [op, counts] : countByOp) {
        for (const auto& [pos, n] : counts)
            if (n > 1) w.writeCounts[pos] = std::max(w.writeCounts[pos], n);
    }
    for (const auto& [pos, n] : w.writeCounts)
        w.writtenTwice.push_back(pos);
    return w;
}

KvHeadMap compareHead(const KvValidationInput& in, int layer, KvTensor tensor, int head,
                      const LayerWrites& writes) {
    const auto& s = *in.serial;
    const auto& b = *in.batched;
    const auto& sv = tensor == KvTensor::K ? s.k : s.v;
    const auto& bv = tensor == KvTensor::K ? b.k : b.v;
    const int hd = s.geometry.headDim;
    KvHeadMap m;
    m.layer = layer;
    m.tensor = tensor;
    m.head = head;
    m.headDim = hd;
    m.writers = writes.writers;
    m.writtenTwice = writes.writtenTwice;
    m.writeCounts = writes.writeCounts;

    auto rowUnwritten = [&](const KvCacheSnapshot& cache, const std::vector<float>& values,
                            int pos) {
        const std::size_t base = cache.index(layer, head, pos, 0);
        for (int d = 0; d < hd; ++d)
            if (!cache.unwritten(values[base + std::size_t(d)])) return false;
        return true;
    };
    for (int pos = std::max(in.tokens, 0); pos < s.geometry.maxLen; ++pos)
        if (!rowUnwritten(b, bv, pos)) m.writtenBeyond.push_back(pos);
    m.positions = m.writtenBeyond.empty() ? std::max(in.tokens, 0) : m.writtenBeyond.back() + 1;
    m.states.assign(std::size_t(m.positions) * std::size_t(hd), KvElementState::Identical);
    m.ulps.assign(m.states.size(), 0);

    for (int pos = 0; pos < m.positions; ++pos) {
        const std::size_t base = s.index(layer, head, pos, 0);
        const std::size_t row = std::size_t(pos) * std::size_t(hd);
        if (pos >= in.tokens) {
            for (int d = 0; d < hd; ++d) {
                if (!b.unwritten(bv[base + std::size_t(d)]))
                    m.states[row + std::size_t(d)] = KvElementState::WrittenBeyond;
            }
            continue;
        }
        if (rowUnwritten(b, bv, pos)) m.neverWritten.push_back(pos);
        if (rowUnwritten(s, sv, pos)) m.serialNeverWritten.push_back(pos);
        bool rowMismatched = false;
        for (int d = 0; d < hd; ++d) {
            const float x = sv[base + std::size_t(d)];
            const float y = bv[base + std::size_t(d)];
            auto& state = m.states[row + std::size_t(d)];
            if (s.unwritten(x) || b.unwritten(y)) {
                state = KvElementState::Unwritten;
                continue;
            }
            if (std::bit_cast<std::uint32_t>(x) == std::bit_cast<std::uint32_t>(y)) continue;
            const double diff = std::fabs(double(x) - double(y));
            if (!std::isnan(diff)) m.maxAbsDifference = std::max(m.maxAbsDifference, diff);
            m.ulps[row + std::size_t(d)] = ulpDistance(x, y);
            if (std::isnan(x) != std::isnan(y)) {
                state = KvElementState::NanMismatch;
            } else if (in.tolerance > 0.0 && !(diff > in.tolerance)) {
                state = KvElementState::WithinTolerance;
                continue;
            } else {
                state = KvElementState::Mismatch;
            }
            rowMismatched = true;
            ++m.mismatchedElements;
            if (m.samples.size() < kKvSamplesPerHead) {
                m.samples.push_back(
                    {pos, d, std::bit_cast<std::uint32_t>(x), std::bit_cast<std::uint32_t>(y)});
            }
        }
        if (rowMismatched) m.mismatched.push_back(pos);
    }
    return m;
}

} // namespace

const char* kvTensorName(KvTensor tensor) {
    return tensor == KvTensor::K ? "k" : "v";
}

bool KvHeadMap::failing() const {
    return mismatchedElements > 0 || !neverWritten.empty() || !serialNeverWritten.empty() ||
           !writtenBeyond.empty() || !writtenTwice.empty() ||
           std::any_of(states.begin(), states.end(),
                       [](KvElementState s) { return s == KvElementState::Unwritten; });
}

std::vector<KvHeadMap> compareKvHeads(const KvValidationInput& in) {
    std::vector<KvHeadMap> maps;
    const auto& g = in.serial->geometry;
    if (!(g == in.batched->geometry) || in.tokens > g.maxLen) return maps;
    for (int layer = 0; layer < g.layers; ++layer) {
        for (KvTensor tensor : {KvTensor::K, KvTensor::V}) {
            const LayerWrites writes = writesOf(in, layer, tensor);
            for (int head = 0; head < g.kvHeads; ++head)
                maps.push_back(compareHead(in, layer, tensor, head, writes));
        }
    }
    return maps;
}

} // namespace ptxwb::engine
