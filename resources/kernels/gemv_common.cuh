// The GEMV skeleton shared by every weight format: y[m, n] = sum_k deq(W)[n, k] * x[m, k].
//
// Work split: a block of 128 threads owns 4 output rows. Within a warp, 8 lanes serve one row
// (4 rows per warp); the 4 warps split K by 256-value units (warp w takes units w, w+4, ...) and
// their partial sums meet in shared memory in a fixed order. In every unit, lane t handles the 32
// values 32c + 4t + j (c = 0..7, j = 0..3), so the 8 lanes of a row read 128 contiguous bytes of x
// per float4 load.
//
// Batched: the same code with MT rows of x; each weight is decoded once and applied to all rows
// held in registers. Every row runs the exact same sequence of roundings as the single kernel
// (MT = 1), which is what makes the bitwise contract hold for every M.
#pragma once
#include "common.cuh"

#define GEMV_ROWS_PER_BLOCK 4
#define GEMV_THREADS 128

template <class Format, int MT>
__device__ __forceinline__ void gemv_rows(const u8* __restrict__ W, const float* __restrict__ x,
                                          float* __restrict__ y, int K, int N, int M) {
    __shared__ float partial[4][GEMV_ROWS_PER_BLOCK][MT];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int group = lane >> 3; // row within the block
    const int t = lane & 7;
    const int row = blockIdx.x * GEMV_ROWS_PER_BLOCK + group;
    const int units = K / 256;
    const bool active = row < N;
    const u8* wrow = W + (size_t)(active ? row : 0) * (size_t)units * Format::kUnitBytes;

    for (int m0 = 0; m0 < M; m0 += MT) {
        float acc[MT];
#pragma unroll
        for (int m = 0; m < MT; ++m) acc[m] = 0.0f;
        if (active) {
            for (int u = warp; u < units; u += 4) {
                float w[32];
                Format::decode(wrow + (size_t)u * Format::kUnitBytes, t, w);
#pragma unroll
                for (int m = 0; m < MT; ++m) {
                    if (m0 + m < M) {
                        const float* xr = x + (size_t)(m0 + m) * K + u * 256 + 4 * t;
#pragma unroll
                        for (int c = 0; c < 8; ++c) {
                            float4 xv = *reinterpret_cast<const float4*>(xr + 32 * c);
                            acc[m] = fmaf(w[4 * c + 0], xv.x, acc[m]);
                            acc[m] = fmaf(w[4 * c + 1], xv.y, acc[m]);
                            acc[m] = fmaf(w[4 * c + 2], xv.z, acc[m]);
                            acc[m] = fmaf(w[4 * c + 3], xv.w, acc[m]);
                        }
                    }
                }
            }
        }
#pragma unroll
        for (int m = 0; m < MT; ++m) {
            float s = group8_sum(acc[m]);
            if (t == 0) partial[warp][group][m] = s;
        }
        __syncthreads();
        if (warp == 0 && t == 0 && active) {
#pragma unroll
            for (int m = 0; m < MT; ++m) {
                if (m0 + m < M) {
                    float s = ((partial[0][group][m] + partial[1][group][m]) + partial[2][group][m]) +
                              partial[3][group][m];
                    y[(size_t)(m0 + m) * N + row] = s;
                }
            }
        }
        __syncthreads();
    }
}

// Single and batched entry points for a format (batched walks the batch with an in-kernel loop,
// 8 rows in registers per pass over the weights).
#define GEMV_ENTRY_POINTS(FORMAT, single_name, batched_name)                                       \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                     \
        single_name(const u8* __restrict__ w, const float* __restrict__ x, float* __restrict__ y,  \
                    int k, int n) {                                                                \
        gemv_rows<FORMAT, 1>(w, x, y, k, n, 1);                                                    \
    }                                                                                              \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                     \
        batched_name(const u8* __restrict__ w, const float* __restrict__ x, float* __restrict__ y, \
                     int k, int n, int m) {                                                        \
        gemv_rows<FORMAT, 8>(w, x, y, k, n, m);                                                    \
    }
