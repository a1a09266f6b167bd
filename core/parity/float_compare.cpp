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
