#include "reference/fp16.h"

#include <bit>

namespace ptxwb::reference {

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t{h & 0x8000u} << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0x1f) {
        if (mantissa == 0) return std::bit_cast<float>(sign | 0x7f800000u);
        return std::bit_cast<float>(sign | 0x7fc00000u | (mantissa << 13)); // quieted NaN
    }
    if (exponent != 0)
        return std::bit_cast<float>(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
    if (mantissa == 0) return std::bit_cast<float>(sign);
    // Subnormal: mantissa * 2^-24, renormalised so the leading one becomes implicit.
    std::uint32_t shift = 0;
    while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        ++shift;
    }
    const std::uint32_t biased = 127 - 15 + 1 - shift;
    return std::bit_cast<float>(sign | (biased << 23) | ((mantissa & 0x3ffu) << 13));
}

std::uint16_t floatToHalf(float f) {
    std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
    x &= 0x7fffffffu;
    if (x > 0x7f800000u) return sign | 0x7e00u;  // NaN
    if (x >= 0x477ff000u) return sign | 0x7c00u; // >= 65520 rounds to infinity
    if (x < 0x38800000u) {
        // Below the smallest normal half (2^-14): adding 0.5 puts the value's 2^-24 units in the
        // low mantissa bits of the sum, and the float addition rounds to nearest even for us.
        const float sum = std::bit_cast<float>(x) + 0.5f;
        return sign | static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(sum) - 0x3f000000u);
    }
    const std::uint32_t odd = (x >> 13) & 1u;
    x = x - (112u << 23) + 0xfffu + odd; // rebias (127 -> 15) and round to nearest even
    return sign | static_cast<std::uint16_t>(x >> 13);
}

float bf16ToFloat(std::uint16_t b) {
    return std::bit_cast<float>(std::uint32_t{b} << 16);
}

std::uint16_t floatToBf16(float f) {
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((x >> 16) | 64u);
    return static_cast<std::uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

} // namespace ptxwb::reference
