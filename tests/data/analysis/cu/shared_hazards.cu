// Shared-memory hazards as nvcc compiles them.

// barrier-divergence: __syncthreads() inside a branch on threadIdx. The store after the branch
// keeps the other threads alive (with nothing after it nvcc turns the branch into an early exit,
// and exited threads do release a barrier, so that form is well-defined).
extern "C" __global__ void sync_in_branch(float* out) {
    __shared__ float s[64];
    if (threadIdx.x < 32) {
        s[threadIdx.x] = out[threadIdx.x];
        __syncthreads();
        out[threadIdx.x] = s[31 - threadIdx.x];
    }
    out[64 + threadIdx.x] = 1.f;
}

// Early exit before the barrier: threads past the end have exited, which the PTX ISA defines
// as releasing the barrier. Not reported.
extern "C" __global__ void exit_then_sync(float* out, int n) {
    __shared__ float s[64];
    if (threadIdx.x >= n) return;
    s[threadIdx.x] = out[threadIdx.x];
    __syncthreads();
    out[threadIdx.x] = s[n - 1 - threadIdx.x];
}

// Correct counterpart: the barrier after the branch joins.
extern "C" __global__ void sync_after_branch(float* out) {
    __shared__ float s[64];
    if (threadIdx.x < 32) s[threadIdx.x] = out[threadIdx.x];
    __syncthreads();
    if (threadIdx.x < 32) out[threadIdx.x] = s[31 - threadIdx.x];
}

// shared-race: reads the neighbour's element with no barrier in between.
extern "C" __global__ void neighbour_without_sync(float* out) {
    __shared__ float s[65];
    s[threadIdx.x] = out[threadIdx.x];
    out[threadIdx.x] = s[threadIdx.x + 1];
}

// Correct counterpart.
extern "C" __global__ void neighbour_with_sync(float* out) {
    __shared__ float s[65];
    s[threadIdx.x] = out[threadIdx.x];
    __syncthreads();
    out[threadIdx.x] = s[threadIdx.x + 1];
}

// shared-out-of-bounds: a constant index one past the end (volatile keeps the access).
extern "C" __global__ void past_the_end(float* out) {
    __shared__ volatile float s[16];
    s[threadIdx.x & 15] = out[threadIdx.x];
    __syncthreads();
    out[threadIdx.x] = s[16];
}

// shared-address-64bit on compiler output: inline PTX that addresses shared memory with a
// 64-bit register, as a hand-written builder might.
extern "C" __global__ void inline_u64_shared(float* out) {
    __shared__ float s[32];
    s[threadIdx.x & 31] = out[threadIdx.x];
    __syncthreads();
    unsigned long long base;
    asm("cvta.to.shared.u64 %0, %1;" : "=l"(base) : "l"(reinterpret_cast<unsigned long long>(s)));
    float v;
    asm volatile("ld.shared.f32 %0, [%1];" : "=f"(v) : "l"(base + 4 * (threadIdx.x & 31)));
    out[threadIdx.x] = v;
}

// unused-parameter: `scale` is never read.
extern "C" __global__ void ignores_scale(float* out, float scale) {
    out[threadIdx.x] = 2.f * out[threadIdx.x];
}

// uninitialized-register: inline PTX reads an accumulator no path writes before the loop.
extern "C" __global__ void inline_uninitialized(float* out, int n) {
    float acc;
    asm volatile("{\n\t.reg .f32 t;\n\tadd.f32 t, t, %1;\n\tmov.f32 %0, t;\n}" : "=f"(acc) : "f"(out[threadIdx.x]));
    out[threadIdx.x] = acc;
}
