#include "parity/cpu_reference.h"

#include "parity/float_compare.h"
#include "reference/dequantize.h"
#include "reference/error_bounds.h"
#include "reference/fp16.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ptxwb::parity {

using kernels::WeightFormat;

namespace {
const double kU = std::ldexp(1.0, -24);
}

float halfToFloat(std::uint16_t h) {
    return reference::halfToFloat(h);
}

std::uint16_t floatToHalf(float f) {
    return reference::floatToHalf(f);
}

std::size_t weightRowBytes(WeightFormat format, int k) {
    switch (format) {
    case WeightFormat::F16:
        return static_cast<std::size_t>(k) * 2;
    case WeightFormat::F32:
        return static_cast<std::size_t>(k) * 4;
    case WeightFormat::Q8_0:
        return static_cast<std::size_t>(k) / 32 * 34;
    case WeightFormat::Q4_K:
        return static_cast<std::size_t>(k) / 256 * 144;
    case WeightFormat::Q6_K:
        return static_cast<std::size_t>(k) / 256 * 210;
    case WeightFormat::None:
        return static_cast<std::size_t>(k) * 4;
    }
    return 0;
}

int blockValues(WeightFormat format) {
    switch (format) {
    case WeightFormat::Q8_0:
        return 32;
    case WeightFormat::Q4_K:
    case WeightFormat::Q6_K:
        return 256;
    default:
        return 1;
    }
}

namespace {
gguf::GgmlType ggmlTypeOf(WeightFormat format) {
    switch (format) {
    case WeightFormat::F16:
        return gguf::GgmlType::F16;
    case WeightFormat::F32:
        return gguf::GgmlType::F32;
    case WeightFormat::Q8_0:
        return gguf::GgmlType::Q8_0;
    case WeightFormat::Q4_K:
        return gguf::GgmlType::Q4_K;
    case WeightFormat::Q6_K:
        return gguf::GgmlType::Q6_K;
    case WeightFormat::None:
        break;
    }
    return gguf::GgmlType::F32;
}
} // namespace

void dequantRow(WeightFormat format, const std::uint8_t* row, int k, float* out) {
    // core/reference dequantises bit-identically to ggml (f32 operations, no contraction).
    reference::dequantizeUnchecked(ggmlTypeOf(format), reinterpret_cast<const std::byte*>(row), out,
                                   static_cast<std::size_t>(k));
}

ReferenceOutput gemvReference(WeightFormat format, std::span<const std::uint8_t> w, int n, int k,
                              std::span<const float> x, int m) {
    ReferenceOutput out;
    out.value.assign(static_cast<std::size_t>(m) * n, 0.0);
    out.bound.assign(out.value.size(), 0.0);
    const double g = gammaF32(k + 8);
    std::vector<float> row(static_cast<std::size_t>(k));
    const std::size_t rowBytes = weightRowBytes(format, k);
    for (int r = 0; r < n; ++r) {
        dequantRow(format, w.data() + rowBytes * r, k, row.data());
        for (int i = 0; i < m; ++i) {
            const float* xr = x.data() + static_cast<std::size_t>(i) * k;
            double s = 0, a = 0;
            for (int j = 0; j < k; ++j) {
                double p = static_cast<double>(row[j]) * xr[j];
                s += p;
                a += std::fabs(p);
            }
            out.value[static_cast<std::size_t>(i) * n + r] = s;
            // An f32 dot product's forward error plus the rounding of the stored result.
            out.bound[static_cast<std::size_t>(i) * n + r] = g * a + kU * std::fabs(s);
        }
    }
    return out;
}

ReferenceOutput rmsnormReference(std::span<const float> x, std::span<const float> gamma, int m,
                                 int d, float eps) {
    ReferenceOutput out;
    out.value.resize(x.size());
    out.bound.resize(x.size());
    const double rel = gammaF32(d + 8) + 8 * kU;
    for (int r = 0; r < m; ++r) {
        const float* xr = x.data() + static_cast<std::size_t>(r) * d;
        double ss = 0;
        for (int i = 0; i < d; ++i)
            ss += static_cast<double>(xr[i]) * xr[i];
        double scale = 1.0 / std::sqrt(ss / d + eps);
        for (int i = 0; i < d; ++i) {
            double y = xr[i] * scale * gamma[i];
            out.value[static_cast<std::size_t>(r) * d + i] = y;
            out.bound[static_cast<std::size_t>(r) * d + i] = rel * std::fabs(y) + 1e-38;
        }
    }
    return out;
}

ReferenceOutput residualAddReference(std::span<const float> a, std::span<const float> b) {
    ReferenceOutput out;
    out.value.resize(a.size());
    out.bound.resize(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        out.value[i] = static_cast<double>(a[i]) + b[i];
        out.bound[i] = kU * std::fabs(out.value[i]);
    }
    return out;
}

ReferenceOutput swigluReference(std::span<const float> gate, std::span<const float> up) {
    ReferenceOutput out;
    out.value.resize(gate.size());
    out.bound.resize(gate.size());
    for (std::size_t i = 0; i < gate.size(); ++i) {
        double g = gate[i];
        out.value[i] = g / (1.0 + std::exp(-g)) * up[i];
        // expf (2 ulp), the add, the division and the product.
        out.bound[i] = 16 * kU * std::fabs(out.value[i]) + 1e-38;
        // Where f32 expf(-g) overflows, 0 is right too (as in reference::swigluErrorBound).
        if (g < reference::kSiluOverflowGate)
            out.bound[i] = std::max(out.bound[i], std::fabs(out.value[i]) * 1.0000001);
    }
    return out;
}

ReferenceOutput ropeReference(std::span<const float> x, int m, int h, int hd,
                              std::span<const int> positions, float base) {
    ReferenceOutput out;
    out.value.resize(x.size());
    out.bound.resize(x.size());
    for (int r = 0; r < m; ++r) {
        for (int head = 0; head < h; ++head) {
            std::size_t o = (static_cast<std::size_t>(r) * h + head) * hd;
            for (int i = 0; i < hd / 2; ++i) {
                double theta = positions[r] * std::pow(static_cast<double>(base), -2.0 * i / hd);
                double c = std::cos(theta), s = std::sin(theta);
                double x0 = x[o + 2 * i], x1 = x[o + 2 * i + 1];
                out.value[o + 2 * i] = x0 * c - x1 * s;
                out.value[o + 2 * i + 1] = x0 * s + x1 * c;
                // powf and the f32 angle are a few ulp of theta; sincosf, the products and the sum
                // a few ulp of the magnitude, plus the absolute rounding of products that
                // underflow into subnormals.
                double err =
                    (std::fabs(x0) + std::fabs(x1)) * (8 * kU * std::fabs(theta) + 16 * kU) +
                    4 * reference::kUnderflowF32;
                out.bound[o + 2 * i] = err;
                out.bound[o + 2 * i + 1] = err;
            }
        }
    }
    return out;
}

ReferenceOutput kvScatterReference(std::span<const float> src, int m, int hkv, int hd, int maxLen,
                                   std::span<const int> positions,
                                   std::vector<std::uint8_t>& written) {
    ReferenceOutput out;
    std::size_t n = static_cast<std::size_t>(hkv) * maxLen * hd;
    out.value.assign(n, 0.0);
    out.bound.assign(n, 0.0);
    written.assign(n, 0);
    for (int r = 0; r < m; ++r) {
        int pos = positions[r];
        if (pos < 0 || pos >= maxLen) continue;
        for (int h = 0; h < hkv; ++h)
            for (int i = 0; i < hd; ++i) {
                std::size_t c = (static_cast<std::size_t>(h) * maxLen + pos) * hd + i;
                out.value[c] = src[(static_cast<std::size_t>(r) * hkv + h) * hd + i];
                written[c] = 1;
            }
    }
    return out;
}

ReferenceOutput attentionReference(std::span<const float> q, std::span<const float> kCache,
                                   std::span<const float> vCache, int m, int h, int hkv, int hd,
                                   int maxLen, std::span<const int> positions) {
    ReferenceOutput out;
    out.value.resize(static_cast<std::size_t>(m) * h * hd);
    out.bound.resize(out.value.size());
    const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
    for (int r = 0; r < m; ++r) {
        int len = std::min(positions[r] + 1, maxLen);
        for (int head = 0; head < h; ++head) {
            int kvh = head / (h / hkv);
            const float* qv = q.data() + (static_cast<std::size_t>(r) * h + head) * hd;
            std::vector<double> s(static_cast<std::size_t>(len));
            double maxAbsDot = 0, mx = -1e300;
            for (int t = 0; t < len; ++t) {
                const float* kv = kCache.data() + (static_cast<std::size_t>(kvh) * maxLen + t) * hd;
                double dot = 0, a = 0;
                for (int i = 0; i < hd; ++i) {
                    dot += static_cast<double>(qv[i]) * kv[i];
                    a += std::fabs(static_cast<double>(qv[i]) * kv[i]);
                }
                s[t] = dot * scale;
                maxAbsDot = std::max(maxAbsDot, a * scale);
                mx = std::max(mx, s[t]);
            }
            double sum = 0;
            for (auto& v : s)
                sum += (v = std::exp(v - mx));
            // Error of each probability: twice the score error (through exp and the max shift)
            // plus the normalising sum; the weighted sum of V adds gamma_len.
            double scoreErr = gammaF32(hd + 2) * maxAbsDot + 4 * kU;
            double rel = 2 * scoreErr + 2 * gammaF32(len + 4) + 8 * kU;
            for (int i = 0; i < hd; ++i) {
                double acc = 0, vmax = 0;
                for (int t = 0; t < len; ++t) {
                    double v = vCache[(static_cast<std::size_t>(kvh) * maxLen + t) * hd + i];
                    acc += s[t] * v;
                    vmax = std::max(vmax, std::fabs(v));
                }
                std::size_t o = (static_cast<std::size_t>(r) * h + head) * hd + i;
                out.value[o] = acc / sum;
                out.bound[o] = rel * vmax + 1e-30;
            }
        }
    }
    return out;
}

ReferenceOutput embeddingReference(WeightFormat format, std::span<const std::uint8_t> table, int v,
                                   int d, std::span<const int> tokens) {
    ReferenceOutput out;
    out.value.resize(tokens.size() * static_cast<std::size_t>(d));
    out.bound.assign(out.value.size(), 0.0);
    std::vector<float> row(static_cast<std::size_t>(d));
    for (std::size_t r = 0; r < tokens.size(); ++r) {
        int t = std::clamp(tokens[r], 0, v - 1);
        dequantRow(format, table.data() + weightRowBytes(format, d) * t, d, row.data());
        for (int i = 0; i < d; ++i)
            out.value[r * d + i] = row[i];
    }
    return out;
}

} // namespace ptxwb::parity
