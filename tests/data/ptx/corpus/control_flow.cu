// Device calls, recursion, switch jump tables, local arrays and indirect calls.
__device__ __noinline__ int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__device__ __noinline__ float scale(float x, float s) { return x * s; }
__device__ __noinline__ float shift(float x, float s) { return x + s; }
typedef float (*BinaryOp)(float, float);
__device__ BinaryOp opTable[2] = {scale, shift};

__device__ __noinline__ int classify(int code) {
    switch (code) {
    case 0: return 11;
    case 1: return 23;
    case 2: return 37;
    case 3: return 41;
    case 4: return 59;
    case 5: return 61;
    case 6: return 79;
    case 7: return 83;
    default: return -1;
    }
}

__device__ int jump(int code, int x) {
    switch (code & 7) {
    case 0: x += 3; break;
    case 1: x ^= 0x55; break;
    case 2: x *= 7; break;
    case 3: x -= 9; break;
    case 4: x <<= 2; break;
    case 5: x >>= 1; break;
    case 6: x |= 0x100; break;
    default: x = ~x; break;
    }
    return x;
}

__global__ void controlFlow(int* out, const int* codes, float* f, int n) {
    int local[64];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    for (int k = 0; k < 64; ++k) local[k] = codes[(i + k) % n] * k;
    int acc = 0;
    for (int k = 0; k < n; ++k) acc += local[codes[k] & 63] + jump(codes[k], k);
    out[i] = fib(codes[i] & 15) + classify(codes[i]) + acc;
    BinaryOp op = opTable[i & 1];
    f[i] = op(f[i], 2.0f);
    if (acc < -1000000) __trap();
}

__global__ void unsignedLoops(unsigned long long* p, unsigned long long seed) {
    unsigned long long x = seed;
    #pragma unroll 1
    for (int k = 0; k < 100; ++k) x = x * 6364136223846793005ull + 1442695040888963407ull;
    p[threadIdx.x] = x / 3 + x % 7;
    double d = static_cast<double>(x) * 1e-300;
    p[threadIdx.x + 1] = static_cast<unsigned long long>(sqrt(d) + rsqrt(d + 1.0));
}
