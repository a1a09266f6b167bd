// Attention with grouped KV heads over a cache [HKV, MAXLEN, HD]: the query of row m at position
// p attends to cache positions 0..p (causal). One block of 128 threads per (head, row); scores
// live in dynamic shared memory (MAXLEN floats). Every row follows the same reduction order, so
// decode (one row) and causal prefill (M rows) agree bit for bit.
#include "common.cuh"

__device__ void attend(const float* __restrict__ q, const float* __restrict__ kc, const float* __restrict__ vc,
                       float* __restrict__ out, int h, int hkv, int hd, int max_len, int pos) {
    extern __shared__ float scores[];
    __shared__ float red[32];
    const int head = blockIdx.x;
    const int kvh = head / (h / hkv);
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, warps = blockDim.x >> 5;
    const int len = min(pos + 1, max_len);
    const float* kbase = kc + (size_t)kvh * max_len * hd;
    const float* vbase = vc + (size_t)kvh * max_len * hd;
    const float scale = 1.0f / sqrtf(float(hd));
    for (int t = warp; t < len; t += warps) {
        float s = 0.0f;
        for (int i = lane; i < hd; i += 32) s = fmaf(q[i], kbase[(size_t)t * hd + i], s);
        s = warp_sum(s);
        if (lane == 0) scores[t] = s * scale;
    }
    __syncthreads();
    float mx = __int_as_float(0xff800000u); // -inf
    for (int t = tid; t < len; t += blockDim.x) mx = fmaxf(mx, scores[t]);
    mx = warp_max(mx);
    if (lane == 0) red[warp] = mx;
    __syncthreads();
    mx = red[0];
    for (int w = 1; w < warps; ++w) mx = fmaxf(mx, red[w]);
    __syncthreads();
    float sum = 0.0f;
    for (int t = tid; t < len; t += blockDim.x) {
        const float e = expf(scores[t] - mx);
        scores[t] = e;
        sum += e;
    }
    sum = warp_sum(sum);
    if (lane == 0) red[warp] = sum;
    __syncthreads();
    sum = red[0];
    for (int w = 1; w < warps; ++w) sum += red[w];
    const float inv = 1.0f / sum;
    for (int i = tid; i < hd; i += blockDim.x) {
        float acc = 0.0f;
        for (int t = 0; t < len; ++t) acc = fmaf(scores[t], vbase[(size_t)t * hd + i], acc);
        out[i] = acc * inv;
    }
}

extern "C" __global__ void attention_decode(const float* q, const float* k_cache, const float* v_cache, float* out,
                                            int h, int hkv, int hd, int max_len, int pos) {
    const size_t o = (size_t)blockIdx.x * hd;
    attend(q + o, k_cache, v_cache, out + o, h, hkv, hd, max_len, pos);
}

extern "C" __global__ void attention_prefill(const float* q, const float* k_cache, const float* v_cache,
                                             float* out, int h, int hkv, int hd, int max_len,
                                             const int* positions) {
    const size_t o = ((size_t)blockIdx.y * h + blockIdx.x) * hd;
    attend(q + o, k_cache, v_cache, out + o, h, hkv, hd, max_len, positions[blockIdx.y]);
}

// Graph-mode decode: the sequence length is read from seq_len_buf, which the engine writes before
// each replay (a captured graph keeps the scalar `pos` it was captured with).
extern "C" __global__ void attention_decode_indirect(const float* q, const float* k_cache, const float* v_cache,
                                                     float* out, int h, int hkv, int hd, int max_len,
                                                     const int* seq_len_buf) {
    const size_t o = (size_t)blockIdx.x * hd;
    attend(q + o, k_cache, v_cache, out + o, h, hkv, hd, max_len, seq_len_buf[0] - 1);
}
