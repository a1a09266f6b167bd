// Shared helpers of the built-in kernel set (compiled by NVRTC with --fmad=false, so every
// multiply-add that must fuse is written as fmaf and the rest round exactly as written: the
// single and batched variants of an op then round identically, which the bitwise contract needs).
#pragma once

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef signed char i8;
typedef unsigned long long u64;

__device__ __forceinline__ float half_to_float(u16 h) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}

// Butterfly sum: every lane ends with the same bits (a + b == b + a in IEEE arithmetic).
__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over the 8 lanes of one row group (lanes 8r .. 8r+7).
__device__ __forceinline__ float group8_sum(float v) {
    v += __shfl_xor_sync(0xffffffffu, v, 4);
    v += __shfl_xor_sync(0xffffffffu, v, 2);
    v += __shfl_xor_sync(0xffffffffu, v, 1);
    return v;
}

// 0x4B000000 (the bits of 2^23) written so that the compiler cannot prove it constant
// (threadIdx.x < 65536 always): with both PRMT operands constant, ptxas kept a register per byte
// selector instead and re-materialised them, about 20 MOVs per unit of the Q4_K GEMV loop (1% of
// its time on an H100). This way the selectors are immediates and the magic is one register.
__device__ __forceinline__ u32 float_2p23_bits() {
    return 0x4B000000u | (threadIdx.x >> 16);
}

// Byte k of w as the float 2^23 + byte (one PRMT, no FADD): for products like d * byte that
// are exact in fp32, fmaf(d, biased_byte(w, k), d * -2^23) gives d * byte with one instruction
// (the FMA's product is exact and d * 2^23 is exact, so only the exact result is rounded).
__device__ __forceinline__ float biased_byte(u32 w, int k) {
    return __int_as_float(__byte_perm(w, float_2p23_bits(), 0x7440 + k));
}

// Byte k of w as an exact float: 0x4B0000bb is 2^23 + bb, so one PRMT and one FADD replace an
// integer-to-float conversion.
__device__ __forceinline__ float byte_to_float(u32 w, int k) {
    return __int_as_float(__byte_perm(w, float_2p23_bits(), 0x7440 + k)) - 8388608.0f;
}

// Byte k of w minus a constant integer offset (0..255), exactly, in the same two instructions:
// 2^23 + bb and 2^23 + offset are both exact floats, so their difference bb - offset is too.
__device__ __forceinline__ float byte_minus(u32 w, int k, int offset) {
    return __int_as_float(__byte_perm(w, float_2p23_bits(), 0x7440 + k)) -
           (8388608.0f + float(offset));
}

// Weights are read once per launch: stream them past L1 (ld.global.cs, evict-first) so they do
// not evict the activations every block re-reads. WEIGHTS_STREAMING: 0 plain loads, 1 streaming,
// 2 (default) streaming with a 256-byte L2 prefetch, 3 the same with 128 bytes. Measured on an
// H100: plain loads were slower than streaming, and the 256-byte prefetch added 1 to 11% to the
// Q4_K GEMV and 1 to 3% to Q6_K over streaming alone.
#ifndef WEIGHTS_STREAMING
#define WEIGHTS_STREAMING 2
#endif
#if WEIGHTS_STREAMING >= 2
// Streaming loads that also ask L2 to fetch the whole 128- or 256-byte span around each access
// (the rows of a block are contiguous, so the neighbours are read soon).
#if WEIGHTS_STREAMING == 2
#define WEIGHTS_L2_PREFETCH "L2::256B"
#else
#define WEIGHTS_L2_PREFETCH "L2::128B"
#endif
__device__ __forceinline__ u16 load_u16(const u8* p) {
    u16 v;
    asm("ld.global.cs." WEIGHTS_L2_PREFETCH ".u16 %0, [%1];" : "=h"(v) : "l"(p));
    return v;
}
__device__ __forceinline__ u32 load_u32(const u8* p) {
    u32 v;
    asm("ld.global.cs." WEIGHTS_L2_PREFETCH ".u32 %0, [%1];" : "=r"(v) : "l"(p));
    return v;
}
__device__ __forceinline__ uint2 load_u64(const u8* p) {
    uint2 v;
    asm("ld.global.cs." WEIGHTS_L2_PREFETCH ".v2.u32 {%0, %1}, [%2];" : "=r"(v.x), "=r"(v.y) : "l"(p));
    return v;
}
__device__ __forceinline__ uint4 load_u128(const u8* p) {
    uint4 v;
    asm("ld.global.cs." WEIGHTS_L2_PREFETCH ".v4.u32 {%0, %1, %2, %3}, [%4];"
        : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
        : "l"(p));
    return v;
}
#elif WEIGHTS_STREAMING
__device__ __forceinline__ u16 load_u16(const u8* p) { return __ldcs(reinterpret_cast<const unsigned short*>(p)); }
__device__ __forceinline__ u32 load_u32(const u8* p) { return __ldcs(reinterpret_cast<const unsigned int*>(p)); }
__device__ __forceinline__ uint2 load_u64(const u8* p) { return __ldcs(reinterpret_cast<const uint2*>(p)); }
__device__ __forceinline__ uint4 load_u128(const u8* p) { return __ldcs(reinterpret_cast<const uint4*>(p)); }
#else
__device__ __forceinline__ u16 load_u16(const u8* p) { return *reinterpret_cast<const u16*>(p); }
__device__ __forceinline__ u32 load_u32(const u8* p) { return *reinterpret_cast<const u32*>(p); }
__device__ __forceinline__ uint2 load_u64(const u8* p) { return *reinterpret_cast<const uint2*>(p); }
__device__ __forceinline__ uint4 load_u128(const u8* p) { return *reinterpret_cast<const uint4*>(p); }
#endif
// Two 16-bit loads: Q6_K and Q8_0 blocks (210 and 34 bytes) are only 2-byte aligned.
__device__ __forceinline__ u32 load_u32_a2(const u8* p) {
    return u32(load_u16(p)) | (u32(load_u16(p + 2)) << 16);
}
