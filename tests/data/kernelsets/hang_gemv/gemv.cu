// A Q8_0 GEMV that never returns: the kernel set of the probe hang test
// (tests/cli/cli_gpu_test.cpp). It spins while its first input equals itself, which holds for
// every value the probe feeds it; the load is volatile, so the compiler keeps the loop.
extern "C" __global__ void hang_q8_0_gemv(const unsigned char* w, const float* x, float* y, int k,
                                          int n) {
    volatile const float* first = x;
    while (first[0] == first[0]) {
    }
    if (k < 0) y[n] = w[0]; // never: keeps every parameter in use
}
