#include "ulp_histogram.h"

#include <nlohmann/json.hpp>
#include <numeric>

namespace ptxwb::views {

int UlpHistogram::bucketOf(std::uint32_t ulp) {
    if (ulp <= 2) return static_cast<int>(ulp);
    int bucket = 3;
    std::uint64_t upper = 4;
    while (ulp > upper && bucket < kUlpHistogramBuckets - 1) {
        upper *= 2;
        ++bucket;
    }
    return bucket;
}

std::string UlpHistogram::bucketLabel(int bucket) {
    if (bucket <= 2) return std::to_string(bucket);
    if (bucket == kUlpHistogramBuckets - 1)
        return ">" + std::to_string(std::uint64_t{1} << (kUlpHistogramBuckets - 3));
    const std::uint64_t upper = std::uint64_t{4} << (bucket - 3);
    return std::to_string(upper / 2 + 1) + "-" + std::to_string(upper);
}

int UlpHistogram::lastNonEmpty() const {
    for (int b = kUlpHistogramBuckets - 1; b >= 0; --b)
        if (counts[static_cast<std::size_t>(b)] != 0) return b;
    return -1;
}

std::uint64_t UlpHistogram::total() const {
    return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
}

UlpHistogram ulpHistogramOf(const store::MismatchMap& map) {
    UlpHistogram h;
    const auto categories = map.categoryPlane();
    const auto ulps = map.ulpPlane();
    // Identical elements are by far the most common and always land in bucket 0: count them
    // without the bucket search.
    constexpr auto identical = static_cast<std::uint8_t>(store::ElementCategory::Identical);
    constexpr auto mismatch = static_cast<std::uint8_t>(store::ElementCategory::Mismatch);
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const std::uint8_t c = categories[i];
        if (c == identical && ulps[i] == 0)
            ++h.counts[0];
        else if (c <= mismatch)
            ++h.counts[static_cast<std::size_t>(UlpHistogram::bucketOf(ulps[i]))];
    }
    return h;
}

std::optional<UlpHistogram> ulpHistogramFromEvidence(const nlohmann::json& evidence) {
    if (!evidence.is_object()) return std::nullopt;
    const auto it = evidence.find("ulp_histogram");
    if (it == evidence.end() || !it->is_object()) return std::nullopt;
    UlpHistogram h;
    for (const auto& [label, count] : it->items()) {
        if (!count.is_number_unsigned() && !count.is_number_integer()) return std::nullopt;
        int bucket = 0;
        while (bucket < kUlpHistogramBuckets && UlpHistogram::bucketLabel(bucket) != label)
            ++bucket;
        if (bucket == kUlpHistogramBuckets || count.get<std::int64_t>() < 0) return std::nullopt;
        h.counts[static_cast<std::size_t>(bucket)] = count.get<std::uint64_t>();
    }
    return h;
}

} // namespace ptxwb::views
