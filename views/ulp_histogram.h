#pragma once
// The ULP histogram of a mismatch map, Qt-free. The history store keeps a category and a ULP
// distance per element but not the parity check's histogram, so the GUI recounts it from the
// map, with the parity module's buckets: 0, 1, 2, then powers of two (3-4, 5-8, ...), the last
// bucket open-ended.

#include "store/mismatch_map.h"

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace ptxwb::views {

/// Buckets of core/parity's ulpBucket(): 0, 1, 2, 3-4, 5-8, ..., >2^19.
inline constexpr int kUlpHistogramBuckets = 22;

/// Elements per ULP bucket, over the elements that were compared as numbers (identical, within
/// contract, mismatch); NaN/Inf, unwritten and overrun elements have no meaningful distance.
struct UlpHistogram {
    std::array<std::uint64_t, kUlpHistogramBuckets> counts{};

    /// The bucket of a ULP distance.
    [[nodiscard]] static int bucketOf(std::uint32_t ulp);
    /// "0", "1", "2", "3-4", "5-8", ..., ">524288".
    [[nodiscard]] static std::string bucketLabel(int bucket);
    /// Index of the last non-empty bucket, or -1 when all are empty.
    [[nodiscard]] int lastNonEmpty() const;
    [[nodiscard]] std::uint64_t total() const;
};

/// Recounts the histogram from every element of `map` (one pass).
[[nodiscard]] UlpHistogram ulpHistogramOf(const store::MismatchMap& map);

/// The check's own histogram when its evidence carries one (parity's JSON: "ulp_histogram":
/// {"0": n, "3-4": n, ...}); nothing when absent or when a key is not a bucket label.
[[nodiscard]] std::optional<UlpHistogram> ulpHistogramFromEvidence(const nlohmann::json& evidence);

} // namespace ptxwb::views
