#pragma once
// Element comparison for parity: ULP distance, the category of each output element, and the
// contracts (bitwise, ulp:K, bound). Pure CPU code, shared by every check.

#include "kernels/manifest.h"
#include "util/ulp.h"

#include <array>
#include <cstdint>
#include <string>

namespace ptxwb::parity {

/// What one output element of the candidate kernel is, relative to the reference kernel.
enum class Category : std::uint8_t {
    Identical = 0,      ///< same bits
    WithinContract = 1, ///< different bits, allowed by the contract (ulp:K or bound)
    Mismatch = 2,       ///< violates the contract
    NanInf = 3,         ///< candidate NaN or infinite where the reference is not the same value
    Unwritten = 4,      ///< still the poison sentinel: the kernel never stored it
    Overrun = 5,        ///< a write outside the expected region (guard word or stray element)
};
inline constexpr int kCategoryCount = 6;
const char* categoryName(Category c);
/// True for the categories that fail a check.
inline bool isViolation(Category c) {
    return c != Category::Identical && c != Category::WithinContract;
}

std::uint32_t floatBits(float f);
float bitsToFloat(std::uint32_t bits);

/// Units in the last place between two floats (see util/ulp.h).
using ptxwb::ulpDistance;

/// Classifies candidate vs reference under `contract`. `bound` is the allowed absolute error for
/// Contract::Bound (ignored otherwise). `poison` is the sentinel bit pattern.
Category classify(float candidate, float reference, const kernels::Contract& contract, double bound,
                  std::uint32_t poison);

/// Buckets of the ULP histogram: 0, 1, 2, 3-4, 5-8, ... , 2^19+1-2^20, >2^20.
inline constexpr int kUlpBuckets = 22;
int ulpBucket(std::uint32_t ulps);
std::string ulpBucketLabel(int bucket);

/// gamma_n = n u / (1 - n u), u = 2^-24: the classic bound factor of an n-term f32 sum.
double gammaF32(double n);

} // namespace ptxwb::parity
