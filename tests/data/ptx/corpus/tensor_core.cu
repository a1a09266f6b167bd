// WMMA, mma.sync and ldmatrix through inline PTX, wgmma for sm_90a.
#include <cuda_fp16.h>
#include <mma.h>
#include <cstdint>
using namespace nvcuda;

__global__ void wmmaGemm(const half* a, const half* b, float* c, int ld) {
    wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> fb;
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> fc;
    wmma::fill_fragment(fc, 0.0f);
    for (int k = 0; k < ld; k += 16) {
        wmma::load_matrix_sync(fa, a + k, ld);
        wmma::load_matrix_sync(fb, b + k, ld);
        wmma::mma_sync(fc, fa, fb, fc);
    }
    wmma::store_matrix_sync(c, fc, ld, wmma::mem_row_major);
}

__global__ void mmaLdmatrix(const half* a, float* d) {
    __shared__ __align__(16) half tile[16 * 16];
    for (int i = threadIdx.x; i < 256; i += 32) tile[i] = a[i];
    __syncthreads();
    unsigned addr = static_cast<unsigned>(__cvta_generic_to_shared(&tile[(threadIdx.x % 16) * 16]));
    unsigned r0, r1, r2, r3;
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];"
                 : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
                 : "r"(addr));
    float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
                 "{%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c0), "+f"(c1), "+f"(c2), "+f"(c3)
                 : "r"(r0), "r"(r1), "r"(r2), "r"(r3), "r"(r0), "r"(r1));
    d[threadIdx.x * 4 + 0] = c0;
    d[threadIdx.x * 4 + 1] = c1;
    d[threadIdx.x * 4 + 2] = c2;
    d[threadIdx.x * 4 + 3] = c3;
}

#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
__global__ void wgmmaTile(const half* a, float* d, uint64_t descA, uint64_t descB) {
    float acc[8] = {};
    asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
    asm volatile("{\n"
                 ".reg .pred p;\n"
                 "setp.ne.b32 p, %10, 0;\n"
                 "wgmma.mma_async.sync.aligned.m64n16k16.f32.f16.f16 "
                 "{%0, %1, %2, %3, %4, %5, %6, %7}, %8, %9, p, 1, 1, 0, 0;\n"
                 "}\n"
                 : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3]), "+f"(acc[4]),
                   "+f"(acc[5]), "+f"(acc[6]), "+f"(acc[7])
                 : "l"(descA), "l"(descB), "r"(1));
    asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
    for (int i = 0; i < 8; ++i) d[threadIdx.x * 8 + i] = acc[i] + __half2float(a[i]);
}
#endif
