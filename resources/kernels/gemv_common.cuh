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
// Warps per block; they split K by 256-value units (warp w takes units w, w + KSPLIT, ...).
#ifndef GEMV_KSPLIT
#define GEMV_KSPLIT 4
#endif
// Units of raw weight bytes each warp keeps in flight ahead of the one it decodes.
#ifndef GEMV_PREFETCH
#define GEMV_PREFETCH 1
#endif
// 1: at M = 1, the next unit's x values are loaded together with its weights.
#ifndef GEMV_XPREFETCH
#define GEMV_XPREFETCH 0
#endif
#define GEMV_THREADS (32 * GEMV_KSPLIT)

// acc = sum over the unit's 32 values of w * x, in the fixed order c = 0..7, j = 0..3.
__device__ __forceinline__ float dot_unit(const float w[32], const float4 xv[8], float acc) {
#pragma unroll
    for (int c = 0; c < 8; ++c) {
        acc = fmaf(w[4 * c + 0], xv[c].x, acc);
        acc = fmaf(w[4 * c + 1], xv[c].y, acc);
        acc = fmaf(w[4 * c + 2], xv[c].z, acc);
        acc = fmaf(w[4 * c + 3], xv[c].w, acc);
    }
    return acc;
}

#ifndef GEMV_X_LDG
#define GEMV_X_LDG 0
#endif
__device__ __forceinline__ void load_x_unit(const float* xr, float4 xv[8]) {
#pragma unroll
    for (int c = 0; c < 8; ++c) {
#if GEMV_X_LDG
        xv[c] = __ldg(reinterpret_cast<const float4*>(xr + 32 * c));
#else
        xv[c] = *reinterpret_cast<const float4*>(xr + 32 * c);
#endif
    }
}

template <class Format, int MT>
__device__ __forceinline__ void gemv_rows(const u8* __restrict__ W, const float* __restrict__ x,
                                          float* __restrict__ y, int K, int N, int M) {
    __shared__ float partial[GEMV_KSPLIT][GEMV_ROWS_PER_BLOCK][MT];
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
        if (active && MT == 1 && GEMV_XPREFETCH) {
            // M = 1: weights and x of the next unit are both in flight while this one is summed.
            const float* xr = x + (size_t)m0 * K + 4 * t;
            typename Format::Raw raw = {};
            float4 xv[8] = {};
            if (warp < units) {
                raw = Format::load(wrow + (size_t)warp * Format::kUnitBytes, t);
                load_x_unit(xr + warp * 256, xv);
            }
            for (int u = warp; u < units; u += GEMV_KSPLIT) {
                typename Format::Raw next = {};
                float4 xn[8] = {};
                const int un = u + GEMV_KSPLIT;
                if (un < units) {
                    next = Format::load(wrow + (size_t)un * Format::kUnitBytes, t);
                    load_x_unit(xr + un * 256, xn);
                }
                float w[32];
                Format::decode(raw, t, w);
                acc[0] = dot_unit(w, xv, acc[0]);
                raw = next;
#pragma unroll
                for (int c = 0; c < 8; ++c) xv[c] = xn[c];
            }
        } else if (active) {
            // The next unit's raw bytes are loaded before this unit is decoded, so every warp keeps
            // two units of weights in flight: at M=1 a GEMV is bound by bytes in flight.
            typename Format::Raw raw = {};
            if (warp < units) raw = Format::load(wrow + (size_t)warp * Format::kUnitBytes, t);
#if GEMV_PREFETCH >= 2
            typename Format::Raw ahead = {};
            if (warp + GEMV_KSPLIT < units)
                ahead = Format::load(wrow + (size_t)(warp + GEMV_KSPLIT) * Format::kUnitBytes, t);
#endif
            for (int u = warp; u < units; u += GEMV_KSPLIT) {
                typename Format::Raw next = {};
                const int un = u + GEMV_PREFETCH * GEMV_KSPLIT;
                if (un < units) next = Format::load(wrow + (size_t)un * Format::kUnitBytes, t);
                float w[32];
                Format::decode(raw, t, w);
#pragma unroll
                for (int m = 0; m < MT; ++m) {
                    if (m0 + m < M) {
                        float4 xv[8];
                        load_x_unit(x + (size_t)(m0 + m) * K + u * 256 + 4 * t, xv);
                        acc[m] = dot_unit(w, xv, acc[m]);
                    }
                }
#if GEMV_PREFETCH >= 2
                raw = ahead;
                ahead = next;
#else
                raw = next;
#endif
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
                    float s = partial[0][group][m];
#pragma unroll
                    for (int w = 1; w < GEMV_KSPLIT; ++w) s += partial[w][group][m];
                    y[(size_t)(m0 + m) * N + row] = s;
                }
            }
        }
        __syncthreads();
    }
}

// Single and batched entry points for a format. The batched kernel walks the batch with an
// in-kernel loop, up to 8 rows in registers per pass over the weights; M = 1 and M <= 4 take
// smaller register tiles. Every tile size runs the same per-row sequence of roundings.
#define GEMV_ENTRY_POINTS(FORMAT, single_name, batched_name)                                       \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                     \
        single_name(const u8* __restrict__ w, const float* __restrict__ x, float* __restrict__ y,  \
                    int k, int n) {                                                                \
        gemv_rows<FORMAT, 1>(w, x, y, k, n, 1);                                                    \
    }                                                                                              \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                     \
        batched_name(const u8* __restrict__ w, const float* __restrict__ x, float* __restrict__ y, \
                     int k, int n, int m) {                                                        \
        if (m == 1) gemv_rows<FORMAT, 1>(w, x, y, k, n, m);                                        \
        else if (m <= 4) gemv_rows<FORMAT, 4>(w, x, y, k, n, m);                                   \
        else gemv_rows<FORMAT, 8>(w, x, y, k, n, m);                                               \
    }
