// Half and bf16 conversions and arithmetic, fast-math intrinsics, 64-bit integers.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

__global__ void halfMath(const __half* a, const __nv_bfloat16* b, float* out, __half2* h2, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float x = __half2float(a[i]);
    float y = __bfloat162float(b[i]);
    __half2 p = __floats2half2_rn(x, y);
    p = __hfma2(p, p, __float2half2_rn(0.5f));
    h2[i] = __hmax2(p, h2[i]);
    __nv_bfloat162 q = __floats2bfloat162_rn(y, x);
    q = __hmul2(q, q);
    out[i] = __expf(x) + __sinf(y) + __low2float(q) + __high2float(q) + tanhf(x) + erff(y) +
             __fdividef(x, y + 1.0f) + fmaf(x, y, 1.0f) + __saturatef(x) + rintf(y);
    out[n + i] = __int_as_float(__float_as_int(x) ^ 0x80000000) + (float)__double2ll_rn(y);
}
