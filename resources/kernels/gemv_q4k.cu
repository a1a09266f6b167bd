// Q4_K GEMV (144-byte super-blocks of 256 values; see kernel-set.md for the layout).
#include "gemv_common.cuh"

struct Q4K {
    static constexpr int kUnitBytes = 144;
    struct Raw {
        uint4 head; // d, dmin, scales[12]
        u32 q[4];   // qs[32g + 4t .. +3] for g = 0..3
    };
    static __device__ __forceinline__ Raw load(const u8* b, int t) {
        Raw r;
        r.head = load_u128(b);
#pragma unroll
        for (int g = 0; g < 4; ++g) r.q[g] = load_u32(b + 16 + 32 * g + 4 * t);
        return r;
    }
    // Lane t's 32 values of a super-block: for group g, the low nibbles of qs[32g+4t .. +3] are
    // values 64g+4t+j (sub-block 2g), the high nibbles values 64g+32+4t+j (sub-block 2g+1).
    static __device__ __forceinline__ void decode(const Raw& r, int t, float w[32]) {
        const float d = half_to_float(u16(r.head.x & 0xFFFF));
        const float dmin = half_to_float(u16(r.head.x >> 16));
        const u32 s0 = r.head.y, s1 = r.head.z, s2 = r.head.w; // scales bytes 0-3, 4-7, 8-11
        // The 6-bit scales and mins of all 8 sub-blocks, four per word (see kernel-set.md).
        const u32 scLo = s0 & 0x3F3F3F3Fu, mnLo = s1 & 0x3F3F3F3Fu;
        const u32 scHi = (s2 & 0x0F0F0F0Fu) | ((s0 >> 2) & 0x30303030u);
        const u32 mnHi = ((s2 >> 4) & 0x0F0F0F0Fu) | ((s1 >> 2) & 0x30303030u);
#pragma unroll
        for (int g = 0; g < 4; ++g) {
#pragma unroll
            for (int half = 0; half < 2; ++half) {
                const int j = 2 * g + half; // sub-block
                const float d1 = d * byte_to_float(j < 4 ? scLo : scHi, j & 3);
                const float m1 = dmin * byte_to_float(j < 4 ? mnLo : mnHi, j & 3);
                const u32 nib = half == 0 ? (r.q[g] & 0x0F0F0F0Fu) : ((r.q[g] >> 4) & 0x0F0F0F0Fu);
#pragma unroll
                for (int k = 0; k < 4; ++k) w[4 * j + k] = fmaf(d1, byte_to_float(nib, k), -m1);
            }
        }
    }
};

GEMV_ENTRY_POINTS(Q4K, q4k_gemv, batched_q4k_gemv)

// Bug zoo: the batched variant that accumulates each sub-block's products into its own partial
// sum and adds the partials at the end. Every value is still within the dot product's error
// bound, but the rounding order differs from the single kernel, so bitwise parity must fail.
template <int MT>
__device__ void gemv_q4k_reordered(const u8* W, const float* x, float* y, int K, int N, int M) {
    __shared__ float partial[GEMV_KSPLIT][GEMV_ROWS_PER_BLOCK][MT];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, group = lane >> 3, t = lane & 7;
    const int row = blockIdx.x * GEMV_ROWS_PER_BLOCK + group;
    const int units = K / 256;
    const bool active = row < N;
    const u8* wrow = W + (size_t)(active ? row : 0) * (size_t)units * Q4K::kUnitBytes;
    for (int m0 = 0; m0 < M; m0 += MT) {
        float acc[MT];
        for (int m = 0; m < MT; ++m) acc[m] = 0.0f;
        if (active) {
            for (int u = warp; u < units; u += GEMV_KSPLIT) {
                float w[32];
                Q4K::decode(Q4K::load(wrow + (size_t)u * Q4K::kUnitBytes, t), t, w);
                for (int m = 0; m < MT; ++m) {
                    if (m0 + m >= M) continue;
                    const float* xr = x + (size_t)(m0 + m) * K + u * 256 + 4 * t;
                    float sub[8];
                    for (int c = 0; c < 8; ++c) {
                        float4 xv = *reinterpret_cast<const float4*>(xr + 32 * c);
                        sub[c] = w[4 * c] * xv.x;
                        sub[c] = fmaf(w[4 * c + 1], xv.y, sub[c]);
                        sub[c] = fmaf(w[4 * c + 2], xv.z, sub[c]);
                        sub[c] = fmaf(w[4 * c + 3], xv.w, sub[c]);
                    }
                    acc[m] += ((sub[0] + sub[1]) + (sub[2] + sub[3])) + ((sub[4] + sub[5]) + (sub[6] + sub[7]));
                }
            }
        }
        for (int m = 0; m < MT; ++m) {
            float s = group8_sum(acc[m]);
            if (t == 0) partial[warp][group][m] = s;
        }
        __syncthreads();
        if (warp == 0 && t == 0 && active)
            for (int m = 0; m < MT && m0 + m < M; ++m)
            {
                float s = partial[0][group][m];
                for (int w = 1; w < GEMV_KSPLIT; ++w) s += partial[w][group][m];
                y[(size_t)(m0 + m) * N + row] = s;
            }
        __syncthreads();
    }
}

extern "C" __global__ void __launch_bounds__(GEMV_THREADS)
    zoo_batched_q4k_gemv_reordered(const u8* w, const float* x, float* y, int k, int n, int m) {
    gemv_q4k_reordered<8>(w, x, y, k, n, m);
}
