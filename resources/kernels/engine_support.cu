// Kernels the reference engine needs beyond the parity pairs: embedding lookups for the K-quant
// and f16 tables real models ship (llama Q4_K_M keeps token_embd in Q4_K), and graph-mode
// attention that reads the sequence length from seq_len_buf, because a captured CUDA graph
// freezes scalar parameters. Dequantisation follows ggml's reference order of operations.
#include "common.cuh"

// Value i of a Q4_K row (144-byte super-blocks of 256 values).
__device__ __forceinline__ float q4k_value(const u8* row, int i) {
    const u8* blk = row + (size_t)(i / 256) * 144;
    const int j = i % 256, g = j / 64, k = j % 64, sb = 2 * g + (k >= 32);
    const u8* s = blk + 4;
    int sc, mn;
    if (sb < 4) {
        sc = s[sb] & 63;
        mn = s[sb + 4] & 63;
    } else {
        sc = (s[sb + 4] & 0xF) | ((s[sb - 4] >> 6) << 4);
        mn = (s[sb + 4] >> 4) | ((s[sb] >> 6) << 4);
    }
    const u8 byte = blk[16 + 32 * g + (k % 32)];
    const int q = k < 32 ? (byte & 0xF) : (byte >> 4);
    const float d1 = half_to_float(load_u16(blk)) * float(sc);
    const float m1 = half_to_float(load_u16(blk + 2)) * float(mn);
    return d1 * float(q) - m1;
}

// Value i of a Q6_K row (210-byte super-blocks of 256 values).
__device__ __forceinline__ float q6k_value(const u8* row, int i) {
    const u8* blk = row + (size_t)(i / 256) * 210;
    const int j = i % 256, h = j / 128, r = j % 128, l = r % 32, quarter = r / 32;
    const u8 lo = blk[64 * h + l + (quarter & 1) * 32];
    const int ql = quarter < 2 ? (lo & 0xF) : (lo >> 4);
    const int qh = (blk[128 + 32 * h + l] >> (2 * quarter)) & 3;
    const int q = (ql | (qh << 4)) - 32;
    const float d = half_to_float(load_u16(blk + 208));
    const float sc = float(reinterpret_cast<const i8*>(blk + 192)[j / 16]);
    return (d * sc) * float(q);
}

#define PTXWB_EMBEDDING(NAME, ROW_BYTES, VALUE)                                                    \
    extern "C" __global__ void NAME(const u8* table, float* y, int d, int v, int token) {          \
        const int i = blockIdx.x * blockDim.x + threadIdx.x;                                       \
        if (i >= d || token < 0 || token >= v) return;                                             \
        y[i] = VALUE(table + (size_t)token * (ROW_BYTES), i);                                      \
    }                                                                                              \
    extern "C" __global__ void batched_##NAME(const u8* table, float* y, int d, int v,             \
                                              const int* tokens) {                                 \
        const int i = blockIdx.x * blockDim.x + threadIdx.x;                                       \
        const int token = tokens[blockIdx.y];                                                      \
        if (i >= d || token < 0 || token >= v) return;                                             \
        y[(size_t)blockIdx.y * d + i] = VALUE(table + (size_t)token * (ROW_BYTES), i);             \
    }

__device__ __forceinline__ float f16_value(const u8* row, int i) {
    return half_to_float(load_u16(row + 2 * (size_t)i));
}

PTXWB_EMBEDDING(embedding_q4_k, (size_t)(d / 256) * 144, q4k_value)
PTXWB_EMBEDDING(embedding_q6_k, (size_t)(d / 256) * 210, q6k_value)
PTXWB_EMBEDDING(embedding_f16, (size_t)d * 2, f16_value)
