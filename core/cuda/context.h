#pragma once
// RAII over a device's primary context, streams and timing events. One Context per process is
// the norm (the worker owns it); everything else is created while it is current.

#include "cuda/api.h"
#include "cuda/device_info.h"
#include "util/expected.h"

#include <memory>

namespace ptxwb::cuda {

/// The primary context of one device, retained on creation and released on destruction.
class Context {
public:
    /// Loads the driver, retains device `ordinal`'s primary context and makes it current.
    static Expected<std::unique_ptr<Context>> create(int ordinal = 0);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    [[nodiscard]] const DeviceInfo& device() const { return device_; }
    [[nodiscard]] const DriverApi& api() const { return *api_; }
    /// Waits for all work; a failed kernel surfaces here with its (often sticky) error.
    Status synchronize(const std::string& kernel = {}) const;
    /// Free and total device memory.
    Expected<std::pair<std::size_t, std::size_t>> memoryInfo() const;

private:
    Context(const DriverApi* api, CUdevice dev, CUcontext ctx, DeviceInfo info)
        : api_(api), device_handle_(dev), ctx_(ctx), device_(std::move(info)) {}
    const DriverApi* api_;
    CUdevice device_handle_;
    CUcontext ctx_;
    DeviceInfo device_;
};

/// A non-blocking stream (graph capture needs one that is not the legacy default stream).
class Stream {
public:
    static Expected<Stream> create();
    Stream() = default;
    Stream(Stream&& o) noexcept : stream_(std::exchange(o.stream_, nullptr)) {}
    Stream& operator=(Stream&& o) noexcept;
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    ~Stream();
    [[nodiscard]] CUstream handle() const { return stream_; }
    Status synchronize(const std::string& kernel = {}) const;

private:
    explicit Stream(CUstream s) : stream_(s) {}
    CUstream stream_ = nullptr;
};

/// A timing event.
class Event {
public:
    static Expected<Event> create();
    Event() = default;
    Event(Event&& o) noexcept : event_(std::exchange(o.event_, nullptr)) {}
    Event& operator=(Event&& o) noexcept;
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    ~Event();
    Status record(CUstream stream) const;
    Status synchronize() const;
    /// Milliseconds between two recorded events (both must have completed).
    static Expected<float> elapsedMs(const Event& start, const Event& end);

private:
    explicit Event(CUevent e) : event_(e) {}
    CUevent event_ = nullptr;
};

/// The driver table; only valid after a Context was created (or loadDriver() succeeded).
const DriverApi& driver();

} // namespace ptxwb::cuda
