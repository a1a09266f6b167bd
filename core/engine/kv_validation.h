#pragma once
// KV-cache validation: compares the cache after serial prefill with the cache after batched
// prefill, slot by slot, and says in one sentence per problem where it is and which launch did
// it ("layer 0-3, all KV heads: positions 1..11 never written, position 0 written 12 times by
// kv_scatter_indirect (launch #57, position_buf = 0)"). This is the check that finds a stale
// position_buf in seconds instead of a day.

#include "engine/kv_cache_snapshot.h"
#include "engine/trace.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ptxwb::engine {

/// A device-side value (position_buf, seq_len_buf, kv_cache_lengths[l]) against what the host
/// expects it to be at this point.
struct DeviceValueCheck {
    std::string name;
    std::optional<std::int64_t> actual;   ///< nullopt: the buffer does not exist
    std::optional<std::int64_t> expected; ///< nullopt: it should not exist
    std::string why;                      ///< the host's reason for expecting that value
};

struct KvValidationInput {
    const KvCacheSnapshot* serial = nullptr;
    const KvCacheSnapshot* batched = nullptr;
    int tokens = 0;                    ///< positions [0, tokens) must be written exactly once
    std::vector<int> hostLengths;      ///< kv_cache_lengths per layer after batched prefill
    std::vector<TraceLaunch> launches; ///< batched prefill launches (may be empty for dumps)
    std::vector<DeviceValueCheck> deviceValues;
    /// 0: K/V must be bit-identical (the kernels promise it); otherwise the largest allowed
    /// absolute difference per element.
    double tolerance = 0.0;
};

/// Problems at one (layer, KV head), K and V together: the unit the report groups over. A
/// position is listed when either tensor has the problem there.
struct KvSlotProblems {
    std::vector<int>
        neverWritten; ///< prompt positions whose K or V row batched prefill left unwritten
    std::vector<int> serialNeverWritten; ///< the same in the serial cache
    std::vector<int> partlyWritten; ///< prompt positions with some elements unwritten, not the row
    std::vector<int> mismatched;    ///< written in both, values differ beyond tolerance
    std::vector<int> writtenBeyond; ///< positions >= tokens that were written
    bool operator==(const KvSlotProblems&) const = default;
    [[nodiscard]] bool empty() const {
        return neverWritten.empty() && serialNeverWritten.empty() && partlyWritten.empty() &&
               mismatched.empty() && writtenBeyond.empty();
    }
};

/// Positions a layer's kv_scatter launches wrote more than once, with the launches.
struct KvMultiWrite {
    int position = 0;
    int count = 0;
    std::vector<const TraceLaunch*> launches;
};

struct KvValidationReport {
    bool passed = true;
    std::vector<std::string> problems; ///< one localising sentence each
    std::vector<std::string> passes;   ///< what was checked and held
    std::uint64_t elementsCompared = 0;
    std::uint64_t elementsMismatched = 0;
    double maxAbsDifference = 0.0;
    [[nodiscard]] nlohmann::json toJson() const;
};

struct KvHeadMap;

/// The report, from the element-level maps of compareKvHeads(input) (kv_head_maps.h): the
/// sentences, the counts and the KV-cache view then agree on every element. Callers that also
/// keep the maps pass them in, so the caches are compared once.
KvValidationReport validateKvCaches(const KvValidationInput& input,
                                    const std::vector<KvHeadMap>& maps);
/// The same, comparing the caches itself.
KvValidationReport validateKvCaches(const KvValidationInput& input);

/// "1..11", "0, 3..5, 9" (positions); sorted unique input.
std::string formatPositions(const std::vector<int>& positions);
/// "0-3", "0, 2-5" (layers and heads).
std::string formatIndexRanges(const std::vector<int>& indices);

} // namespace ptxwb::engine
