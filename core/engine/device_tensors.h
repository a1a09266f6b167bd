#pragma once
// Named device allocations of the engine (weights, activations, KV caches, position buffers).
// The trace resolves every pointer argument back to "blk.3.attn_q.weight + 0" through here, so
// a launch that reads the wrong buffer is visible by name, not as a raw address.

#include "cuda/memory.h"
#include "util/expected.h"

#include <map>
#include <optional>
#include <string>

namespace ptxwb::engine {

/// A pointer argument resolved to the tensor it points into.
struct ResolvedPointer {
    std::string tensor;
    std::uint64_t offset = 0;
};

class DeviceTensors {
public:
    /// Allocates `bytes` under `name` (names are unique).
    Expected<CUdeviceptr> allocate(const std::string& name, std::size_t bytes);
    /// Allocates and uploads.
    Expected<CUdeviceptr> upload(const std::string& name, std::span<const std::byte> bytes);
    /// The buffer called `name`, or nullptr.
    [[nodiscard]] const cuda::DeviceBuffer* find(const std::string& name) const;
    /// Its device pointer (0 when there is none).
    [[nodiscard]] CUdeviceptr ptr(const std::string& name) const;
    /// Frees `name` (no-op when absent).
    void release(const std::string& name);
    /// Which named buffer `p` points into, if any.
    [[nodiscard]] std::optional<ResolvedPointer> resolve(CUdeviceptr p) const;
    [[nodiscard]] std::size_t totalBytes() const;

private:
    std::map<std::string, cuda::DeviceBuffer> buffers_;
    std::map<CUdeviceptr, std::string> byAddress_;
};

} // namespace ptxwb::engine
