#pragma once
// Distance between two floats in representable values: how many floats lie between them, plus
// one. Shared by the parity comparison, the KV-cache head maps and the selftest records.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ptxwb {

/// ULPs between a and b on the line where adjacent floats are adjacent integers (-0 and +0 are
/// both 0, so they are 0 apart); NaN against anything saturates at UINT32_MAX.
[[nodiscard]] inline std::uint32_t ulpDistance(float a, float b) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<std::uint32_t>::max();
    auto ordered = [](float f) {
        const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
        const auto magnitude = static_cast<std::int64_t>(bits & 0x7FFFFFFFu);
        return (bits & 0x80000000u) != 0 ? -magnitude : magnitude;
    };
    std::int64_t d = ordered(a) - ordered(b);
    if (d < 0) d = -d;
    return d > 0xFFFFFFFFll ? std::numeric_limits<std::uint32_t>::max()
                            : static_cast<std::uint32_t>(d);
}

} // namespace ptxwb
