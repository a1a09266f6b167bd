#include "parity/probe.h"

#include "cuda/context.h"
#include "cuda/cuda_error.h"
#include "parity/cpu_reference.h"
#include "parity/inputs.h"
#include "parity/launch_binding.h"

#include <chrono>
#include <fmt/format.h>

namespace ptxwb::parity {

using kernels::ParamRole;
using kernels::WeightFormat;

std::string ProbeResult::positionMap() const {
    std::string s;
    for (auto c : byPosition)
        s += c == 0 ? '.' : (c >= static_cast<std::uint64_t>(n) * (k / blockValues) ? 'X' : 'x');
    return s;
}

Expected<ProbeResult> runDequantProbe(kernels::LoadedKernelSet& set,
                                      const kernels::KernelSpec& gemv, int n, int k,
                                      std::uint64_t seed) {
    InputGenerator gen(seed);
    return runDequantProbeOn(set, gemv, n, k, gen.weights(gemv.weights, n, k));
}

Expected<ProbeResult> runDequantProbeOn(kernels::LoadedKernelSet& set,
                                        const kernels::KernelSpec& gemv, int n, int k,
                                        const std::vector<std::uint8_t>& weights) {
    if (gemv.op != kernels::OpKind::Gemv)
        return makeError(ErrorKind::Usage,
                         fmt::format("the dequant probe needs a gemv kernel; {} is {}", gemv.name,
                                     kernels::opKindName(gemv.op)));
    if (k % 256 != 0 || n <= 0)
        return makeError(ErrorKind::Usage, "probe shape: K must be a multiple of 256");
    auto started = std::chrono::steady_clock::now();
    ProbeResult r;
    r.kernel = gemv.name;
    r.format = kernels::weightFormatName(gemv.weights);
    r.n = n;
    r.k = k;
    r.blockValues = std::max(blockValues(gemv.weights), 32);
    r.subBlockValues =
        gemv.weights == WeightFormat::Q6_K ? 16 : 32; // Q6_K: one scale per 16 values
    r.bySuperBlock.assign(static_cast<std::size_t>(k / r.blockValues), 0);
    r.bySubBlock.assign(static_cast<std::size_t>(r.blockValues / r.subBlockValues), 0);
    r.byPosition.assign(static_cast<std::size_t>(r.blockValues), 0);

    PTXWB_TRY(const kernels::LoadedKernel* kernel, set.get(gemv.name));
    const bool batched = gemv.variant == kernels::Variant::Batched;
    const int rowsPerLaunch = batched ? 16 : 1;
    // The one-hot inputs of one launch: x[m] = e_(k0 + m).
    OpData data;
    data.op = gemv.op;
    data.weights = gemv.weights;
    data.dims = {{"N", n}, {"K", k}, {"M", rowsPerLaunch}};
    data.m = rowsPerLaunch;
    data.rowElems = static_cast<std::size_t>(n);
    data.outputElems = data.rowElems * rowsPerLaunch;
    data.inputs[ParamRole::Weights].bytes = weights;
    data.inputs[ParamRole::Input].bytes.assign(static_cast<std::size_t>(rowsPerLaunch) * k * 4, 0);
    data.inputs[ParamRole::Input].rowBytes = static_cast<std::size_t>(k) * 4;
    PTXWB_TRY(DeviceInputs in, uploadInputs(data));
    PTXWB_TRY(LaunchGeometry g, evaluateGeometry(gemv, data.dims));
    PTXWB_TRY(cuda::GuardedBuffer out, cuda::GuardedBuffer::allocate(data.outputElems * 4));

    std::vector<float> seen(static_cast<std::size_t>(n) * k);
    std::vector<float> x(static_cast<std::size_t>(rowsPerLaunch) * k);
    std::vector<float> y(data.outputElems);
    for (int k0 = 0; k0 < k; k0 += rowsPerLaunch) {
        std::fill(x.begin(), x.end(), 0.0f);
        for (int m = 0; m < rowsPerLaunch && k0 + m < k; ++m)
            x[static_cast<std::size_t>(m) * k + k0 + m] = 1.0f;
        PTXWB_CHECK(in.buffers.at(ParamRole::Input).upload(cuda::asBytes(x)));
        PTXWB_CHECK(out.poison());
        PTXWB_TRY(cuda::KernelArgs args,
                  bindArguments(gemv, data, in, out.ptr(),
                                batched ? std::nullopt : std::optional<int>(0)));
        PTXWB_CHECK(cuda::launch(kernel->function, g.grid, g.block, g.sharedBytes, nullptr, args));
        PTXWB_CHECK(cuda::checkCu(cuda::driver().ctxSynchronize(), "cuCtxSynchronize", gemv.name));
        PTXWB_CHECK(out.download(cuda::asWritableBytes(y)));
        for (int m = 0; m < rowsPerLaunch && k0 + m < k; ++m)
            for (int row = 0; row < n; ++row)
                seen[static_cast<std::size_t>(row) * k + k0 + m] =
                    y[static_cast<std::size_t>(m) * n + row];
    }
    std::vector<float> expected(static_cast<std::size_t>(k));
    const std::size_t rowBytes = weightRowBytes(gemv.weights, k);
    for (int row = 0; row < n; ++row) {
        dequantRow(gemv.weights, weights.data() + rowBytes * row, k, expected.data());
        for (int col = 0; col < k; ++col) {
            float s = seen[static_cast<std::size_t>(row) * k + col];
            ++r.elements;
            // Compared as values: a one-hot sum can turn -0 into +0, which is no dequant error.
            if (s == expected[col]) continue;
            ++r.mismatches;
            r.bySuperBlock[static_cast<std::size_t>(col / r.blockValues)]++;
            r.bySubBlock[static_cast<std::size_t>((col % r.blockValues) / r.subBlockValues)]++;
            r.byPosition[static_cast<std::size_t>(col % r.blockValues)]++;
            if (r.samples.size() < 8) r.samples.push_back({row, col, s, expected[col]});
        }
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
}

nlohmann::json toJson(const ProbeResult& r) {
    nlohmann::json samples = nlohmann::json::array();
    for (const auto& s : r.samples)
        samples.push_back(
            {{"row", s.row}, {"col", s.col}, {"seen", s.seen}, {"expected", s.expected}});
    return {{"kernel", r.kernel},
            {"format", r.format},
            {"n", r.n},
            {"k", r.k},
            {"elements", r.elements},
            {"mismatches", r.mismatches},
            {"block_values", r.blockValues},
            {"sub_block_values", r.subBlockValues},
            {"by_super_block", r.bySuperBlock},
            {"by_sub_block", r.bySubBlock},
            {"by_position", r.byPosition},
            {"position_map", r.positionMap()},
            {"samples", samples},
            {"seconds", r.seconds}};
}

std::string formatText(const ProbeResult& r) {
    std::string s = fmt::format("dequant probe of {} ({}, N={} K={}): {} of {} weights differ from "
                                "the CPU dequantisation\n",
                                r.kernel, r.format, r.n, r.k, r.mismatches, r.elements);
    if (r.mismatches == 0) return s + "the kernel sees exactly the weights the CPU dequantises\n";
    s += "by sub-block:";
    for (std::size_t i = 0; i < r.bySubBlock.size(); ++i)
        s += fmt::format(" {}:{}", i, r.bySubBlock[i]);
    s += "\nby super-block:";
    for (std::size_t i = 0; i < r.bySuperBlock.size() && i < 32; ++i)
        s += fmt::format(" {}:{}", i, r.bySuperBlock[i]);
    s += fmt::format("\nposition in block (0..{}; . right, x some rows wrong, X all rows wrong):\n",
                     r.blockValues - 1);
    std::string map = r.positionMap();
    for (std::size_t i = 0; i < map.size(); i += 64)
        s += fmt::format("  {:>3}: {}\n", i, map.substr(i, 64));
    for (const auto& e : r.samples)
        s += fmt::format("  W[{}, {}]: kernel sees {:.9g}, CPU dequantises {:.9g}\n", e.row, e.col,
                         e.seen, e.expected);
    return s;
}

} // namespace ptxwb::parity
