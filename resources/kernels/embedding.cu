// Embedding lookup from a Q8_0 table [V, D]: y[i] = d(block) * qs[i] for the token's row.
#include "common.cuh"

__device__ __forceinline__ void embed_row(const u8* table, float* y, int d, int v, int token) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= d || token < 0 || token >= v) return;
    const u8* blk = table + (size_t)token * (d / 32) * 34 + (size_t)(i / 32) * 34;
    const float scale = half_to_float(load_u16(blk));
    y[i] = float(reinterpret_cast<const i8*>(blk + 2)[i % 32]) * scale;
}

extern "C" __global__ void embedding_q8_0(const u8* table, float* y, int d, int v, int token) {
    embed_row(table, y, d, v, token);
}

extern "C" __global__ void batched_embedding_q8_0(const u8* table, float* y, int d, int v, const int* tokens) {
    embed_row(table, y + (size_t)blockIdx.y * d, d, v, tokens[blockIdx.y]);
}
