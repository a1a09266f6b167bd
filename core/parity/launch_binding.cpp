#include "parity/launch_binding.h"

#include <fmt/format.h>

namespace ptxwb::parity {

using kernels::ParamRole;

Expected<DeviceInputs> uploadInputs(const OpData& data) {
    DeviceInputs in;
    for (const auto& [role, host] : data.inputs) {
        PTXWB_TRY(cuda::GuardedBuffer b, cuda::GuardedBuffer::allocate(host.bytes.size()));
        PTXWB_CHECK(b.poison());
        PTXWB_CHECK(b.upload(std::as_bytes(std::span<const std::uint8_t>(host.bytes))));
        in.buffers.emplace(role, std::move(b));
    }
    std::vector<int> positions = data.positions.empty()
                                     ? std::vector<int>(static_cast<std::size_t>(data.m), 0)
                                     : data.positions;
    std::vector<int> tokens =
        data.tokens.empty() ? std::vector<int>(static_cast<std::size_t>(data.m), 0) : data.tokens;
    PTXWB_TRY(in.positions, cuda::DeviceBuffer::allocate(positions.size() * 4));
    PTXWB_CHECK(in.positions.upload(cuda::asBytes(positions)));
    PTXWB_TRY(in.tokens, cuda::DeviceBuffer::allocate(tokens.size() * 4));
    PTXWB_CHECK(in.tokens.upload(cuda::asBytes(tokens)));
    PTXWB_TRY(in.positionBuf, cuda::DeviceBuffer::allocate(4));
    return in;
}

Expected<LaunchGeometry> evaluateGeometry(const kernels::KernelSpec& spec,
                                          const kernels::DimValues& dims) {
    kernels::DimValues d = dims;
    for (const auto& [k, v] : spec.fixed)
        d[k] = v;
    LaunchGeometry g;
    unsigned* grid[3] = {&g.grid.x, &g.grid.y, &g.grid.z};
    unsigned* block[3] = {&g.block.x, &g.block.y, &g.block.z};
    for (int i = 0; i < 3; ++i) {
        PTXWB_TRY(std::int64_t gv, spec.grid[i].evaluate(d));
        PTXWB_TRY(std::int64_t bv, spec.block[i].evaluate(d));
        if (gv <= 0 || gv > 0x7FFFFFFF || bv <= 0 || bv > 1024)
            return makeError(
                ErrorKind::BadInput,
                fmt::format("kernel {}: launch geometry out of range (grid {} = {}, block {} = {})",
                            spec.name, spec.grid[i].text(), gv, spec.block[i].text(), bv));
        *grid[i] = static_cast<unsigned>(gv);
        *block[i] = static_cast<unsigned>(bv);
    }
    PTXWB_TRY(std::int64_t shared, spec.sharedBytes.evaluate(d));
    g.sharedBytes = static_cast<unsigned>(shared);
    return g;
}

Expected<cuda::KernelArgs> bindArguments(const kernels::KernelSpec& spec, const OpData& data,
                                         const DeviceInputs& in, CUdeviceptr output,
                                         std::optional<int> row) {
    cuda::KernelArgs args;
    const int r = row.value_or(0);
    for (const auto& p : spec.params) {
        switch (p.role) {
        case ParamRole::Input:
        case ParamRole::InputA:
        case ParamRole::InputB:
        case ParamRole::Gate:
        case ParamRole::Up:
        case ParamRole::Weights:
        case ParamRole::Gamma:
        case ParamRole::KCache:
        case ParamRole::VCache: {
            auto it = in.buffers.find(p.role);
            if (it == in.buffers.end())
                return makeError(
                    ErrorKind::BadInput,
                    fmt::format("kernel {}: op {} has no data for role '{}' of parameter '{}'",
                                spec.name, kernels::opKindName(spec.op), p.roleText, p.name));
            std::size_t rowBytes = data.inputs.at(p.role).rowBytes;
            args.ptr(it->second.ptr() + (row ? static_cast<std::size_t>(r) * rowBytes : 0));
            break;
        }
        case ParamRole::Output:
        case ParamRole::Cache:
            args.ptr(output);
            break;
        case ParamRole::Dim:
            if (p.dim == "M")
                args.i32(row ? 1 : data.m);
            else
                args.i32(static_cast<std::int32_t>(data.dims.at(p.dim)));
            break;
        case ParamRole::Eps:
            args.f32(data.eps);
            break;
        case ParamRole::RopeBase:
            args.f32(data.ropeBase);
            break;
        case ParamRole::Position:
            args.i32(data.positions.empty() ? 0 : data.positions[static_cast<std::size_t>(r)]);
            break;
        case ParamRole::PositionBuf:
            args.ptr(in.positionBuf.ptr());
            break;
        case ParamRole::Positions:
            args.ptr(in.positions.ptr() + static_cast<std::size_t>(r) * 4 * (row ? 1 : 0));
            break;
        case ParamRole::Token:
            args.i32(data.tokens.empty() ? 0 : data.tokens[static_cast<std::size_t>(r)]);
            break;
        case ParamRole::Tokens:
            args.ptr(in.tokens.ptr() + static_cast<std::size_t>(r) * 4 * (row ? 1 : 0));
            break;
        case ParamRole::SeqLenBuf:
            // Graph-mode attention; the engine drives it, pair parity has no sequence buffer.
            return makeError(ErrorKind::BadInput,
                             fmt::format("kernel {}: parity cannot drive parameter '{}' (role "
                                         "seq_len_buf); the engine's qa and trace exercise it",
                                         spec.name, p.name));
        }
    }
    return args;
}

double launchBytes(const kernels::KernelSpec& spec, const OpData& data, bool allRows) {
    double rows = allRows ? data.m : 1;
    double bytes = 0;
    for (const auto& p : spec.params) {
        auto it = data.inputs.find(p.role);
        if (it != data.inputs.end())
            bytes += it->second.rowBytes > 0 ? static_cast<double>(it->second.rowBytes) * rows
                                             : static_cast<double>(it->second.bytes.size());
    }
    if (data.cacheOutput) {
        auto src = data.inputs.find(ParamRole::Input);
        bytes += src == data.inputs.end() ? 0 : static_cast<double>(src->second.rowBytes) * rows;
    } else {
        bytes += static_cast<double>(data.rowElems) * 4 * rows;
    }
    return bytes;
}

} // namespace ptxwb::parity
