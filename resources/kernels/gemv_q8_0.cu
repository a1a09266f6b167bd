// Q8_0 GEMV (34-byte blocks of 32 values: d f16, qs[32] int8); a 256-value unit is 8 blocks.
#include "gemv_common.cuh"

struct Q8_0 {
    static constexpr int kUnitBytes = 272;
    static constexpr int kLanes = 8; // lane t: values 32c + 4t + j
    static constexpr int kSingleMinBlocks = GEMV_SINGLE_MIN_BLOCKS;
    struct Raw {
        u32 q[8]; // qs[4t .. 4t+3] of each of the unit's 8 blocks
        u16 d[8];
    };
    static __device__ __forceinline__ Raw load(const u8* b, int t) {
        Raw r;
#pragma unroll
        for (int c = 0; c < 8; ++c) {
            r.d[c] = load_u16(b + 34 * c);
            r.q[c] = load_u32_a2(b + 34 * c + 2 + 4 * t);
        }
        return r;
    }
    static __device__ __forceinline__ void decode(const Raw& r, int, float w[32]) {
#pragma unroll
        for (int c = 0; c < 8; ++c) {
            const float d = half_to_float(r.d[c]);
            // Flipping the sign bit maps int8 q to the unsigned byte q + 128, exact as a float.
            const u32 q = r.q[c] ^ 0x80808080u;
#pragma unroll
            for (int k = 0; k < 4; ++k) w[4 * c + k] = byte_minus(q, k, 128) * d;
        }
    }
};

GEMV_ENTRY_POINTS(Q8_0, q8_0_gemv, batched_q8_0_gemv)
