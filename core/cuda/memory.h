#pragma once
// Device memory. GuardedBuffer fences a payload with guard regions on both sides and poisons it
// before a launch, so a parity check can tell elements a kernel never wrote (still the poison
// sentinel) and writes past either end (a guard word changed) from wrong values.

#include "util/expected.h"

#include <cstddef>
#include <cstdint>
#include <cuda.h>
#include <span>
#include <vector>

namespace ptxwb::cuda {

/// A plain device allocation.
class DeviceBuffer {
public:
    static Expected<DeviceBuffer> allocate(std::size_t bytes);
    DeviceBuffer() = default;
    DeviceBuffer(DeviceBuffer&& o) noexcept;
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer();

    [[nodiscard]] CUdeviceptr ptr() const { return ptr_; }
    [[nodiscard]] std::size_t size() const { return size_; }
    Status upload(std::span<const std::byte> bytes, std::size_t offset = 0) const;
    Status download(std::span<std::byte> bytes, std::size_t offset = 0) const;
    Status fill32(std::uint32_t word) const;

private:
    CUdeviceptr ptr_ = 0;
    std::size_t size_ = 0;
};

/// Where an out-of-payload write landed.
struct GuardViolation {
    bool before = false;       ///< in the guard below the payload
    std::size_t wordIndex = 0; ///< 32-bit word index within that guard
    std::uint32_t value = 0;   ///< what is there now
};

/// A payload of `payloadBytes` between two guard regions of `guardBytes` each.
class GuardedBuffer {
public:
    static constexpr std::uint32_t kGuardWord = 0xA5A5A5A5u;
    /// The NaN sentinel written into every payload word before a launch.
    static constexpr std::uint32_t kPoisonWord = 0x7FC0DEADu;

    static Expected<GuardedBuffer> allocate(std::size_t payloadBytes,
                                            std::size_t guardBytes = 1024);
    [[nodiscard]] CUdeviceptr ptr() const { return storage_.ptr() + guardBytes_; }
    [[nodiscard]] std::size_t payloadBytes() const { return payloadBytes_; }
    [[nodiscard]] std::size_t guardBytes() const { return guardBytes_; }
    /// Guards to kGuardWord, payload to kPoisonWord.
    Status poison() const;
    Status upload(std::span<const std::byte> bytes) const;
    Status download(std::span<std::byte> bytes) const;
    /// Every guard word that no longer holds kGuardWord.
    Expected<std::vector<GuardViolation>> checkGuards() const;

private:
    DeviceBuffer storage_;
    std::size_t payloadBytes_ = 0;
    std::size_t guardBytes_ = 0;
};

template <typename T>
std::span<const std::byte> asBytes(const std::vector<T>& v) {
    return std::as_bytes(std::span<const T>(v));
}
template <typename T>
std::span<std::byte> asWritableBytes(std::vector<T>& v) {
    return std::as_writable_bytes(std::span<T>(v));
}

} // namespace ptxwb::cuda
