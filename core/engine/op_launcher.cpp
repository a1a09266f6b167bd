#include "engine/op_launcher.h"

#include <cstring>
#include <fmt/format.h>

namespace ptxwb::engine {

using kernels::ParamRole;

namespace {

bool isPointerRole(ParamRole role) {
    switch (role) {
    case ParamRole::Dim:
    case ParamRole::Eps:
    case ParamRole::RopeBase:
    case ParamRole::Position:
    case ParamRole::Token:
        return false;
    default:
        return true;
    }
}

PositionPath pathOf(const kernels::KernelSpec& spec) {
    if (spec.hasRole(ParamRole::PositionBuf) || spec.hasRole(ParamRole::SeqLenBuf)) {
        return PositionPath::Indirect;
    }
    if (spec.hasRole(ParamRole::Positions)) return PositionPath::Batched;
    if (spec.hasRole(ParamRole::Position)) return PositionPath::Direct;
    return PositionPath::None;
}

Expected<CUdeviceptr> pointerFor(const kernels::ParamSpec& p, const OpArgs& args,
                                 const kernels::KernelSpec& spec) {
    auto it = args.pointers.find(p.roleText);
    if (it == args.pointers.end()) {
        return makeError(ErrorKind::Internal,
                         fmt::format("kernel {}: no buffer bound for parameter '{}' (role {})",
                                     spec.name, p.name, p.roleText));
    }
    return it->second;
}

Expected<std::int64_t> dimFor(const kernels::ParamSpec& p, const OpArgs& args,
                              const kernels::KernelSpec& spec) {
    auto it = args.dims.find(p.dim);
    if (it == args.dims.end()) {
        return makeError(ErrorKind::Internal,
                         fmt::format("kernel {}: dim {} has no value", spec.name, p.dim));
    }
    return it->second;
}

} // namespace

OpLauncher::OpLauncher(kernels::LoadedKernelSet& kernels, const DeviceTensors& tensors,
                       const cuda::Stream& stream, bool tracing)
    : kernels_(kernels), tensors_(tensors), stream_(stream), tracing_(tracing) {}

Expected<cuda::KernelArgs> OpLauncher::bindArguments(const kernels::KernelSpec& spec,
                                                     const OpArgs& args) {
    cuda::KernelArgs out;
    for (const auto& p : spec.params) {
        switch (p.role) {
        case ParamRole::Dim: {
            PTXWB_TRY(std::int64_t v, dimFor(p, args, spec));
            out.i32(static_cast<std::int32_t>(v));
            break;
        }
        case ParamRole::Eps:
            out.f32(args.eps);
            break;
        case ParamRole::RopeBase:
            out.f32(args.ropeBase);
            break;
        case ParamRole::Position:
            out.i32(args.position);
            break;
        case ParamRole::Token:
            out.i32(args.token);
            break;
        default: {
            PTXWB_TRY(CUdeviceptr ptr, pointerFor(p, args, spec));
            out.ptr(ptr);
        }
        }
    }
    return out;
}

Expected<std::int32_t> OpLauncher::readDeviceInt(CUdeviceptr p) const {
    PTXWB_TRY(auto values, readDeviceInts(p, 1));
    return values.front();
}

Expected<std::vector<std::int32_t>> OpLauncher::readDeviceInts(CUdeviceptr p, std::size_t n) const {
    auto resolved = tensors_.resolve(p);
    if (!resolved) return makeError(ErrorKind::Internal, "position pointer is not a known buffer");
    PTXWB_CHECK(stream_.synchronize());
    std::vector<std::int32_t> values(n);
    PTXWB_CHECK(
        tensors_.find(resolved->tensor)->download(cuda::asWritableBytes(values), resolved->offset));
    return values;
}

Status OpLauncher::launch(const std::string& kernelName, const OpArgs& args,
                          const LaunchSite& site) {
    PTXWB_TRY(const kernels::LoadedKernel* kernel, kernels_.get(kernelName));
    const auto& spec = *kernel->spec;
    std::array<std::int64_t, 3> grid{};
    std::array<std::int64_t, 3> block{};
    for (int i = 0; i < 3; ++i) {
        PTXWB_TRY(grid[i], spec.grid[i].evaluate(args.dims));
        PTXWB_TRY(block[i], spec.block[i].evaluate(args.dims));
    }
    PTXWB_TRY(std::int64_t shared, spec.sharedBytes.evaluate(args.dims));
    PTXWB_TRY(auto kernelArgs, bindArguments(spec, args));
    cuda::Dim3 g{unsigned(grid[0]), unsigned(grid[1]), unsigned(grid[2])};
    cuda::Dim3 b{unsigned(block[0]), unsigned(block[1]), unsigned(block[2])};
    if (capturing_) {
        captured_.push_back({&spec, site});
        return cuda::launch(kernel->function, g, b, unsigned(shared), stream_.handle(), kernelArgs);
    }
    if (!tracing_) {
        return cuda::launch(kernel->function, g, b, unsigned(shared), stream_.handle(), kernelArgs);
    }
    // Traced: time the launch with events (this serialises launches; `trace` reports the cost).
    PTXWB_TRY(auto start, cuda::Event::create());
    PTXWB_TRY(auto end, cuda::Event::create());
    PTXWB_CHECK(start.record(stream_.handle()));
    PTXWB_CHECK(
        cuda::launch(kernel->function, g, b, unsigned(shared), stream_.handle(), kernelArgs));
    PTXWB_CHECK(end.record(stream_.handle()));
    PTXWB_CHECK(end.synchronize());
    PTXWB_TRY(float ms, cuda::Event::elapsedMs(start, end));
    return recordLaunch(*kernel, args, site, g, b, unsigned(shared), double(ms) * 1000.0);
}

Status OpLauncher::recordLaunch(const kernels::LoadedKernel& kernel, const OpArgs& args,
                                const LaunchSite& site, cuda::Dim3 grid, cuda::Dim3 block,
                                unsigned shared, std::optional<double> durationUs) {
    const auto& spec = *kernel.spec;
    TraceLaunch l;
    l.seq = nextSeq_++;
    l.phase = site.phase;
    l.layer = site.layer;
    l.op = site.op;
    l.kernel = spec.name;
    l.entry = spec.entry;
    l.module = spec.source;
    l.grid = {grid.x, grid.y, grid.z};
    l.block = {block.x, block.y, block.z};
    l.sharedBytes = shared;
    l.registers = kernel.function.attributes.registers;
    l.durationUs = durationUs;
    l.positionPath = pathOf(spec);
    for (const auto& p : spec.params) {
        LaunchParam param;
        param.name = p.name;
        param.role = p.roleText;
        param.pointer = isPointerRole(p.role);
        if (param.pointer) {
            auto it = args.pointers.find(p.roleText);
            if (it != args.pointers.end()) {
                if (auto r = tensors_.resolve(it->second)) {
                    param.tensor = r->tensor;
                    param.offset = r->offset;
                }
            }
        } else if (p.role == ParamRole::Dim) {
            auto it = args.dims.find(p.dim);
            param.value = it == args.dims.end() ? "?" : fmt::format("{}", it->second);
        } else if (p.role == ParamRole::Eps) {
            param.value = fmt::format("{:g}", args.eps);
        } else if (p.role == ParamRole::RopeBase) {
            param.value = fmt::format("{:g}", args.ropeBase);
        } else if (p.role == ParamRole::Position) {
            param.value = fmt::format("{}", args.position);
        } else if (p.role == ParamRole::Token) {
            param.value = fmt::format("{}", args.token);
        }
        l.params.push_back(std::move(param));
    }
    // What position the kernel saw: the scalar, the device buffer's contents, or the array.
    const bool scatters = spec.op == kernels::OpKind::KvScatter;
    if (l.positionPath == PositionPath::Direct) {
        l.positionValue = args.position;
        if (scatters) l.positionsWritten = {args.position};
    } else if (l.positionPath == PositionPath::Indirect) {
        // The value the kernel reads: position_buf, or seq_len_buf for graph-mode attention.
        auto it = args.pointers.find("position_buf");
        if (it == args.pointers.end()) it = args.pointers.find("seq_len_buf");
        if (it != args.pointers.end()) {
            PTXWB_TRY(std::int32_t value, readDeviceInt(it->second));
            l.positionValue = value;
            if (scatters) l.positionsWritten = {value};
        }
    } else if (l.positionPath == PositionPath::Batched && scatters) {
        auto it = args.pointers.find("positions");
        auto m = args.dims.find("M");
        if (it != args.pointers.end() && m != args.dims.end()) {
            PTXWB_TRY(auto positions, readDeviceInts(it->second, std::size_t(m->second)));
            l.positionsWritten.assign(positions.begin(), positions.end());
        }
    }
    trace_.launches.push_back(std::move(l));
    return {};
}

void OpLauncher::beginCapture() {
    capturing_ = true;
    captured_.clear();
}

void OpLauncher::endCapture() {
    capturing_ = false;
    graphLabels_ = std::move(captured_);
    captured_.clear();
}

Status OpLauncher::recordGraphReplay(const cuda::Graph& graph, const std::string& phase) {
    if (!tracing_) return {};
    PTXWB_TRY(auto nodes, graph.kernelNodes());
    PTXWB_CHECK(stream_.synchronize());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto& node = nodes[i];
        const Captured* label = i < graphLabels_.size() ? &graphLabels_[i] : nullptr;
        TraceLaunch l;
        l.seq = nextSeq_++;
        l.phase = phase;
        l.fromGraph = true;
        l.grid = {node.grid.x, node.grid.y, node.grid.z};
        l.block = {node.block.x, node.block.y, node.block.z};
        l.sharedBytes = node.sharedBytes;
        if (label != nullptr) {
            const auto& spec = *label->spec;
            l.layer = label->site.layer;
            l.op = label->site.op;
            l.kernel = spec.name;
            l.entry = spec.entry;
            l.module = spec.source;
            l.positionPath = pathOf(spec);
            if (auto loaded = kernels_.get(spec.name))
                l.registers = (*loaded)->function.attributes.registers;
            // Decode the frozen argument bytes with the manifest's roles.
            for (std::size_t p = 0; p < spec.params.size() && p < node.params.size(); ++p) {
                const auto& ps = spec.params[p];
                const auto& bytes = node.params[p];
                LaunchParam param;
                param.name = ps.name;
                param.role = ps.roleText;
                param.pointer = isPointerRole(ps.role);
                if (param.pointer && bytes.size() == 8) {
                    CUdeviceptr ptr = 0;
                    std::memcpy(&ptr, bytes.data(), 8);
                    if (auto r = tensors_.resolve(ptr)) {
                        param.tensor = r->tensor;
                        param.offset = r->offset;
                    }
                    if (ps.role == ParamRole::PositionBuf || ps.role == ParamRole::SeqLenBuf) {
                        PTXWB_TRY(std::int32_t value, readDeviceInt(ptr));
                        l.positionValue = value;
                        if (spec.op == kernels::OpKind::KvScatter) l.positionsWritten = {value};
                    }
                } else if (bytes.size() == 4) {
                    if (ps.role == ParamRole::Eps || ps.role == ParamRole::RopeBase) {
                        float f = 0;
                        std::memcpy(&f, bytes.data(), 4);
                        param.value = fmt::format("{:g}", f);
                    } else {
                        std::int32_t v = 0;
                        std::memcpy(&v, bytes.data(), 4);
                        param.value = fmt::format("{}", v);
                        if (ps.role == ParamRole::Position) l.positionValue = v;
                    }
                }
                l.params.push_back(std::move(param));
            }
        }
        trace_.launches.push_back(std::move(l));
    }
    return {};
}

} // namespace ptxwb::engine
