// Warp shuffles, votes, atomics, static and dynamic shared memory, printf and assert.
#include <cassert>
#include <cstdio>

__device__ float warpSum(float v) {
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

__global__ void __launch_bounds__(256, 2) blockSum(const float* __restrict__ in, float* out, int n,
                                                   unsigned* counter) {
    __shared__ float partial[32];
    extern __shared__ float dynamicScratch[];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? in[i] : 0.0f;
    dynamicScratch[threadIdx.x] = v;
    v = warpSum(v);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x / 32] = v;
    __syncthreads();
    if (threadIdx.x < 32) {
        v = threadIdx.x < blockDim.x / 32 ? partial[threadIdx.x] : 0.0f;
        v = warpSum(v);
        if (threadIdx.x == 0) {
            atomicAdd(out, v);
            unsigned ticket = atomicInc(counter, 1u << 30);
            if (ticket == 0) printf("first block %d sum %f\n", blockIdx.x, v);
        }
    }
    unsigned ballot = __ballot_sync(0xffffffffu, v > 0.0f);
    if (__any_sync(0xffffffffu, v < 0.0f)) atomicOr(counter, ballot);
    assert(n >= 0);
    int maxv = atomicMax(reinterpret_cast<int*>(counter) + 1, i);
    atomicCAS(counter + 2, 0u, static_cast<unsigned>(maxv));
    double d = dynamicScratch[(threadIdx.x + 1) % blockDim.x];
    atomicAdd(reinterpret_cast<double*>(out) + 1, d);
}

__global__ void scanInclusive(int* data, int n) {
    unsigned lane = threadIdx.x & 31;
    int v = threadIdx.x < n ? data[threadIdx.x] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int up = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += up;
    }
    v = __shfl_xor_sync(0xffffffffu, v, 1) + __shfl_sync(0xffffffffu, v, 0);
    unsigned mask = __match_any_sync(__activemask(), v);
    if (threadIdx.x < n) data[threadIdx.x] = v + __popc(mask) + __clz(v) + __brev(v) + __ffs(v);
}
