#include "cuda/graph.h"

#include "cuda/cuda_error.h"

#include <cstring>

namespace ptxwb::cuda {

Expected<Graph> Graph::capture(const Stream& stream, const std::function<Status()>& work) {
    const auto& api = driver();
    PTXWB_CHECK(
        checkCu(api.streamBeginCapture(stream.handle(), CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
                "cuStreamBeginCapture"));
    Status st = work();
    Graph g;
    CUresult endRc = api.streamEndCapture(stream.handle(), &g.graph_);
    if (!st) return st.error();
    PTXWB_CHECK(checkCu(endRc, "cuStreamEndCapture"));
    PTXWB_CHECK(checkCu(api.graphInstantiate(&g.exec_, g.graph_, 0), "cuGraphInstantiate"));
    return g;
}

Graph::Graph(Graph&& o) noexcept
    : graph_(std::exchange(o.graph_, nullptr)), exec_(std::exchange(o.exec_, nullptr)) {}

Graph& Graph::operator=(Graph&& o) noexcept {
    if (this != &o) {
        this->~Graph();
        graph_ = std::exchange(o.graph_, nullptr);
        exec_ = std::exchange(o.exec_, nullptr);
    }
    return *this;
}

Graph::~Graph() {
    if (exec_ != nullptr) driver().graphExecDestroy(exec_);
    if (graph_ != nullptr) driver().graphDestroy(graph_);
    exec_ = nullptr;
    graph_ = nullptr;
}

Status Graph::launch(const Stream& stream) const {
    return checkCu(driver().graphLaunch(exec_, stream.handle()), "cuGraphLaunch");
}

Expected<std::vector<KernelNode>> Graph::kernelNodes() const {
    const auto& api = driver();
    size_t count = 0;
    PTXWB_CHECK(checkCu(api.graphGetNodes(graph_, nullptr, &count), "cuGraphGetNodes"));
    std::vector<CUgraphNode> nodes(count);
    PTXWB_CHECK(checkCu(api.graphGetNodes(graph_, nodes.data(), &count), "cuGraphGetNodes"));
    std::vector<KernelNode> out;
    for (CUgraphNode node : nodes) {
        CUgraphNodeType type{};
        PTXWB_CHECK(checkCu(api.graphNodeGetType(node, &type), "cuGraphNodeGetType"));
        if (type != CU_GRAPH_NODE_TYPE_KERNEL) continue;
        CUDA_KERNEL_NODE_PARAMS p{};
        PTXWB_CHECK(checkCu(api.graphKernelNodeGetParams(node, &p), "cuGraphKernelNodeGetParams"));
        KernelNode k;
        k.function = p.func;
        k.grid = {p.gridDimX, p.gridDimY, p.gridDimZ};
        k.block = {p.blockDimX, p.blockDimY, p.blockDimZ};
        k.sharedBytes = p.sharedMemBytes;
        // The node keeps its own copy of each argument; its size comes from the function's
        // parameter layout.
        for (size_t i = 0; p.kernelParams != nullptr; ++i) {
            size_t offset = 0, size = 0;
            if (api.funcGetParamInfo(p.func, i, &offset, &size) != CUDA_SUCCESS) break;
            std::vector<std::byte> bytes(size);
            std::memcpy(bytes.data(), p.kernelParams[i], size);
            k.params.push_back(std::move(bytes));
        }
        out.push_back(std::move(k));
    }
    return out;
}

} // namespace ptxwb::cuda
