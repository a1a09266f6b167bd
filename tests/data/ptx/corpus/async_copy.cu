// cp.async via the pipeline primitives, cp.async.bulk and mbarrier via inline PTX (sm_90).
#include <cuda_pipeline.h>
#include <cstdint>

__global__ void pipelinedCopy(const float4* in, float4* out, int n) {
    __shared__ float4 stage[2][128];
    int t = threadIdx.x;
    for (int base = 0; base < n; base += 256) {
        __pipeline_memcpy_async(&stage[0][t], &in[base + t], sizeof(float4));
        __pipeline_memcpy_async(&stage[1][t], &in[base + 128 + t], sizeof(float4));
        __pipeline_commit();
        __pipeline_wait_prior(0);
        __syncthreads();
        out[base + t] = stage[1][t];
        out[base + 128 + t] = stage[0][t];
        __syncthreads();
    }
}

__global__ void cpAsyncInline(const int* in, int* out) {
    __shared__ __align__(16) int tile[256];
    unsigned dst = static_cast<unsigned>(__cvta_generic_to_shared(&tile[threadIdx.x * 4]));
    asm volatile("cp.async.cg.shared.global.L2::128B [%0], [%1], 16;\n" ::"r"(dst),
                 "l"(in + threadIdx.x * 4));
    asm volatile("cp.async.commit_group;\n" ::);
    asm volatile("cp.async.wait_group 0;\n" ::);
    __syncthreads();
    out[threadIdx.x] = tile[threadIdx.x ^ 1];
}

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
__global__ void bulkCopy(const int4* in, int4* out) {
    __shared__ __align__(128) int4 buffer[256];
    __shared__ __align__(8) unsigned long long barrier;
    unsigned bar = static_cast<unsigned>(__cvta_generic_to_shared(&barrier));
    unsigned dst = static_cast<unsigned>(__cvta_generic_to_shared(buffer));
    if (threadIdx.x == 0) {
        asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(1));
        asm volatile("fence.proxy.async.shared::cta;" ::);
        asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(bar),
                     "r"(4096));
        asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], "
                     "%2, [%3];" ::"r"(dst), "l"(in), "r"(4096), "r"(bar)
                     : "memory");
    }
    __syncthreads();
    asm volatile("{\n"
                 ".reg .pred done;\n"
                 "WAIT_LOOP:\n"
                 "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
                 "@!done bra WAIT_LOOP;\n"
                 "}\n" ::"r"(bar), "r"(0)
                 : "memory");
    out[threadIdx.x] = buffer[threadIdx.x];
    asm volatile("cp.async.bulk.global.shared::cta.bulk_group [%0], [%1], %2;" ::"l"(out + 256),
                 "r"(dst), "r"(4096)
                 : "memory");
    asm volatile("cp.async.bulk.commit_group;" ::);
    asm volatile("cp.async.bulk.wait_group.read 0;" ::: "memory");
}
#endif
