// Texture and surface objects, cooperative groups, cluster launch bounds.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
namespace cg = cooperative_groups;

__global__ void sampleTexture(cudaTextureObject_t tex, cudaSurfaceObject_t surf, float* out, int w) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y;
    float4 v = tex2D<float4>(tex, x + 0.5f, y + 0.5f);
    float s = tex1Dfetch<float>(tex, x);
    unsigned word = surf2Dread<unsigned>(surf, x * 4, y);
    surf2Dwrite(word + 1u, surf, x * 4, y);
    out[y * w + x] = v.x + v.y + v.z + v.w + s;
}

__global__ void groupReduce(const int* in, int* out) {
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
    int v = in[block.thread_rank()];
    v = cg::reduce(warp, v, cg::plus<int>());
    auto tile4 = cg::tiled_partition<4>(warp);
    v += tile4.shfl_down(v, 1);
    block.sync();
    if (warp.thread_rank() == 0) atomicAdd(out, v);
}

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
__global__ void __cluster_dims__(2, 1, 1) __launch_bounds__(128) clusterExchange(int* out) {
    __shared__ int value;
    cg::cluster_group cluster = cg::this_cluster();
    value = static_cast<int>(cluster.block_rank()) * 100 + threadIdx.x;
    cluster.sync();
    int* peer = cluster.map_shared_rank(&value, (cluster.block_rank() + 1) % 2);
    out[blockIdx.x * blockDim.x + threadIdx.x] = *peer;
    cluster.sync();
}
#endif
