// Batched GEMV variants for batched-row-selection on real compiler output. y[m, n] =
// sum_k w[n, k] * x[m, k]; roles come from kernelset.json next to this file.

// Correct: one grid row per batch row; x and y both offset by the row.
extern "C" __global__ void batched_gemv_grid(const float* w, const float* x, float* y, int k,
                                             int n, int m) {
    const int row = blockIdx.y;
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= m || col >= n) return;
    float acc = 0.f;
    for (int i = 0; i < k; ++i) acc += w[col * k + i] * x[row * k + i];
    y[row * n + col] = acc;
}

// The bug: the batch row reaches only the output; every row reads x from row 0.
extern "C" __global__ void batched_gemv_output_only(const float* w, const float* x, float* y,
                                                    int k, int n, int m) {
    const int row = blockIdx.y;
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= m || col >= n) return;
    float acc = 0.f;
    for (int i = 0; i < k; ++i) acc += w[col * k + i] * x[i];
    y[row * n + col] = acc;
}

// Correct loop design: each weight read once, applied to all m rows.
extern "C" __global__ void batched_gemv_loop(const float* w, const float* x, float* y, int k,
                                             int n, int m) {
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= n) return;
    for (int r = 0; r < m; ++r) {
        float acc = 0.f;
        for (int i = 0; i < k; ++i) acc += w[col * k + i] * x[r * k + i];
        y[r * n + col] = acc;
    }
}

// Loop design with a bug: the loop runs over m but writes every row's result to row 0.
extern "C" __global__ void batched_gemv_loop_output_row0(const float* w, const float* x, float* y,
                                                         int k, int n, int m) {
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= n) return;
    for (int r = 0; r < m; ++r) {
        float acc = 0.f;
        for (int i = 0; i < k; ++i) acc += w[col * k + i] * x[r * k + i];
        y[col] += acc;
    }
}
