// The GEMV skeleton shared by every weight format: y[m, n] = sum_k deq(W)[n, k] * x[m, k].
//
// Work split: a block of 128 threads owns 32 / L output rows, where L (Format::kLanes, 8 or 4)
// lanes of a warp serve one row; the 4 warps split K by 256-value units (warp w takes units w,
// w+4, ...) and their partial sums meet in shared memory in a fixed order. In every unit, lane t
// handles the V = 256 / L values 32c + (V/8)t + j (c = 0..7, j < V/8), so the L lanes of a row
// read 128 contiguous bytes of x per chunk c, and the rows of a warp read the same x (one
// broadcast per load).
//
// Why L = 4 for the k-quants: a lane dequantises V/8 values of each 32-value chunk with the same
// scale, so the per-sub-block work (scale and min to float, times d) is paid once per 8 values
// instead of once per 4. Measured on an H100, that work was a fifth of the Q4_K kernel's
// instructions, and at 8 lanes the kernel was issue-bound at the large shapes.
//
// GEMV_BATCH units of raw weights can be loaded together before the first is decoded. Measured
// on an H100 (weights streamed from device memory), 2, 4 and 8 were all slower than 1: the extra
// registers cost more resident warps than the deeper per-warp queue gained, so the default is 1,
// with the single kernels capped at Format::kSingleMinBlocks blocks per SM (64 registers, 96 for
// Q4_K). Staging the weights through shared memory was slower too, with cp.async (2 to 6 units in
// flight per warp) or with bulk copies of whole row stages: both added a fifth to a third more
// instructions to an issue-bound loop (bench/gpu_gemv_notes.md, rounds 3 and 4).
//
// Batched: the same code with MT rows of x; each weight is decoded once and applied to all rows
// held in registers. Every row runs the exact same sequence of roundings as the single kernel
// (MT = 1): units in the order w, w+4, ..., values in the order c, j, then the same reduction.
// Interleaving the rows (x chunk c of every row before chunk c + 1) changes no row's order; it
// only lets all x loads of a chunk be in flight together. That is what makes the bitwise contract
// hold for every M.
#pragma once
#include "common.cuh"

// Warps per block; they split K by 256-value units (warp w takes units w, w + KSPLIT, ...).
#ifndef GEMV_KSPLIT
#define GEMV_KSPLIT 4
#endif
// Units whose raw weight bytes a warp loads together before decoding the first, at M = 1 ...
#ifndef GEMV_BATCH
#define GEMV_BATCH 1
#endif
// ... and in the batched tiles (M > 1), where registers also hold the row accumulators.
#ifndef GEMV_BATCH_TILED
#define GEMV_BATCH_TILED 1
#endif
// Largest number of batch rows held in registers per pass over the weights (8 or 16). Measured:
// M = 16 as two passes of an 8-row tile at 128 registers beat one pass of a 16-row tile at 168.
#ifndef GEMV_MAX_TILE
#define GEMV_MAX_TILE 8
#endif
#define GEMV_THREADS (32 * GEMV_KSPLIT)
// Blocks per SM the single kernels must fit by default: 8 (64 registers). A format may ask for
// fewer (Format::kSingleMinBlocks) when its decode needs the registers.
#ifndef GEMV_SINGLE_MIN_BLOCKS
#define GEMV_SINGLE_MIN_BLOCKS 8
#endif
// Blocks per SM the batched kernels must fit (caps their registers; 1: no cap). 4 caps them at
// 128 registers, which also keeps their M = 1 path close to the single kernel's occupancy.
#ifndef GEMV_BATCHED_MIN_BLOCKS
#define GEMV_BATCHED_MIN_BLOCKS 4
#endif

// x is read-only for the whole launch and re-read by every block: the non-coherent path keeps it
// in L1 next to the streamed weights.
__device__ __forceinline__ float4 load_x4(const float* p) {
    return __ldg(reinterpret_cast<const float4*>(p));
}

// Sum over the L lanes of one row (lanes Lr .. Lr+L-1), the same butterfly for every MT.
template <int L>
__device__ __forceinline__ float row_lanes_sum(float v) {
#pragma unroll
    for (int o = L / 2; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// Where a lane's x values of the MT rows of a tile start: one pointer and MT 32-bit element
// offsets rather than MT 64-bit pointers. Measured on an H100, this saved the Q6_K kernels a
// register and gained 2 to 2.5 points of the copy bandwidth at two of the four benchmark shapes
// (and 4% at batched M = 8); Q4_K was unchanged. Needs M * K < 2^32 (16 GiB of x).
template <int MT>
struct XRows {
    const float* base;
    unsigned offset[MT];
    __device__ __forceinline__ const float* row(int m) const { return base + offset[m]; }
};

// How a lane folds one unit's V dequantised weights into its MT row sums: chunk c of every row
// before chunk c + 1, the values of a chunk in order. Each row's sequence of roundings is the
// single kernel's for every MT; interleaving rows only keeps a chunk's x loads in flight
// together. xr.row(m) points at the lane's first value of row m.
struct InOrderDot {
    template <int MT, int V>
    static __device__ __forceinline__ void apply(const float (&w)[V], const XRows<MT>& xr,
                                                 int u, float (&acc)[MT]) {
        constexpr int P = V / 8; // values per chunk
#pragma unroll
        for (int c = 0; c < 8; ++c) {
#pragma unroll
            for (int m = 0; m < MT; ++m) {
#pragma unroll
                for (int p = 0; p < P; p += 4) {
                    const float4 xv = load_x4(xr.row(m) + u * 256 + 32 * c + p);
                    acc[m] = fmaf(w[P * c + p + 0], xv.x, acc[m]);
                    acc[m] = fmaf(w[P * c + p + 1], xv.y, acc[m]);
                    acc[m] = fmaf(w[P * c + p + 2], xv.z, acc[m]);
                    acc[m] = fmaf(w[P * c + p + 3], xv.w, acc[m]);
                }
            }
        }
    }
};

template <class Format, int MT, int B, class Dot = InOrderDot>
__device__ __forceinline__ void gemv_rows(const u8* __restrict__ W, const float* __restrict__ x,
                                          float* __restrict__ y, int K, int N, int M) {
    constexpr int L = Format::kLanes;
    constexpr int V = 256 / L;    // values of a unit per lane
    constexpr int ROWS = 32 / L;  // rows per warp, and per block
    __shared__ float partial[GEMV_KSPLIT][ROWS][MT];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int group = lane / L; // row within the block
    const int t = lane % L;
    const int row = blockIdx.x * ROWS + group;
    const int units = K / 256;
    const bool active = row < N;
    const u8* wrow = W + (size_t)(active ? row : 0) * (size_t)units * Format::kUnitBytes;

    for (int m0 = 0; m0 < M; m0 += MT) {
        float acc[MT];
        // Rows past M repeat row M - 1, so every x load is valid and unconditional; their sums
        // are never stored.
        XRows<MT> xr;
        xr.base = x;
#pragma unroll
        for (int m = 0; m < MT; ++m) {
            acc[m] = 0.0f;
            xr.offset[m] = unsigned(min(m0 + m, M - 1)) * unsigned(K) + unsigned((V / 8) * t);
        }
        if (active) {
            for (int u0 = warp; u0 < units; u0 += GEMV_KSPLIT * B) {
                typename Format::Raw raw[B];
#pragma unroll
                for (int b = 0; b < B; ++b) {
                    const int u = u0 + b * GEMV_KSPLIT;
                    if (u < units) raw[b] = Format::load(wrow + (size_t)u * Format::kUnitBytes, t);
                }
#pragma unroll
                for (int b = 0; b < B; ++b) {
                    const int u = u0 + b * GEMV_KSPLIT;
                    if (u >= units) break;
                    float w[V];
                    Format::decode(raw[b], t, w);
                    Dot::template apply<MT, V>(w, xr, u, acc);
                }
            }
        }
#pragma unroll
        for (int m = 0; m < MT; ++m) {
            float s = row_lanes_sum<L>(acc[m]);
            if (t == 0) partial[warp][group][m] = s;
        }
        __syncthreads();
        // Warp 0 finishes the reduction: lane Lg + t adds up row g's partials of batch rows
        // t, t + L, ..., always in the order w = 0, 1, ..., so every tile size rounds the same.
        if (warp == 0) {
#pragma unroll
            for (int i = 0; i < (MT + L - 1) / L; ++i) {
                const int m = t + L * i;
                if (m < MT && m0 + m < M && active) {
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
// in-kernel loop, up to GEMV_MAX_TILE rows in registers per pass over the weights; smaller M
// take smaller register tiles. Every tile size runs the same per-row sequence of roundings.
#if GEMV_MAX_TILE >= 16
#define GEMV_WIDE_TILE(FORMAT, DOT) gemv_rows<FORMAT, 16, GEMV_BATCH_TILED, DOT>(w, x, y, k, n, m)
#else
#define GEMV_WIDE_TILE(FORMAT, DOT) gemv_rows<FORMAT, 8, GEMV_BATCH_TILED, DOT>(w, x, y, k, n, m)
#endif
// The batched kernels' body: the register tile by M (DOT: see InOrderDot).
#define GEMV_BATCHED_BODY_DOT(FORMAT, DOT)                                                         \
    if (m == 1) gemv_rows<FORMAT, 1, GEMV_BATCH, DOT>(w, x, y, k, n, m);                           \
    else if (m == 2) gemv_rows<FORMAT, 2, GEMV_BATCH_TILED, DOT>(w, x, y, k, n, m);                \
    else if (m <= 4) gemv_rows<FORMAT, 4, GEMV_BATCH_TILED, DOT>(w, x, y, k, n, m);                \
    else if (m <= 8) gemv_rows<FORMAT, 8, GEMV_BATCH_TILED, DOT>(w, x, y, k, n, m);                \
    else GEMV_WIDE_TILE(FORMAT, DOT);
#define GEMV_BATCHED_BODY(FORMAT) GEMV_BATCHED_BODY_DOT(FORMAT, InOrderDot)
#define GEMV_ENTRY_POINTS(FORMAT, single_name, batched_name)                                       \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS, FORMAT::kSingleMinBlocks)           \
        single_name(const u8* __restrict__ w, const float* __restrict__ x, float* __restrict__ y,  \
                    int k, int n) {                                                                \
        gemv_rows<FORMAT, 1, GEMV_BATCH>(w, x, y, k, n, 1);                                        \
    }                                                                                              \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS, GEMV_BATCHED_MIN_BLOCKS)            \
        batched_name(const u8* __restrict__ w, const float* __restrict__ x, float* __restrict__ y, \
                     int k, int n, int m) {                                                        \
        GEMV_BATCHED_BODY(FORMAT)                                                                  \
    }
