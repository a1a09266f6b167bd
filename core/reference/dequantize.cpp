#include "reference/dequantize.h"

#include "reference/fp16.h"

#include <cstring>
#include <fmt/format.h>
#include <vector>

namespace ptxwb::reference {
namespace {

std::uint16_t loadU16(const std::byte* p) {
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
}

const std::uint8_t* bytesOf(const std::byte* p) {
    return reinterpret_cast<const std::uint8_t*>(p);
}

/// All 65536 fp16 values as f32 (256 KiB, built once): a lookup is cheaper than decoding, and
/// it is what ggml's CPU backend does too. Entries come from halfToFloat, so results are equal.
const float* halfTable() {
    static const std::vector<float> table = [] {
        std::vector<float> t(65536);
        for (std::uint32_t h = 0; h < 65536; ++h)
            t[h] = halfToFloat(static_cast<std::uint16_t>(h));
        return t;
    }();
    return table.data();
}

float loadHalf(const std::byte* p) {
    return halfTable()[loadU16(p)];
}

} // namespace

void q4_k::scaleMin(const std::uint8_t* s, int j, std::uint8_t& scale, std::uint8_t& min) {
    if (j < 4) {
        scale = s[j] & 63;
        min = s[j + 4] & 63;
    } else {
        scale = static_cast<std::uint8_t>((s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4));
        min = static_cast<std::uint8_t>((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
    }
}

void dequantizeQ8_0Block(const std::byte* block, float* out) {
    const float d = loadHalf(block);
    const auto* qs = reinterpret_cast<const std::int8_t*>(block + 2);
    for (std::size_t i = 0; i < q8_0::kValues; ++i)
        out[i] = static_cast<float>(qs[i]) * d;
}

void dequantizeQ4KBlock(const std::byte* block, float* out) {
    const float d = loadHalf(block + q4_k::kD);
    const float dmin = loadHalf(block + q4_k::kDmin);
    const std::uint8_t* scales = bytesOf(block + q4_k::kScales);
    const std::uint8_t* q = bytesOf(block + q4_k::kQs);
    for (int group = 0; group < 4; ++group) {
        std::uint8_t sc = 0, m = 0;
        q4_k::scaleMin(scales, 2 * group, sc, m);
        const float d1 = d * sc, m1 = dmin * m;
        q4_k::scaleMin(scales, 2 * group + 1, sc, m);
        const float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; ++l)
            *out++ = d1 * static_cast<float>(q[l] & 0xF) - m1;
        for (int l = 0; l < 32; ++l)
            *out++ = d2 * static_cast<float>(q[l] >> 4) - m2;
        q += 32;
    }
}

void dequantizeQ6KBlock(const std::byte* block, float* out) {
    const float d = loadHalf(block + q6_k::kD);
    const std::uint8_t* ql = bytesOf(block + q6_k::kQl);
    const std::uint8_t* qh = bytesOf(block + q6_k::kQh);
    const auto* sc = reinterpret_cast<const std::int8_t*>(block + q6_k::kScales);
    for (int half = 0; half < 2; ++half) {
        for (int l = 0; l < 32; ++l) {
            const int is = l / 16;
            const int q0 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
            const int q1 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q2 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q3 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            // ggml evaluates d * sc first (float), then times q.
            out[l + 0] = d * static_cast<float>(sc[is + 0]) * static_cast<float>(q0);
            out[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q1);
            out[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q2);
            out[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q3);
        }
        out += 128;
        ql += 64;
        qh += 32;
        sc += 8;
    }
}

std::size_t bytesForValues(gguf::GgmlType type, std::size_t n) {
    const auto t = gguf::ggmlTypeTraits(type);
    return n / t.blockValues * t.blockBytes;
}

void dequantizeUnchecked(gguf::GgmlType type, const std::byte* src, float* out, std::size_t n) {
    using gguf::GgmlType;
    switch (type) {
    case GgmlType::F32:
        std::memcpy(out, src, n * 4);
        return;
    case GgmlType::F16: {
        const float* table = halfTable();
        for (std::size_t i = 0; i < n; ++i)
            out[i] = table[loadU16(src + 2 * i)];
        return;
    }
    case GgmlType::BF16:
        for (std::size_t i = 0; i < n; ++i)
            out[i] = bf16ToFloat(loadU16(src + 2 * i));
        return;
    case GgmlType::Q8_0:
        for (std::size_t b = 0; b < n / q8_0::kValues; ++b)
            dequantizeQ8_0Block(src + b * q8_0::kBytes, out + b * q8_0::kValues);
        return;
    case GgmlType::Q4_K:
        for (std::size_t b = 0; b < n / q4_k::kValues; ++b)
            dequantizeQ4KBlock(src + b * q4_k::kBytes, out + b * q4_k::kValues);
        return;
    case GgmlType::Q6_K:
        for (std::size_t b = 0; b < n / q6_k::kValues; ++b)
            dequantizeQ6KBlock(src + b * q6_k::kBytes, out + b * q6_k::kValues);
        return;
    default:
        return; // callers check computeSupported first
    }
}

Status dequantize(gguf::GgmlType type, std::span<const std::byte> src, std::span<float> out) {
    const auto traits = gguf::ggmlTypeTraits(type);
    if (!traits.computeSupported)
        return makeError(ErrorKind::BadInput,
                         fmt::format("tensor type {} is not supported for dequantisation "
                                     "(supported: f32, f16, bf16, q8_0, q4_K, q6_K)",
                                     traits.name));
    if (out.size() % traits.blockValues != 0 || src.size() != bytesForValues(type, out.size()))
        return makeError(ErrorKind::Internal, fmt::format("dequantize {}: {} bytes for {} values",
                                                          traits.name, src.size(), out.size()));
    dequantizeUnchecked(type, src.data(), out.data(), out.size());
    return Status{};
}

} // namespace ptxwb::reference
