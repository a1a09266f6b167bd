// F16 GEMV: a 256-value unit is 512 bytes of halves.
#include "gemv_common.cuh"

struct F16 {
    static constexpr int kUnitBytes = 512;
    static constexpr int kLanes = 8; // lane t: values 32c + 4t + j
    static constexpr int kSingleMinBlocks = GEMV_SINGLE_MIN_BLOCKS;
    struct Raw {
        uint2 h[8];
    };
    static __device__ __forceinline__ Raw load(const u8* b, int t) {
        Raw r;
#pragma unroll
        for (int c = 0; c < 8; ++c) r.h[c] = load_u64(b + 64 * c + 8 * t);
        return r;
    }
    static __device__ __forceinline__ void decode(const Raw& r, int, float w[32]) {
#pragma unroll
        for (int c = 0; c < 8; ++c) {
            w[4 * c + 0] = half_to_float(u16(r.h[c].x & 0xFFFF));
            w[4 * c + 1] = half_to_float(u16(r.h[c].x >> 16));
            w[4 * c + 2] = half_to_float(u16(r.h[c].y & 0xFFFF));
            w[4 * c + 3] = half_to_float(u16(r.h[c].y >> 16));
        }
    }
};

GEMV_ENTRY_POINTS(F16, f16_gemv, batched_f16_gemv)
