// RoPE on x[H, HD] at one position: pair i of each head is rotated by pos * base^(-2i/HD).
// llama layout: pairs are adjacent (x[2i], x[2i+1]). One thread per pair, one block per head.
#include "common.cuh"

__device__ __forceinline__ void rope_head(const float* x, float* y, int hd, int pos, float base,
                                          bool neox) {
    const int i = threadIdx.x;
    if (i >= hd / 2) return;
    const float inv_freq = powf(base, -2.0f * float(i) / float(hd));
    const float angle = float(pos) * inv_freq;
    float s, c;
    sincosf(angle, &s, &c);
    const int i0 = neox ? i : 2 * i;
    const int i1 = neox ? i + hd / 2 : 2 * i + 1;
    const float x0 = x[i0], x1 = x[i1];
    y[i0] = x0 * c - x1 * s;
    y[i1] = x0 * s + x1 * c;
}

extern "C" __global__ void rope(const float* x, float* y, int h, int hd, int pos, float base) {
    const size_t o = (size_t)blockIdx.x * hd;
    rope_head(x + o, y + o, hd, pos, base, false);
}

// Graph-mode decode: the position is read from device memory, so a captured graph can replay
// with a new position written into position_buf.
extern "C" __global__ void rope_indirect(const float* x, float* y, int h, int hd, const int* position_buf,
                                         float base) {
    const size_t o = (size_t)blockIdx.x * hd;
    rope_head(x + o, y + o, hd, position_buf[0], base, false);
}

extern "C" __global__ void batched_rope(const float* x, float* y, int h, int hd, const int* positions,
                                        float base) {
    const size_t o = ((size_t)blockIdx.y * h + blockIdx.x) * hd;
    rope_head(x + o, y + o, hd, positions[blockIdx.y], base, false);
}

// Bug zoo: the batched variant rotates NeoX pairs (x[i], x[i + HD/2]) while the model and the
// single kernel use adjacent pairs.
extern "C" __global__ void zoo_batched_rope_neox(const float* x, float* y, int h, int hd,
                                                 const int* positions, float base) {
    const size_t o = ((size_t)blockIdx.y * h + blockIdx.x) * hd;
    rope_head(x + o, y + o, hd, positions[blockIdx.y], base, true);
}
