#include "bench_ptx_module.h"

#include "cuda/nvrtc_compiler.h"
#include "util/mapped_file.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::bench {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kLargeModuleBytes = 40u << 20;

// Three kernel shapes common in inference code (a stencil with shared-memory halo, a
// warp-shuffle reduction with atomics, a vectorised row-wise GEMV), each instantiated for
// many sizes and element types: NVRTC unrolls every instantiation into its own function.
const char* kTemplateSource = R"(
template <int N, typename T>
__global__ void stencil(const T* __restrict__ in, T* __restrict__ out, int n, T a, T b) {
    __shared__ T tile[256 + 2 * N];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    tile[threadIdx.x + N] = i < n ? in[i] : T(0);
    if (threadIdx.x < N) {
        tile[threadIdx.x] = i >= N ? in[i - N] : T(0);
        tile[threadIdx.x + 256 + N] = i + 256 < n ? in[i + 256] : T(0);
    }
    __syncthreads();
    T acc = T(0);
#pragma unroll
    for (int k = -N; k <= N; ++k) acc = acc * a + tile[threadIdx.x + N + k] * (b + T(k));
    if (i < n) out[i] = acc;
}

template <int Warps, typename T>
__global__ void blockReduce(const T* __restrict__ in, T* __restrict__ out, int n) {
    __shared__ T partial[Warps];
    T v = T(0);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
        v += __ldg(in + i);
#pragma unroll
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x / 32] = v;
    __syncthreads();
    if (threadIdx.x == 0) {
        T sum = T(0);
#pragma unroll
        for (int w = 0; w < Warps; ++w) sum += partial[w];
        atomicAdd(out, sum);
    }
}

template <int Cols>
__global__ void gemvRows(const float4* __restrict__ w, const float4* __restrict__ x,
                         float* __restrict__ y, int rows, float scale) {
    int row = blockIdx.x * 4 + threadIdx.y;
    if (row >= rows) return;
    float acc = 0.f;
#pragma unroll
    for (int c = threadIdx.x; c < Cols / 4; c += 32) {
        float4 a = w[row * (Cols / 4) + c], b = x[c];
        acc = fmaf(a.x, b.x, fmaf(a.y, b.y, fmaf(a.z, b.z, fmaf(a.w, b.w, acc))));
    }
#pragma unroll
    for (int offset = 16; offset > 0; offset /= 2) acc += __shfl_down_sync(0xffffffffu, acc, offset);
    if (threadIdx.x == 0) y[row] = acc * scale;
}

#define STENCIL(N) \
    template __global__ void stencil<N, float>(const float*, float*, int, float, float); \
    template __global__ void stencil<N, double>(const double*, double*, int, double, double); \
    template __global__ void stencil<N, int>(const int*, int*, int, int, int);
#define REDUCE(W) \
    template __global__ void blockReduce<W, float>(const float*, float*, int); \
    template __global__ void blockReduce<W, int>(const int*, int*, int); \
    template __global__ void blockReduce<W, unsigned>(const unsigned*, unsigned*, int);
#define GEMV(C) template __global__ void gemvRows<C>(const float4*, const float4*, float*, int, float);
STENCIL(1) STENCIL(2) STENCIL(3) STENCIL(4) STENCIL(5) STENCIL(6) STENCIL(7) STENCIL(8)
STENCIL(9) STENCIL(10) STENCIL(11) STENCIL(12) STENCIL(13) STENCIL(14) STENCIL(15) STENCIL(16)
STENCIL(17) STENCIL(18) STENCIL(19) STENCIL(20) STENCIL(21) STENCIL(22) STENCIL(23) STENCIL(24)
STENCIL(25) STENCIL(26) STENCIL(27) STENCIL(28) STENCIL(29) STENCIL(30) STENCIL(31) STENCIL(32)
STENCIL(40) STENCIL(48) STENCIL(56) STENCIL(64)
REDUCE(1) REDUCE(2) REDUCE(4) REDUCE(8) REDUCE(16) REDUCE(32)
GEMV(128) GEMV(256) GEMV(512) GEMV(1024) GEMV(2048) GEMV(4096)
)";

fs::path cacheDir() {
    // PTXWB_BENCH_CACHE_DIR in the environment points at a cache made elsewhere (e.g. to run
    // this binary on a machine without the CUDA toolkit).
    const char* env = std::getenv("PTXWB_BENCH_CACHE_DIR");
    return env ? fs::path(env) : fs::path(PTXWB_BENCH_CACHE_DIR);
}

BenchModule makeTemplateModule() {
    BenchModule out;
    cuda::CompileRequest request;
    request.source = kTemplateSource;
    request.name = "bench_templates.cu";
    request.arch = 80;
    auto ptx = cuda::compileToPtxCached(request, cacheDir().string());
    if (!ptx)
        out.unavailable = "NVRTC could not make the benchmark module: " + ptx.error().format();
    else
        out.text = std::move(ptx->ptx);
    return out;
}

/// Copies of every function after the module header, each with its symbols renamed so the
/// module stays valid PTX (every symbol of the template module contains one of the template
/// names).
BenchModule makeLargeModule(const BenchModule& base) {
    BenchModule out;
    if (!base.unavailable.empty()) {
        out.unavailable = base.unavailable;
        return out;
    }
    const std::string& text = base.text;
    // The header is .version / .target / .address_size; everything after it is per kernel.
    std::size_t addressSize = text.find("\n.address_size");
    std::size_t firstDef =
        addressSize == std::string::npos ? addressSize : text.find('\n', addressSize + 1);
    if (firstDef == std::string::npos) {
        out.unavailable = "the NVRTC module has no .address_size line";
        return out;
    }
    std::string_view header(text.data(), firstDef + 1), body(text.data() + firstDef + 1);
    out.text.reserve(kLargeModuleBytes + text.size());
    out.text += header;
    for (int copy = 0; out.text.size() < kLargeModuleBytes; ++copy) {
        std::string tag = fmt::format("c{}_", copy);
        for (std::size_t pos = 0;;) {
            std::size_t hit = std::string_view::npos;
            for (std::string_view name : {"stencil", "blockReduce", "gemvRows"})
                hit = std::min(hit, body.find(name, pos));
            out.text.append(body.substr(pos, hit == std::string_view::npos ? hit : hit - pos));
            if (hit == std::string_view::npos) break;
            out.text += tag;
            pos = hit;
            // Skip past the name so it is not found again.
            out.text += body[pos];
            ++pos;
        }
    }
    std::error_code ec;
    fs::create_directories(cacheDir(), ec);
    (void)writeFileAtomic((cacheDir() / "large_module.ptx").string(), out.text);
    return out;
}

} // namespace

const BenchModule& nvrtcTemplateModule() {
    static const BenchModule module = makeTemplateModule();
    return module;
}

const BenchModule& largeModule() {
    static const BenchModule module = makeLargeModule(nvrtcTemplateModule());
    return module;
}

} // namespace ptxwb::bench
