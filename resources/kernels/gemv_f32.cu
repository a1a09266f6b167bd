// F32 GEMV: a 256-value unit is 1024 bytes of floats. Lane t of a row owns values 32c + 4t + j
// (c = 0..7, j = 0..3), so each of its eight loads is one 16-byte vector and the 8 lanes of a row
// read 128 contiguous bytes per load, like the x vector.
#include "gemv_common.cuh"

struct F32 {
    static constexpr int kUnitBytes = 1024;
    static constexpr int kLanes = 8; // lane t: values 32c + 4t + j
    static constexpr int kSingleMinBlocks = GEMV_SINGLE_MIN_BLOCKS;
    struct Raw {
        uint4 v[8];
    };
    static __device__ __forceinline__ Raw load(const u8* b, int t) {
        Raw r;
#pragma unroll
        for (int c = 0; c < 8; ++c) r.v[c] = load_u128(b + 128 * c + 16 * t);
        return r;
    }
    static __device__ __forceinline__ void decode(const Raw& r, int, float w[32]) {
#pragma unroll
        for (int c = 0; c < 8; ++c) {
            w[4 * c + 0] = __uint_as_float(r.v[c].x);
            w[4 * c + 1] = __uint_as_float(r.v[c].y);
            w[4 * c + 2] = __uint_as_float(r.v[c].z);
            w[4 * c + 3] = __uint_as_float(r.v[c].w);
        }
    }
};

GEMV_ENTRY_POINTS(F32, f32_gemv, batched_f32_gemv)
