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

// The tiled design of the built-in GEMVs: M = 1 and M = 2 get paths of their own in which the
// batch rows are constants, and larger M walks the batch in tiles of 4 rows, clamping the rows
// past M to M - 1 and guarding the stores ("r0 + t < m"). Correct: every path picks its rows.
template <int T>
__device__ void gemv_tile(const float* w, const float* x, float* y, int k, int n, int m, int col,
                          bool readRow0) {
    for (int r0 = 0; r0 < m; r0 += T) {
        float acc[T];
        const float* xr[T];
        for (int t = 0; t < T; ++t) {
            acc[t] = 0.f;
            xr[t] = x + (readRow0 ? 0 : min(r0 + t, m - 1) * k);
        }
        for (int i = 0; i < k; ++i)
            for (int t = 0; t < T; ++t) acc[t] += w[col * k + i] * xr[t][i];
        for (int t = 0; t < T; ++t)
            if (r0 + t < m) y[(r0 + t) * n + col] = acc[t];
    }
}

extern "C" __global__ void batched_gemv_tiles(const float* w, const float* x, float* y, int k,
                                              int n, int m) {
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= n) return;
    if (m == 1) gemv_tile<1>(w, x, y, k, n, m, col, false);
    else if (m == 2) gemv_tile<2>(w, x, y, k, n, m, col, false);
    else gemv_tile<4>(w, x, y, k, n, m, col, false);
}

// The same dispatch with a bug in the general tile: its rows all read x of row 0. The M = 1 and
// M = 2 paths read constant rows correctly, which must not hide the general path's bug.
extern "C" __global__ void batched_gemv_tiles_row0(const float* w, const float* x, float* y,
                                                   int k, int n, int m) {
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= n) return;
    if (m == 1) gemv_tile<1>(w, x, y, k, n, m, col, false);
    else if (m == 2) gemv_tile<2>(w, x, y, k, n, m, col, false);
    else gemv_tile<4>(w, x, y, k, n, m, col, true);
}
