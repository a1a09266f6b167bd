// A residual add pair and a batched variant that never returns: the kernel set of the parity
// hang test (tests/worker/worker_gpu_test.cpp).

extern "C" __global__ void residual_add(const float* a, const float* b, float* y, int d) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < d) y[i] = a[i] + b[i];
}

extern "C" __global__ void batched_residual_add(const float* a, const float* b, float* y, int d) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const size_t row = (size_t)blockIdx.y * d;
    if (i < d) y[row + i] = a[row + i] + b[row + i];
}

// Spins while its first input equals itself, which holds for every value the input generators
// make; the loads are volatile, so the compiler keeps the loop and the kernel never returns.
extern "C" __global__ void hang_batched_residual_add(const float* a, const float* b, float* y,
                                                     int d) {
    volatile const float* first = a;
    while (first[0] == first[0]) {
    }
    if (d < 0) y[0] = b[0]; // never: keeps every parameter in use
}
