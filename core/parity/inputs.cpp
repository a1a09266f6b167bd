#include "parity/inputs.h"

#include "parity/cpu_reference.h"

#include <cmath>
#include <fmt/format.h>

namespace ptxwb::parity {

using kernels::WeightFormat;

Expected<Distribution> parseDistribution(const std::string& name) {
    if (name == "normal") return Distribution::Normal;
    if (name == "uniform") return Distribution::Uniform;
    if (name == "outliers") return Distribution::Outliers;
    if (name == "special") return Distribution::Special;
    return makeError(
        ErrorKind::Usage,
        fmt::format("unknown input distribution '{}' (normal, uniform, outliers, special)", name));
}

const char* distributionName(Distribution d) {
    switch (d) {
    case Distribution::Normal:
        return "normal";
    case Distribution::Uniform:
        return "uniform";
    case Distribution::Outliers:
        return "outliers";
    case Distribution::Special:
        return "special";
    }
    return "?";
}

InputGenerator::InputGenerator(std::uint64_t seed) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    rng_.seed(z ^ (z >> 31));
}

std::uint32_t InputGenerator::next32() {
    return static_cast<std::uint32_t>(rng_() >> 32);
}

double InputGenerator::normal() {
    // Box-Muller on our own uniform draws: std::normal_distribution differs between libraries.
    double u1 = (static_cast<double>(rng_() >> 11) + 0.5) * 0x1.0p-53;
    double u2 = (static_cast<double>(rng_() >> 11) + 0.5) * 0x1.0p-53;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

std::vector<float> InputGenerator::floats(std::size_t n, Distribution d, float scale) {
    std::vector<float> v(n);
    for (auto& x : v) {
        double u = (static_cast<double>(rng_() >> 11)) * 0x1.0p-53;
        switch (d) {
        case Distribution::Normal:
            x = static_cast<float>(normal());
            break;
        case Distribution::Uniform:
            x = static_cast<float>(2 * u - 1);
            break;
        case Distribution::Outliers:
            x = static_cast<float>(normal());
            if (u < 0.01) x *= static_cast<float>(100 + 900 * (u / 0.01));
            break;
        case Distribution::Special: {
            std::uint32_t pick = next32() % 16;
            switch (pick) {
            case 0:
                x = 0.0f;
                break;
            case 1:
                x = -0.0f;
                break;
            case 2:
                x = std::ldexp(1.0f, -140) * static_cast<float>(1 + next32() % 1000);
                break; // subnormal
            case 3:
                x = std::ldexp(1.0f, static_cast<int>(next32() % 16) - 8);
                break;
            case 4:
                x = (next32() & 1 ? 1.0f : -1.0f) * 3.0e4f;
                break;
            default:
                x = static_cast<float>(normal());
                break;
            }
            break;
        }
        }
        x *= scale;
    }
    return v;
}

std::vector<std::uint8_t> InputGenerator::weights(WeightFormat format, int rows, int k) {
    std::size_t rowBytes = weightRowBytes(format, k);
    std::vector<std::uint8_t> w(rowBytes * rows);
    for (auto& b : w)
        b = static_cast<std::uint8_t>(next32() >> 24);
    auto putHalf = [&](std::size_t at, float value) {
        std::uint16_t h = floatToHalf(value);
        w[at] = static_cast<std::uint8_t>(h & 0xFF);
        w[at + 1] = static_cast<std::uint8_t>(h >> 8);
    };
    auto scaleValue = [&](float lo, float hi) {
        return lo + (hi - lo) * static_cast<float>(next32() % 10000) / 10000.0f;
    };
    for (int r = 0; r < rows; ++r) {
        std::size_t base = rowBytes * r;
        switch (format) {
        case WeightFormat::F16:
            for (int i = 0; i < k; ++i)
                putHalf(base + 2 * i, static_cast<float>(normal() * 0.05));
            break;
        case WeightFormat::Q8_0:
            for (int b = 0; b < k / 32; ++b)
                putHalf(base + 34 * b, scaleValue(0.001f, 0.01f));
            break;
        case WeightFormat::Q4_K:
            for (int b = 0; b < k / 256; ++b) {
                putHalf(base + 144 * b, scaleValue(0.0005f, 0.002f));
                putHalf(base + 144 * b + 2, scaleValue(0.0005f, 0.002f));
            }
            break;
        case WeightFormat::Q6_K:
            for (int b = 0; b < k / 256; ++b)
                putHalf(base + 210 * b + 208, scaleValue(0.0001f, 0.0005f));
            break;
        case WeightFormat::None:
            break;
        }
    }
    return w;
}

std::vector<int> InputGenerator::positions(int m, int maxPosition) {
    int span = std::max(1, maxPosition - m);
    int start = static_cast<int>(next32() % static_cast<std::uint32_t>(span));
    std::vector<int> p(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i)
        p[i] = start + i;
    return p;
}

std::vector<int> InputGenerator::tokens(int m, int vocab) {
    std::vector<int> t(static_cast<std::size_t>(m));
    for (auto& x : t)
        x = static_cast<int>(next32() % static_cast<std::uint32_t>(vocab));
    return t;
}

} // namespace ptxwb::parity
