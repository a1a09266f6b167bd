#pragma once
// Launches a kernel of the set by the roles of its parameters (docs/kernel-set.md), so the
// engine drives any kernel set whose manifest names its roles, and records each launch in the
// trace: op, kernel, geometry, registers, scalar values, pointers resolved to tensors, the
// position path and the position the kernel read.

#include "cuda/context.h"
#include "cuda/graph.h"
#include "engine/device_tensors.h"
#include "engine/trace.h"
#include "kernels/kernel_loader.h"

#include <map>
#include <string>
#include <vector>

namespace ptxwb::engine {

/// Values for a launch, by parameter role.
struct OpArgs {
    std::map<std::string, CUdeviceptr> pointers; ///< by role text: "input", "cache:k", "input:a"
    kernels::DimValues dims;                     ///< by dim name: D, N, K, M, H, HKV, HD, MAXLEN
    std::int32_t position = 0;
    std::int32_t token = 0;
    float eps = 0.0f;
    float ropeBase = 10000.0f;
};

/// Where a launch comes from in the model.
struct LaunchSite {
    std::string phase;
    int layer = -1;
    std::string op;
};

class OpLauncher {
public:
    OpLauncher(kernels::LoadedKernelSet& kernels, const DeviceTensors& tensors,
               const cuda::Stream& stream, bool tracing);

    /// Binds `args` to `kernelName`'s parameters by role and launches it on the stream.
    Status launch(const std::string& kernelName, const OpArgs& args, const LaunchSite& site);

    /// While capturing a graph nothing may synchronise: launches are remembered, not traced.
    void beginCapture();
    /// Ends a capture; the remembered launches label the graph's nodes on replay.
    void endCapture();
    /// Records a replay of `graph`: every kernel node with the parameters frozen in it.
    Status recordGraphReplay(const cuda::Graph& graph, const std::string& phase);

    [[nodiscard]] Trace& trace() { return trace_; }
    [[nodiscard]] bool tracing() const { return tracing_; }
    void setTracing(bool on) { tracing_ = on; }

private:
    struct Captured {
        const kernels::KernelSpec* spec = nullptr;
        LaunchSite site;
    };
    Expected<cuda::KernelArgs> bindArguments(const kernels::KernelSpec& spec, const OpArgs& args);
    Status recordLaunch(const kernels::LoadedKernel& kernel, const OpArgs& args,
                        const LaunchSite& site, cuda::Dim3 grid, cuda::Dim3 block, unsigned shared,
                        std::optional<double> durationUs);
    Expected<std::int32_t> readDeviceInt(CUdeviceptr p) const;
    Expected<std::vector<std::int32_t>> readDeviceInts(CUdeviceptr p, std::size_t n) const;

    kernels::LoadedKernelSet& kernels_;
    const DeviceTensors& tensors_;
    const cuda::Stream& stream_;
    bool tracing_;
    bool capturing_ = false;
    std::vector<Captured> captured_;
    std::vector<Captured> graphLabels_;
    Trace trace_;
    std::uint64_t nextSeq_ = 1;
};

} // namespace ptxwb::engine
