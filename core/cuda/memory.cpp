#include "cuda/memory.h"

#include "cuda/context.h"
#include "cuda/cuda_error.h"

#include <fmt/format.h>

namespace ptxwb::cuda {

Expected<DeviceBuffer> DeviceBuffer::allocate(std::size_t bytes) {
    DeviceBuffer b;
    // cuMemAlloc rejects 0 bytes; keep a tiny allocation so ptr() is always a valid address.
    std::size_t n = bytes == 0 ? 4 : bytes;
    PTXWB_CHECK(checkCu(driver().memAlloc(&b.ptr_, n), "cuMemAlloc"));
    b.size_ = bytes;
    return b;
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& o) noexcept
    : ptr_(std::exchange(o.ptr_, 0)), size_(std::exchange(o.size_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
        if (ptr_ != 0) driver().memFree(ptr_);
        ptr_ = std::exchange(o.ptr_, 0);
        size_ = std::exchange(o.size_, 0);
    }
    return *this;
}

DeviceBuffer::~DeviceBuffer() {
    if (ptr_ != 0) driver().memFree(ptr_);
}

Status DeviceBuffer::upload(std::span<const std::byte> bytes, std::size_t offset) const {
    if (offset + bytes.size() > size_)
        return makeError(ErrorKind::Internal,
                         fmt::format("upload of {} bytes at {} overflows a {}-byte buffer",
                                     bytes.size(), offset, size_));
    if (bytes.empty()) return {};
    return checkCu(driver().memcpyHtoD(ptr_ + offset, bytes.data(), bytes.size()), "cuMemcpyHtoD");
}

Status DeviceBuffer::download(std::span<std::byte> bytes, std::size_t offset) const {
    if (offset + bytes.size() > size_)
        return makeError(ErrorKind::Internal,
                         fmt::format("download of {} bytes at {} overflows a {}-byte buffer",
                                     bytes.size(), offset, size_));
    if (bytes.empty()) return {};
    return checkCu(driver().memcpyDtoH(bytes.data(), ptr_ + offset, bytes.size()), "cuMemcpyDtoH");
}

Status DeviceBuffer::fill32(std::uint32_t word) const {
    if (size_ < 4) return {};
    return checkCu(driver().memsetD32(ptr_, word, size_ / 4), "cuMemsetD32");
}

Expected<GuardedBuffer> GuardedBuffer::allocate(std::size_t payloadBytes, std::size_t guardBytes) {
    // Guards stay multiples of 256 bytes so the payload keeps the allocation's alignment.
    guardBytes = (guardBytes + 255) / 256 * 256;
    std::size_t payloadWords = (payloadBytes + 3) / 4 * 4;
    GuardedBuffer g;
    PTXWB_TRY(g.storage_, DeviceBuffer::allocate(guardBytes * 2 + payloadWords));
    g.payloadBytes_ = payloadBytes;
    g.guardBytes_ = guardBytes;
    return g;
}

Status GuardedBuffer::poison() const {
    const auto& api = driver();
    std::size_t payloadWords = (payloadBytes_ + 3) / 4;
    PTXWB_CHECK(checkCu(api.memsetD32(storage_.ptr(), kGuardWord, guardBytes_ / 4), "cuMemsetD32"));
    if (payloadWords > 0)
        PTXWB_CHECK(checkCu(api.memsetD32(ptr(), kPoisonWord, payloadWords), "cuMemsetD32"));
    return checkCu(api.memsetD32(ptr() + payloadWords * 4, kGuardWord, guardBytes_ / 4),
                   "cuMemsetD32");
}

Status GuardedBuffer::upload(std::span<const std::byte> bytes) const {
    if (bytes.size() > payloadBytes_)
        return makeError(ErrorKind::Internal, "upload larger than the guarded payload");
    return storage_.upload(bytes, guardBytes_);
}

Status GuardedBuffer::download(std::span<std::byte> bytes) const {
    if (bytes.size() > payloadBytes_)
        return makeError(ErrorKind::Internal, "download larger than the guarded payload");
    return storage_.download(bytes, guardBytes_);
}

Expected<std::vector<GuardViolation>> GuardedBuffer::checkGuards() const {
    std::vector<GuardViolation> out;
    std::size_t words = guardBytes_ / 4;
    std::vector<std::uint32_t> below(words), above(words);
    PTXWB_CHECK(storage_.download(asWritableBytes(below), 0));
    std::size_t payloadWords = (payloadBytes_ + 3) / 4;
    PTXWB_CHECK(storage_.download(asWritableBytes(above), guardBytes_ + payloadWords * 4));
    for (std::size_t i = 0; i < words; ++i) {
        // Below the payload, count words backwards from the payload start (word 0 = just before).
        std::uint32_t b = below[words - 1 - i];
        if (b != kGuardWord) out.push_back({true, i, b});
    }
    for (std::size_t i = 0; i < words; ++i)
        if (above[i] != kGuardWord) out.push_back({false, i, above[i]});
    return out;
}

} // namespace ptxwb::cuda
