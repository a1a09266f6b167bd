#pragma once
// Element-level KV-cache comparison for the KV-cache view: for every (layer, K or V, KV head),
// a positions x head_dim map of what serial vs batched prefill left in each element, the
// positions that were never written or written more than once, and the trace launches that
// wrote each position. validateKvCaches() says in sentences where the problems are; these maps
// let a person see them and click through to the launch that caused them.
//
// Job JSON ("kv_head_maps" of the validate-kv-cache result; core/record turns it into one store
// check per head):
//   {"tokens": 12, "geometry": {"layers", "kv_heads", "max_len", "head_dim"},
//    "heads": [{"layer": 0, "tensor": "k", "head": 1, "positions": 12, "head_dim": 64,
//               "states": [[state, run length], ...],      // row-major, run-length encoded
//               "ulps": [...],                             // one per within/mismatch/nan element
//               "never_written": [...], "serial_never_written": [...], "written_beyond": [...],
//               "written_twice": [...], "mismatched": [...],   // positions
//               "write_counts": {"0": 12},                 // written_twice -> times written
//               "writers": {"0": [57, 58]},                // position -> launch seqs
//               "samples": [[position, dim, serial bits, batched bits], ...],
//               "mismatched_elements": 3, "max_abs_difference": 0.5}]}

#include "engine/kv_validation.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::engine {

/// What serial vs batched prefill left in one element. The numbers are those of
/// store::ElementCategory (identical .. overrun), so the store conversion is one to one.
enum class KvElementState : std::uint8_t {
    Identical = 0, ///< bit-identical to serial prefill (or correctly unwritten past the prompt)
    WithinTolerance = 1, ///< differs by no more than the tolerance
    Mismatch = 2,        ///< differs beyond the tolerance
    NanMismatch = 3,     ///< NaN in one cache and not in the other
    Unwritten = 4,       ///< a prompt position still holding the poison (in either cache)
    WrittenBeyond = 5,   ///< a position past the prompt that batched prefill wrote
};

/// "k" or "v".
enum class KvTensor { K, V };
[[nodiscard]] const char* kvTensorName(KvTensor tensor);

/// One element that differs, with both values as bit patterns (NaN payloads survive JSON).
struct KvElementSample {
    int position = 0;
    int dim = 0;
    std::uint32_t serialBits = 0;
    std::uint32_t batchedBits = 0;
};

/// The comparison of one (layer, tensor, KV head).
struct KvHeadMap {
    int layer = 0;
    KvTensor tensor = KvTensor::K;
    int head = 0;
    /// Rows: the prompt positions, extended to the last position written beyond the prompt.
    int positions = 0;
    int headDim = 0;
    std::vector<KvElementState> states; ///< positions x headDim, row-major
    std::vector<std::uint32_t> ulps;    ///< same shape; saturating ULP distance
    std::vector<int> neverWritten;      ///< prompt positions whose whole row is unwritten (batched)
    std::vector<int> serialNeverWritten; ///< the same in the serial cache
    std::vector<int> writtenBeyond;      ///< positions >= tokens that batched prefill wrote
    std::vector<int> writtenTwice;       ///< positions one scatter op wrote more than once
    std::map<int, int> writeCounts;      ///< writtenTwice -> times written (most by one op)
    std::vector<int> mismatched;         ///< positions with a Mismatch or NanMismatch element
    std::map<int, std::vector<std::uint64_t>> writers; ///< position -> seq of launches writing it
    std::vector<KvElementSample> samples;              ///< the first few differing elements
    std::uint64_t mismatchedElements = 0;              ///< Mismatch + NanMismatch elements
    double maxAbsDifference = 0.0;

    [[nodiscard]] KvElementState state(int position, int dim) const {
        return states[std::size_t(position) * std::size_t(headDim) + std::size_t(dim)];
    }
    /// Whether anything is wrong in this head (what makes its check fail).
    [[nodiscard]] bool failing() const;
};

/// How many differing elements a head map keeps with their values (for the heatmap tooltip).
/// Few: a 7B-shaped stale run has 512 failing heads, and each sample costs ~100 bytes of JSON.
inline constexpr std::size_t kKvSamplesPerHead = 4;

/// The maps of every (layer, tensor, head), ordered by layer, then K before V, then head.
/// Needs caches of equal geometry and tokens <= max_len (validateKvCaches reports otherwise;
/// this returns no maps then).
std::vector<KvHeadMap> compareKvHeads(const KvValidationInput& input);

/// The JSON form above.
nlohmann::json kvHeadMapsToJson(const std::vector<KvHeadMap>& maps, const KvGeometry& geometry,
                                int tokens);
/// Parses kvHeadMapsToJson() output; a malformed document gives a BadInput error naming
/// `source` and the JSON path of the problem ("kv_head_maps: /heads/3/states: ...").
Expected<std::vector<KvHeadMap>> kvHeadMapsFromJson(const nlohmann::json& json,
                                                    const std::string& source);

} // namespace ptxwb::engine
