// A Q6_K-like dequantisation (6-bit values from a low nibble and two high bits) in a single
// kernel and two batched variants; the bad one forgets the `& 0x30` mask of the high bits.
extern "C" __global__ void dequant_single(const unsigned char* q, float* y, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const unsigned lo = q[i] & 0xF;
    const unsigned hi = (q[n + i / 4] << 4 >> (2 * (i % 4))) & 0x30;
    y[i] = static_cast<float>(static_cast<int>(lo | hi) - 32);
}

extern "C" __global__ void dequant_batched_good(const unsigned char* q, float* y, int n, int m) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const int row = blockIdx.y;
    if (i >= n || row >= m) return;
    const unsigned lo = q[i] & 0xF;
    const unsigned hi = (q[n + i / 4] << 4 >> (2 * (i % 4))) & 0x30;
    y[row * n + i] = static_cast<float>(static_cast<int>(lo | hi) - 32);
}

extern "C" __global__ void dequant_batched_bad(const unsigned char* q, float* y, int n, int m) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const int row = blockIdx.y;
    if (i >= n || row >= m) return;
    const unsigned lo = q[i] & 0xF;
    const unsigned hi = q[n + i / 4] << 4 >> (2 * (i % 4));
    y[row * n + i] = static_cast<float>(static_cast<int>(lo | hi) - 32);
}
