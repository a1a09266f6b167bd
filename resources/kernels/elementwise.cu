// Residual add and SwiGLU: one thread per element, grid.y = row for the batched variants.
#include "common.cuh"

extern "C" __global__ void residual_add(const float* a, const float* b, float* y, int d) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < d) y[i] = a[i] + b[i];
}

extern "C" __global__ void batched_residual_add(const float* a, const float* b, float* y, int d) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const size_t r = (size_t)blockIdx.y * d;
    if (i < d) y[r + i] = a[r + i] + b[r + i];
}

// Bug zoo: the row offset is applied to the output only, so every row gets row 0's sum.
extern "C" __global__ void zoo_batched_residual_add_row0(const float* a, const float* b, float* y, int d) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const size_t r = (size_t)blockIdx.y * d;
    if (i < d) y[r + i] = a[i] + b[i];
}

__device__ __forceinline__ float silu_mul(float g, float u) { return (g / (1.0f + expf(-g))) * u; }

extern "C" __global__ void swiglu(const float* gate, const float* up, float* y, int f) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < f) y[i] = silu_mul(gate[i], up[i]);
}

extern "C" __global__ void batched_swiglu(const float* gate, const float* up, float* y, int f) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const size_t r = (size_t)blockIdx.y * f;
    if (i < f) y[r + i] = silu_mul(gate[r + i], up[r + i]);
}

// Bug zoo: `<=` in the tail test. When F is not a multiple of the block width the thread with
// i == F exists and writes one element past the row (for the last row: past the buffer).
extern "C" __global__ void zoo_batched_swiglu_tail(const float* gate, const float* up, float* y, int f) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const size_t r = (size_t)blockIdx.y * f;
    if (i <= f) y[r + i] = silu_mul(gate[r + i], up[r + i]);
}
