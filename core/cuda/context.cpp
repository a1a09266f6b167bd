#include "cuda/context.h"

#include "cuda/cuda_error.h"

#include <cassert>

namespace ptxwb::cuda {

const DriverApi& driver() {
    auto api = loadDriver();
    assert(api.hasValue() && "driver() used before the driver was loaded");
    return **api;
}

Expected<std::unique_ptr<Context>> Context::create(int ordinal) {
    PTXWB_TRY(const DriverApi* api, loadDriver());
    int count = 0;
    PTXWB_CHECK(checkCu(api->deviceGetCount(&count), "cuDeviceGetCount"));
    if (ordinal < 0 || ordinal >= count) {
        return makeError(ErrorKind::Environment,
                         count == 0 ? std::string("no GPU: the CUDA driver reports no device")
                                    : "no GPU with ordinal " + std::to_string(ordinal) + " (" +
                                          std::to_string(count) + " present)");
    }
    PTXWB_TRY(DeviceInfo info, queryDevice(ordinal));
    CUdevice dev = 0;
    PTXWB_CHECK(checkCu(api->deviceGet(&dev, ordinal), "cuDeviceGet"));
    CUcontext ctx = nullptr;
    PTXWB_CHECK(checkCu(api->primaryCtxRetain(&ctx, dev), "cuDevicePrimaryCtxRetain"));
    if (auto st = checkCu(api->ctxSetCurrent(ctx), "cuCtxSetCurrent"); !st) {
        api->primaryCtxRelease(dev);
        return st.error();
    }
    return std::unique_ptr<Context>(new Context(api, dev, ctx, std::move(info)));
}

Context::~Context() {
    api_->ctxSynchronize();
    api_->ctxSetCurrent(nullptr);
    api_->primaryCtxRelease(device_handle_);
}

Status Context::synchronize(const std::string& kernel) const {
    return checkCu(api_->ctxSynchronize(), "cuCtxSynchronize", kernel);
}

Expected<std::pair<std::size_t, std::size_t>> Context::memoryInfo() const {
    size_t free = 0, total = 0;
    PTXWB_CHECK(checkCu(api_->memGetInfo(&free, &total), "cuMemGetInfo"));
    return std::pair<std::size_t, std::size_t>{free, total};
}

Expected<Stream> Stream::create() {
    CUstream s = nullptr;
    PTXWB_CHECK(checkCu(driver().streamCreate(&s, CU_STREAM_NON_BLOCKING), "cuStreamCreate"));
    return Stream(s);
}

Stream& Stream::operator=(Stream&& o) noexcept {
    if (this != &o) {
        if (stream_ != nullptr) driver().streamDestroy(stream_);
        stream_ = std::exchange(o.stream_, nullptr);
    }
    return *this;
}

Stream::~Stream() {
    if (stream_ != nullptr) driver().streamDestroy(stream_);
}

Status Stream::synchronize(const std::string& kernel) const {
    return checkCu(driver().streamSynchronize(stream_), "cuStreamSynchronize", kernel);
}

Expected<Event> Event::create() {
    CUevent e = nullptr;
    PTXWB_CHECK(checkCu(driver().eventCreate(&e, CU_EVENT_DEFAULT), "cuEventCreate"));
    return Event(e);
}

Event& Event::operator=(Event&& o) noexcept {
    if (this != &o) {
        if (event_ != nullptr) driver().eventDestroy(event_);
        event_ = std::exchange(o.event_, nullptr);
    }
    return *this;
}

Event::~Event() {
    if (event_ != nullptr) driver().eventDestroy(event_);
}

Status Event::record(CUstream stream) const {
    return checkCu(driver().eventRecord(event_, stream), "cuEventRecord");
}

Status Event::synchronize() const {
    return checkCu(driver().eventSynchronize(event_), "cuEventSynchronize");
}

Expected<float> Event::elapsedMs(const Event& start, const Event& end) {
    float ms = 0;
    PTXWB_CHECK(
        checkCu(driver().eventElapsedTime(&ms, start.event_, end.event_), "cuEventElapsedTime"));
    return ms;
}

} // namespace ptxwb::cuda
