#include "reference/quantize.h"

#include "reference/dequantize.h"
#include "reference/fp16.h"
#include "util/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace ptxwb::reference {
namespace {

// Round to nearest, ties to even (the default rounding mode), as an int.
int nearestInt(float v) {
    return static_cast<int>(std::lrintf(v));
}

void storeU16(std::byte* p, std::uint16_t v) {
    std::memcpy(p, &v, 2);
}

constexpr float kTinyScale = 1e-15f;

/// Signed symmetric fit of n values to integers in [-nmax, nmax): returns the scale and the
/// levels (offset by nmax, so in [0, 2·nmax)). Candidate inverse scales around nmax/max are
/// tried and the one with the smallest x²-weighted squared error wins.
float fitSymmetric(int n, int nmax, const float* x, std::uint8_t* levels) {
    float maxValue = 0, maxAbs = 0;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > maxAbs) {
            maxAbs = std::fabs(x[i]);
            maxValue = x[i];
        }
    }
    if (maxAbs < kTinyScale) {
        std::fill(levels, levels + n, std::uint8_t{0});
        return 0.0f;
    }
    auto sums = [&](float inverseScale, float& sumXl, float& sumL2, bool store) {
        sumXl = 0;
        sumL2 = 0;
        for (int i = 0; i < n; ++i) {
            const int l = std::clamp(nearestInt(inverseScale * x[i]), -nmax, nmax - 1);
            const float w = x[i] * x[i];
            sumXl += w * x[i] * static_cast<float>(l);
            sumL2 += w * static_cast<float>(l * l);
            if (store) levels[i] = static_cast<std::uint8_t>(l + nmax);
        }
    };
    float sumXl = 0, sumL2 = 0;
    sums(-static_cast<float>(nmax) / maxValue, sumXl, sumL2, true);
    float scale = sumL2 > 0 ? sumXl / sumL2 : 0.0f;
    float best = scale * sumXl; // the error reduction achieved: larger is better
    for (int step = -9; step <= 9; ++step) {
        if (step == 0) continue;
        const float inverse =
            -(static_cast<float>(nmax) + 0.1f * static_cast<float>(step)) / maxValue;
        sums(inverse, sumXl, sumL2, false);
        if (sumL2 > 0 && sumXl * sumXl > best * sumL2) {
            sums(inverse, sumXl, sumL2, true);
            scale = sumXl / sumL2;
            best = scale * sumXl;
        }
    }
    return scale;
}

/// Affine fit x ≈ scale·l − min with l in [0, nmax], weights w: starts from the min/max grid and
/// sweeps the inverse scale, solving the 2x2 weighted least-squares problem for each candidate.
/// Returns the scale; `minOut` is the (non-negative) offset subtracted.
float fitAffine(int n, int nmax, const float* x, const float* w, std::uint8_t* levels,
                float& minOut) {
    float lo = x[0], hi = x[0], sumW = 0, sumX = 0;
    for (int i = 0; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
        sumW += w[i];
        sumX += w[i] * x[i];
    }
    lo = std::min(lo, 0.0f); // the offset only ever shifts values up
    if (hi == lo) {
        std::fill(levels, levels + n, std::uint8_t{0});
        minOut = -lo;
        return 0.0f;
    }
    const float range = hi - lo;
    float inverse = static_cast<float>(nmax) / range;
    float scale = 1.0f / inverse;
    float bestError = 0;
    for (int i = 0; i < n; ++i) {
        const int l = std::clamp(nearestInt(inverse * (x[i] - lo)), 0, nmax);
        levels[i] = static_cast<std::uint8_t>(l);
        const float diff = scale * static_cast<float>(l) + lo - x[i];
        bestError += w[i] * diff * diff;
    }
    std::uint8_t trial[256];
    for (int step = 0; step <= 20; ++step) {
        inverse = (-1.0f + 0.1f * static_cast<float>(step) + static_cast<float>(nmax)) / range;
        float sumL = 0, sumL2 = 0, sumXl = 0;
        for (int i = 0; i < n; ++i) {
            const int l = std::clamp(nearestInt(inverse * (x[i] - lo)), 0, nmax);
            trial[i] = static_cast<std::uint8_t>(l);
            const auto fl = static_cast<float>(l);
            sumL += w[i] * fl;
            sumL2 += w[i] * fl * fl;
            sumXl += w[i] * fl * x[i];
        }
        const float det = sumW * sumL2 - sumL * sumL;
        if (!(det > 0)) continue;
        float trialScale = (sumW * sumXl - sumX * sumL) / det;
        float trialMin = (sumL2 * sumX - sumL * sumXl) / det;
        if (trialMin > 0) { // an offset above zero cannot be stored; refit the scale alone
            trialMin = 0;
            trialScale = sumXl / sumL2;
        }
        float error = 0;
        for (int i = 0; i < n; ++i) {
            const float diff = trialScale * static_cast<float>(trial[i]) + trialMin - x[i];
            error += w[i] * diff * diff;
        }
        if (error < bestError) {
            std::copy(trial, trial + n, levels);
            bestError = error;
            scale = trialScale;
            lo = trialMin;
        }
    }
    minOut = -lo;
    return scale;
}

} // namespace

void quantizeQ8_0Block(const float* x, std::byte* block) {
    float maxAbs = 0;
    for (std::size_t i = 0; i < q8_0::kValues; ++i)
        maxAbs = std::max(maxAbs, std::fabs(x[i]));
    const float d = maxAbs / 127.0f;
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    storeU16(block, floatToHalf(d));
    auto* qs = reinterpret_cast<std::int8_t*>(block + 2);
    for (std::size_t i = 0; i < q8_0::kValues; ++i)
        qs[i] = static_cast<std::int8_t>(std::roundf(x[i] * inverse));
}

void quantizeQ6KBlock(const float* x, std::byte* block) {
    std::uint8_t levels[256];
    float scales[16];
    float maxScale = 0, maxAbsScale = 0;
    for (int ib = 0; ib < 16; ++ib) {
        scales[ib] = fitSymmetric(16, 32, x + 16 * ib, levels + 16 * ib);
        if (std::fabs(scales[ib]) > maxAbsScale) {
            maxAbsScale = std::fabs(scales[ib]);
            maxScale = scales[ib];
        }
    }
    std::memset(block, 0, q6_k::kBytes);
    if (maxAbsScale < kTinyScale) return; // all zero: d = 0 dequantises every value to 0
    // The largest scale maps to -128 so every sub-block scale fits an int8.
    const float inverse = -128.0f / maxScale;
    const std::uint16_t dHalf = floatToHalf(1.0f / inverse);
    storeU16(block + q6_k::kD, dHalf);
    auto* sc = reinterpret_cast<std::int8_t*>(block + q6_k::kScales);
    const float d = halfToFloat(dHalf);
    for (int ib = 0; ib < 16; ++ib) {
        sc[ib] = static_cast<std::int8_t>(std::min(127, nearestInt(inverse * scales[ib])));
        const float dd = d * static_cast<float>(sc[ib]);
        if (dd == 0.0f) continue;
        for (int i = 0; i < 16; ++i) {
            const int l = std::clamp(nearestInt(x[16 * ib + i] / dd), -32, 31);
            levels[16 * ib + i] = static_cast<std::uint8_t>(l + 32);
        }
    }
    auto* ql = reinterpret_cast<std::uint8_t*>(block + q6_k::kQl);
    auto* qh = reinterpret_cast<std::uint8_t*>(block + q6_k::kQh);
    for (int half = 0; half < 2; ++half) {
        const std::uint8_t* L = levels + 128 * half;
        for (int l = 0; l < 32; ++l) {
            ql[64 * half + l] = static_cast<std::uint8_t>((L[l] & 0xF) | ((L[l + 64] & 0xF) << 4));
            ql[64 * half + l + 32] =
                static_cast<std::uint8_t>((L[l + 32] & 0xF) | ((L[l + 96] & 0xF) << 4));
            qh[32 * half + l] =
                static_cast<std::uint8_t>((L[l] >> 4) | ((L[l + 32] >> 4) << 2) |
                                          ((L[l + 64] >> 4) << 4) | ((L[l + 96] >> 4) << 6));
        }
    }
}

void quantizeQ4KBlock(const float* x, std::byte* block) {
    std::uint8_t levels[256];
    float scales[8], mins[8], weights[32];
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < 8; ++j) {
        const float* sub = x + 32 * j;
        float sumSquares = 0;
        for (int l = 0; l < 32; ++l)
            sumSquares += sub[l] * sub[l];
        const float rms = std::sqrt(sumSquares / 32.0f);
        // Weight large values more, but never ignore small ones.
        for (int l = 0; l < 32; ++l)
            weights[l] = rms + std::fabs(sub[l]);
        scales[j] = fitAffine(32, 15, sub, weights, levels + 32 * j, mins[j]);
        maxScale = std::max(maxScale, scales[j]);
        maxMin = std::max(maxMin, mins[j]);
    }
    std::memset(block, 0, q4_k::kBytes);
    const float inverseScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
    const float inverseMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
    auto* s = reinterpret_cast<std::uint8_t*>(block + q4_k::kScales);
    for (int j = 0; j < 8; ++j) {
        const auto ls =
            static_cast<std::uint8_t>(std::clamp(nearestInt(inverseScale * scales[j]), 0, 63));
        const auto lm =
            static_cast<std::uint8_t>(std::clamp(nearestInt(inverseMin * mins[j]), 0, 63));
        if (j < 4) {
            s[j] = ls;
            s[j + 4] = lm;
        } else {
            s[j + 4] = static_cast<std::uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
            s[j - 4] |= static_cast<std::uint8_t>((ls >> 4) << 6);
            s[j] |= static_cast<std::uint8_t>((lm >> 4) << 6);
        }
    }
    const std::uint16_t dHalf = floatToHalf(maxScale / 63.0f);
    const std::uint16_t dminHalf = floatToHalf(maxMin / 63.0f);
    storeU16(block + q4_k::kD, dHalf);
    storeU16(block + q4_k::kDmin, dminHalf);
    const float d = halfToFloat(dHalf), dmin = halfToFloat(dminHalf);
    // Requantise against the scales as stored, so rounding of d and the 6-bit scales is absorbed.
    for (int j = 0; j < 8; ++j) {
        std::uint8_t sc = 0, m = 0;
        q4_k::scaleMin(s, j, sc, m);
        const float dd = d * sc;
        if (dd == 0.0f) continue;
        const float dm = dmin * m;
        for (int l = 0; l < 32; ++l) {
            const int q = std::clamp(nearestInt((x[32 * j + l] + dm) / dd), 0, 15);
            levels[32 * j + l] = static_cast<std::uint8_t>(q);
        }
    }
    auto* qs = reinterpret_cast<std::uint8_t*>(block + q4_k::kQs);
    for (int group = 0; group < 4; ++group)
        for (int l = 0; l < 32; ++l)
            qs[32 * group + l] = static_cast<std::uint8_t>(levels[64 * group + l] |
                                                           (levels[64 * group + 32 + l] << 4));
}

Expected<std::vector<std::byte>> quantize(gguf::GgmlType type, std::span<const float> values,
                                          std::size_t rowLength) {
    using gguf::GgmlType;
    const auto traits = gguf::ggmlTypeTraits(type);
    if (!traits.computeSupported)
        return makeError(ErrorKind::Usage,
                         fmt::format("cannot quantise to {}: not supported", traits.name));
    if (rowLength == 0 || rowLength % traits.blockValues != 0 || values.size() % rowLength != 0)
        return makeError(ErrorKind::Usage,
                         fmt::format("cannot quantise {} values in rows of {} to {} (block {})",
                                     values.size(), rowLength, traits.name, traits.blockValues));
    std::vector<std::byte> out(bytesForValues(type, values.size()));
    const std::size_t blocks = values.size() / traits.blockValues;
    // Blocks are independent, so splitting them over threads cannot change the bytes.
    ThreadPool::shared().parallelFor(blocks, 1024, [&](std::size_t begin, std::size_t end) {
        for (std::size_t b = begin; b < end; ++b) {
            const float* x = values.data() + b * traits.blockValues;
            std::byte* dst = out.data() + b * traits.blockBytes;
            switch (type) {
            case GgmlType::F32:
                std::memcpy(dst, x, 4);
                break;
            case GgmlType::F16:
                storeU16(dst, floatToHalf(*x));
                break;
            case GgmlType::BF16:
                storeU16(dst, floatToBf16(*x));
                break;
            case GgmlType::Q8_0:
                quantizeQ8_0Block(x, dst);
                break;
            case GgmlType::Q4_K:
                quantizeQ4KBlock(x, dst);
                break;
            case GgmlType::Q6_K:
                quantizeQ6KBlock(x, dst);
                break;
            default:
                break;
            }
        }
    });
    return out;
}

} // namespace ptxwb::reference
