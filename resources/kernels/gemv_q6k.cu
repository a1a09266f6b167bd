// Q6_K GEMV (210-byte super-blocks: ql[128], qh[64], scales[16] int8, d f16). Blocks are only
// 2-byte aligned, so 32-bit words are read as two 16-bit loads.
#include "gemv_common.cuh"

struct Q6K {
    static constexpr int kUnitBytes = 210;
    static constexpr int kLanes = 8; // lane t: values 32c + 4t + j
    static constexpr int kSingleMinBlocks = GEMV_SINGLE_MIN_BLOCKS;
    struct Raw {
        u32 qlA[2], qlB[2], qh[2]; // per half h: ql[64h+4t..], ql[64h+32+4t..], qh[32h+4t..]
        u32 sc[2];                 // scales[2c + t/4] for c = 0..7, four bytes per word
        u16 d;
    };
    static __device__ __forceinline__ Raw load(const u8* b, int t) {
        Raw r;
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            r.qlA[h] = load_u32_a2(b + 64 * h + 4 * t);
            r.qlB[h] = load_u32_a2(b + 64 * h + 32 + 4 * t);
            r.qh[h] = load_u32_a2(b + 128 + 32 * h + 4 * t);
        }
        // scales[2c + t/4] for c = 0..7: the 16 scale bytes come as the 4 or 5 aligned words
        // that cover them (a block starts 4-byte aligned or 2 bytes past), realigned by a funnel
        // shift; a byte permute then picks every other byte.
        const u8* scales = b + 192;
        const u32 sh = 8u * u32(reinterpret_cast<size_t>(scales) & 3);
        const u8* base = scales - (sh >> 3);
        u32 wd[5];
#pragma unroll
        for (int i = 0; i < 4; ++i) wd[i] = load_u32(base + 4 * i);
        // The fifth word is only needed (and only inside the block) when the scales are not
        // aligned: then it holds scales[14..15] and d.
        wd[4] = sh != 0 ? load_u32(base + 16) : 0u;
        u32 s[4];
#pragma unroll
        for (int i = 0; i < 4; ++i) s[i] = __funnelshift_r(wd[i], wd[i + 1], sh);
        const u32 pick = 0x6420u + 0x1111u * u32(t >> 2);
        r.sc[0] = __byte_perm(s[0], s[1], pick);
        r.sc[1] = __byte_perm(s[2], s[3], pick);
        r.d = load_u16(b + 208);
        return r;
    }
    // Lane t's value 32c + 4t + j lies in half h = c/4, quadrant q = c%4, at l = 4t + j:
    // quadrants 0/2 take the low/high nibble of ql[64h+l], 1/3 those of ql[64h+32+l]; the two
    // high bits come from qh[32h+l] at shift 2q; the scale is scales[(32c+4t+j)/16].
    static __device__ __forceinline__ void decode(const Raw& r, int t, float w[32]) {
        const float d = half_to_float(r.d);
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            u32 q[4];
            q[0] = (r.qlA[h] & 0x0F0F0F0Fu) | ((r.qh[h] << 4) & 0x30303030u);
            q[1] = (r.qlB[h] & 0x0F0F0F0Fu) | ((r.qh[h] << 2) & 0x30303030u);
            q[2] = ((r.qlA[h] >> 4) & 0x0F0F0F0Fu) | (r.qh[h] & 0x30303030u);
            q[3] = ((r.qlB[h] >> 4) & 0x0F0F0F0Fu) | ((r.qh[h] >> 2) & 0x30303030u);
            // int8 scales: flipping the sign bit gives the unsigned byte scale + 128.
            const u32 scw = r.sc[h] ^ 0x80808080u;
#pragma unroll
            for (int qd = 0; qd < 4; ++qd) {
                const int c = 4 * h + qd;
                const float d1 = d * byte_minus(scw, qd, 128);
#pragma unroll
                for (int k = 0; k < 4; ++k) w[4 * c + k] = d1 * byte_minus(q[qd], k, 32);
            }
        }
    }
};

// Bug zoo: the batched Q6_K dequantisation with the three upstream errors at once.
//  1. contiguous thread-to-value mapping: lane t decodes values 32t + e instead of 32c + 4t + j;
//  2. naive addressing: ql byte v/2 with nibble v%2, qh byte v/4 with shift 2*(v%4);
//  3. q = ql + 4*qh - 32 instead of (ql | qh << 4) - 32.
struct Q6KBroken {
    static constexpr int kUnitBytes = 210;
    static constexpr int kLanes = 8;
    struct Raw {
        const u8* b;
    };
    static __device__ __forceinline__ Raw load(const u8* b, int) { return Raw{b}; }
    static __device__ __forceinline__ void decode(const Raw& raw, int t, float w[32]) {
        const u8* b = raw.b;
        const float d = half_to_float(load_u16(b + 208));
        const i8* scales = reinterpret_cast<const i8*>(b + 192);
#pragma unroll
        for (int e = 0; e < 32; ++e) {
            const int v = 32 * t + e;
            const int ql = (b[v / 2] >> (4 * (v % 2))) & 0xF;
            const int qh = (b[128 + v / 4] >> (2 * (v % 4))) & 3;
            const float d1 = d * float(scales[v / 16]);
            w[e] = d1 * float(ql + 4 * qh - 32);
        }
    }
};

GEMV_ENTRY_POINTS(Q6K, q6k_gemv, batched_q6k_gemv)

extern "C" __global__ void __launch_bounds__(GEMV_THREADS, GEMV_BATCHED_MIN_BLOCKS)
    zoo_batched_q6k_gemv_dequant(const u8* __restrict__ w, const float* __restrict__ x,
                                 float* __restrict__ y, int k, int n, int m) {
    GEMV_BATCHED_BODY(Q6KBroken)
}
