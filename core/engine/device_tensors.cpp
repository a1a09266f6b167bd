#include "engine/device_tensors.h"

#include <fmt/format.h>

namespace ptxwb::engine {

Expected<CUdeviceptr> DeviceTensors::allocate(const std::string& name, std::size_t bytes) {
    if (buffers_.count(name) != 0) {
        return makeError(ErrorKind::Internal, fmt::format("device tensor '{}' exists twice", name));
    }
    PTXWB_TRY(auto buffer, cuda::DeviceBuffer::allocate(std::max<std::size_t>(bytes, 4)));
    CUdeviceptr p = buffer.ptr();
    byAddress_[p] = name;
    buffers_.emplace(name, std::move(buffer));
    return p;
}

Expected<CUdeviceptr> DeviceTensors::upload(const std::string& name,
                                            std::span<const std::byte> bytes) {
    PTXWB_TRY(CUdeviceptr p, allocate(name, bytes.size()));
    PTXWB_CHECK(buffers_.at(name).upload(bytes));
    return p;
}

const cuda::DeviceBuffer* DeviceTensors::find(const std::string& name) const {
    auto it = buffers_.find(name);
    return it == buffers_.end() ? nullptr : &it->second;
}

CUdeviceptr DeviceTensors::ptr(const std::string& name) const {
    const auto* b = find(name);
    return b == nullptr ? 0 : b->ptr();
}

void DeviceTensors::release(const std::string& name) {
    auto it = buffers_.find(name);
    if (it == buffers_.end()) return;
    byAddress_.erase(it->second.ptr());
    buffers_.erase(it);
}

std::optional<ResolvedPointer> DeviceTensors::resolve(CUdeviceptr p) const {
    auto it = byAddress_.upper_bound(p);
    if (it == byAddress_.begin()) return std::nullopt;
    --it;
    const auto& buffer = buffers_.at(it->second);
    if (p >= buffer.ptr() + buffer.size()) return std::nullopt;
    return ResolvedPointer{it->second, p - buffer.ptr()};
}

std::size_t DeviceTensors::totalBytes() const {
    std::size_t total = 0;
    for (const auto& [name, b] : buffers_)
        total += b.size();
    return total;
}

} // namespace ptxwb::engine
