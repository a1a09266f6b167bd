#pragma once
// CUDA graphs: capture a stream's work, instantiate, replay, and read back what each kernel node
// was frozen with. Reading node parameters is how a trace proves which position a graph-mode
// decode step really used (graph parameters are fixed at capture).

#include "cuda/context.h"
#include "cuda/module.h"

#include <functional>

namespace ptxwb::cuda {

/// One kernel node of a captured graph, with its parameter bytes as frozen at capture.
struct KernelNode {
    CUfunction function = nullptr;
    Dim3 grid, block;
    unsigned sharedBytes = 0;
    std::vector<std::vector<std::byte>> params; ///< raw bytes per parameter
};

class Graph {
public:
    /// Runs `work` on `stream` under capture and instantiates the result.
    static Expected<Graph> capture(const Stream& stream, const std::function<Status()>& work);
    Graph() = default;
    Graph(Graph&& o) noexcept;
    Graph& operator=(Graph&& o) noexcept;
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
    ~Graph();

    Status launch(const Stream& stream) const;
    /// Kernel nodes in the graph's node order with their frozen parameters.
    Expected<std::vector<KernelNode>> kernelNodes() const;

private:
    CUgraph graph_ = nullptr;
    CUgraphExec exec_ = nullptr;
};

} // namespace ptxwb::cuda
