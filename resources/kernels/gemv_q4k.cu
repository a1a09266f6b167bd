// Q4_K GEMV (144-byte super-blocks of 256 values; see kernel-set.md for the layout).
#include "gemv_common.cuh"

struct Q4K {
    static constexpr int kUnitBytes = 144;
    static constexpr int kLanes = 4; // lane t: values 32c + 8t + j
    // 5 blocks per SM (up to 96 registers): measured on an H100, 8 (64 registers) was 5 to 16%
    // slower at three of the four benchmark shapes, 6 and 4 in between.
    static constexpr int kSingleMinBlocks = 5;
    struct Raw {
        uint4 head; // d, dmin, scales[12]
        uint2 q[4]; // qs[32g + 8t .. +7] for g = 0..3
    };
    static __device__ __forceinline__ Raw load(const u8* b, int t) {
        Raw r;
        r.head = load_u128(b);
#pragma unroll
        for (int g = 0; g < 4; ++g) r.q[g] = load_u64(b + 16 + 32 * g + 8 * t);
        return r;
    }
    // Lane t's 64 values of a super-block: for group g, the low nibbles of qs[32g+8t .. +7] are
    // values 64g+8t+j (sub-block 2g), the high nibbles values 64g+32+8t+j (sub-block 2g+1). A
    // 32-value chunk c of the skeleton is sub-block c.
    static __device__ __forceinline__ void decode(const Raw& r, int, float w[64]) {
        const float d = half_to_float(u16(r.head.x & 0xFFFF));
        const float dmin = half_to_float(u16(r.head.x >> 16));
        const u32 s0 = r.head.y, s1 = r.head.z, s2 = r.head.w; // scales bytes 0-3, 4-7, 8-11
        // The 6-bit scales and mins of all 8 sub-blocks, four per word (see kernel-set.md).
        const u32 scLo = s0 & 0x3F3F3F3Fu, mnLo = s1 & 0x3F3F3F3Fu;
        const u32 scHi = (s2 & 0x0F0F0F0Fu) | ((s0 >> 2) & 0x30303030u);
        const u32 mnHi = ((s2 >> 4) & 0x0F0F0F0Fu) | ((s1 >> 2) & 0x30303030u);
        const float dBias = d * -8388608.0f, dminBias = dmin * -8388608.0f; // exact
#pragma unroll
        for (int g = 0; g < 4; ++g) {
#pragma unroll
            for (int half = 0; half < 2; ++half) {
                const int j = 2 * g + half; // sub-block
                // d * scale and dmin * min: 17-bit products, exact (see biased_byte).
                const float d1 = fmaf(d, biased_byte(j < 4 ? scLo : scHi, j & 3), dBias);
                const float m1 = fmaf(dmin, biased_byte(j < 4 ? mnLo : mnHi, j & 3), dminBias);
#pragma unroll
                for (int e = 0; e < 2; ++e) {
                    const u32 q = e == 0 ? r.q[g].x : r.q[g].y;
                    const u32 nib = half == 0 ? (q & 0x0F0F0F0Fu) : ((q >> 4) & 0x0F0F0F0Fu);
#pragma unroll
                    for (int k = 0; k < 4; ++k) w[8 * j + 4 * e + k] = fmaf(d1, byte_to_float(nib, k), -m1);
                }
            }
        }
    }
};

GEMV_ENTRY_POINTS(Q4K, q4k_gemv, batched_q4k_gemv)

// Bug zoo: the batched variant that sums each chunk's products on their own (a per-sub-block
// partial, a common way to write the dot) and then adds that partial to the row sum. Every value
// is still within the dot product's error bound, but the rounding order differs from the single
// kernel's one chain of fmaf, so bitwise parity must fail. Everything else is the good kernel.
struct ChunkPartialsDot {
    template <int MT, int V>
    static __device__ __forceinline__ void apply(const float (&w)[V], const XRows<MT>& xr,
                                                 int u, float (&acc)[MT]) {
        constexpr int P = V / 8; // values per chunk
#pragma unroll
        for (int c = 0; c < 8; ++c) {
#pragma unroll
            for (int m = 0; m < MT; ++m) {
                float sub = 0.0f;
#pragma unroll
                for (int p = 0; p < P; p += 4) {
                    const float4 xv = load_x4(xr.row(m) + u * 256 + 32 * c + p);
                    sub = fmaf(w[P * c + p], xv.x, sub);
                    sub = fmaf(w[P * c + p + 1], xv.y, sub);
                    sub = fmaf(w[P * c + p + 2], xv.z, sub);
                    sub = fmaf(w[P * c + p + 3], xv.w, sub);
                }
                acc[m] += sub;
            }
        }
    }
};

extern "C" __global__ void __launch_bounds__(GEMV_THREADS, GEMV_BATCHED_MIN_BLOCKS)
    zoo_batched_q4k_gemv_reordered(const u8* __restrict__ w, const float* __restrict__ x,
                                   float* __restrict__ y, int k, int n, int m) {
    GEMV_BATCHED_BODY_DOT(Q4K, ChunkPartialsDot)
}
