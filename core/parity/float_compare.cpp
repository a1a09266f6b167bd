#include "parity/float_compare.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace ptxwb::parity {

const char* categoryName(Category c) {
    switch (c) {
    case Category::Identical:
        return "identical";
    case Category::WithinContract:
        return "within-contract";
    case Category::Mismatch:
        return "mismatch";
    case Category::NanInf:
        return "nan-inf";
    case Category::Unwritten:
        return "unwritten";
    case Category::Overrun:
        return "overrun";
    }
    return "?";
}

std::uint32_t floatBits(float f) {
    std::uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    return b;
}

float bitsToFloat(std::uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

namespace {
// Maps float bits onto a line where adjacent floats are adjacent integers (-0 and +0 both 0).
std::int64_t orderedBits(float f) {
    std::uint32_t b = floatBits(f);
    if (b & 0x80000000u) return -static_cast<std::int64_t>(b & 0x7FFFFFFFu);
    return static_cast<std::int64_t>(b);
}
} // namespace

std::uint32_t ulpDistance(float a, float b) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<std::uint32_t>::max();
    std::int64_t d = orderedBits(a) - orderedBits(b);
    if (d < 0) d = -d;
    return d > 0xFFFFFFFFll ? 0xFFFFFFFFu : static_cast<std::uint32_t>(d);
}

Category classify(float candidate, float reference, const kernels::Contract& contract, double bound,
                  std::uint32_t poison) {
    std::uint32_t cb = floatBits(candidate), rb = floatBits(reference);
    if (cb == poison) return Category::Unwritten;
    if (cb == rb) return std::isnan(candidate) ? Category::NanInf : Category::Identical;
    if (!std::isfinite(candidate)) return Category::NanInf;
    switch (contract.kind) {
    case kernels::Contract::Kind::Bitwise:
        return Category::Mismatch;
    case kernels::Contract::Kind::Ulp:
        return ulpDistance(candidate, reference) <= contract.ulps ? Category::WithinContract
                                                                  : Category::Mismatch;
    case kernels::Contract::Kind::Bound:
        return std::isfinite(reference) && std::fabs(static_cast<double>(candidate) -
                                                     static_cast<double>(reference)) <= bound
                   ? Category::WithinContract
                   : Category::Mismatch;
    }
    return Category::Mismatch;
}

int ulpBucket(std::uint32_t ulps) {
    if (ulps <= 2) return static_cast<int>(ulps);
    int b = 3;
    std::uint64_t hi = 4;
    while (ulps > hi && b < kUlpBuckets - 1) {
        hi *= 2;
        ++b;
    }
    return b;
}

std::string ulpBucketLabel(int bucket) {
    if (bucket <= 2) return std::to_string(bucket);
    if (bucket == kUlpBuckets - 1) return fmt::format(">{}", 1u << (kUlpBuckets - 3));
    std::uint64_t hi = 4ull << (bucket - 3);
    return fmt::format("{}-{}", hi / 2 + 1, hi);
}

double gammaF32(double n) {
    const double u = std::ldexp(1.0, -24);
    double nu = n * u;
    return nu >= 1.0 ? std::numeric_limits<double>::infinity() : nu / (1.0 - nu);
}

} // namespace ptxwb::parity
