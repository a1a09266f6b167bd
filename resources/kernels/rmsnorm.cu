// RMSNorm: y = x * gamma / sqrt(mean(x^2) + eps), one block of 256 threads per row.
#include "common.cuh"

template <bool kBarrierBeforeScale>
__device__ __forceinline__ void rmsnorm_row(const float* __restrict__ x, const float* __restrict__ gamma,
                                            float* __restrict__ y, int d, float eps) {
    __shared__ float warp_sums[32];
    __shared__ float total;
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    float ss = 0.0f;
    for (int i = tid; i < d; i += blockDim.x) ss = fmaf(x[i], x[i], ss);
    ss = warp_sum(ss);
    if (lane == 0) warp_sums[warp] = ss;
    __syncthreads();
    if (warp == 0) {
        float v = lane < (int)(blockDim.x >> 5) ? warp_sums[lane] : 0.0f;
        v = warp_sum(v);
        if (lane == 0) total = v;
    }
    // Bug zoo: without this barrier the other warps read `total` before warp 0 wrote it.
    if (kBarrierBeforeScale) __syncthreads();
    const float scale = 1.0f / sqrtf(total / float(d) + eps);
    for (int i = tid; i < d; i += blockDim.x) y[i] = (x[i] * scale) * gamma[i];
}

extern "C" __global__ void rmsnorm(const float* x, const float* gamma, float* y, int d, float eps) {
    rmsnorm_row<true>(x, gamma, y, d, eps);
}

extern "C" __global__ void batched_rmsnorm(const float* x, const float* gamma, float* y, int d, float eps) {
    const size_t r = blockIdx.y;
    rmsnorm_row<true>(x + r * d, gamma, y + r * d, d, eps);
}

extern "C" __global__ void zoo_batched_rmsnorm_no_barrier(const float* x, const float* gamma, float* y,
                                                          int d, float eps) {
    const size_t r = blockIdx.y;
    rmsnorm_row<false>(x + r * d, gamma, y + r * d, d, eps);
}
