// KV scatter: cache[h, pos, :] = src[m, h, :] for a cache laid out [HKV, MAXLEN, HD].
#include "common.cuh"

__device__ __forceinline__ void scatter_row(const float* src, float* cache, int hkv, int hd, int max_len,
                                            int pos) {
    const int h = blockIdx.x;
    if (pos < 0 || pos >= max_len) return;
    for (int i = threadIdx.x; i < hd; i += blockDim.x)
        cache[((size_t)h * max_len + pos) * hd + i] = src[(size_t)h * hd + i];
}

extern "C" __global__ void kv_scatter(const float* src, float* cache, int hkv, int hd, int max_len, int pos) {
    scatter_row(src, cache, hkv, hd, max_len, pos);
}

extern "C" __global__ void kv_scatter_indirect(const float* src, float* cache, int hkv, int hd, int max_len,
                                               const int* position_buf) {
    scatter_row(src, cache, hkv, hd, max_len, position_buf[0]);
}

extern "C" __global__ void batched_kv_scatter(const float* src, float* cache, int hkv, int hd, int max_len,
                                              const int* positions) {
    const size_t m = blockIdx.y;
    scatter_row(src + m * hkv * hd, cache, hkv, hd, max_len, positions[m]);
}
