#pragma once
// Seeded input generators. The same seed gives the same inputs on every machine running the
// same ptxwb build, so a run's inputs are identified by (generator, seed, shape).

#include "kernels/manifest.h"
#include "util/expected.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ptxwb::parity {

enum class Distribution {
    Normal,   ///< N(0, 1)
    Uniform,  ///< U(-1, 1)
    Outliers, ///< N(0, 1) with 1% of values scaled by 100..1000 (activation outliers)
    Special,  ///< N(0, 1) mixed with signed zeros, subnormals, powers of two and large values
};
Expected<Distribution> parseDistribution(const std::string& name);
const char* distributionName(Distribution d);

/// A deterministic generator (splitmix64 seeding a 64-bit Mersenne twister).
class InputGenerator {
public:
    explicit InputGenerator(std::uint64_t seed);
    std::vector<float> floats(std::size_t n, Distribution d, float scale = 1.0f);
    /// Random but well-formed quantised rows: sane f16 scales, every quant bit pattern possible.
    std::vector<std::uint8_t> weights(kernels::WeightFormat format, int rows, int k);
    std::vector<int> positions(int m, int maxPosition); ///< consecutive from a random start
    std::vector<int> tokens(int m, int vocab);
    std::uint32_t next32();

private:
    double normal();
    std::mt19937_64 rng_;
};

} // namespace ptxwb::parity
