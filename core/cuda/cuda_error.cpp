#include "cuda/cuda_error.h"

#include "cuda/api.h"

#include <fmt/format.h>
#include <sstream>

namespace ptxwb::cuda {

namespace {
// The note that carries the failure through Error values (and across the worker protocol).
constexpr const char* kNotePrefix = "cuda-failure: ";
} // namespace

bool isStickyError(CUresult result) {
    switch (result) {
    case CUDA_ERROR_ILLEGAL_ADDRESS:
    case CUDA_ERROR_MISALIGNED_ADDRESS:
    case CUDA_ERROR_LAUNCH_FAILED:
    case CUDA_ERROR_ILLEGAL_INSTRUCTION:
    case CUDA_ERROR_INVALID_ADDRESS_SPACE:
    case CUDA_ERROR_INVALID_PC:
    case CUDA_ERROR_HARDWARE_STACK_ERROR:
    case CUDA_ERROR_ASSERT:
    case CUDA_ERROR_LAUNCH_TIMEOUT:
    case CUDA_ERROR_ECC_UNCORRECTABLE:
    case CUDA_ERROR_CONTEXT_IS_DESTROYED:
    case CUDA_ERROR_UNKNOWN:
        return true;
    default:
        return false;
    }
}

Error toError(const CudaFailure& failure) {
    std::string message =
        fmt::format("{} failed: {} ({})", failure.call, failure.name, failure.text);
    if (!failure.kernel.empty()) message += fmt::format(" in kernel {}", failure.kernel);
    Error error(ErrorKind::GpuFault, message);
    error.withNote(fmt::format("{}{} {} {} {} {}", kNotePrefix, failure.call, failure.name,
                               failure.code, failure.sticky ? "sticky" : "recoverable",
                               failure.kernel.empty() ? "-" : failure.kernel));
    if (failure.sticky)
        error.withNote(
            "this error is sticky: the CUDA context is unusable and the worker restarts");
    return error;
}

std::optional<CudaFailure> cudaFailureOf(const Error& error) {
    for (const auto& note : error.notes) {
        if (note.rfind(kNotePrefix, 0) != 0) continue;
        std::istringstream in(note.substr(std::string(kNotePrefix).size()));
        CudaFailure failure;
        std::string stickiness;
        if (!(in >> failure.call >> failure.name >> failure.code >> stickiness >> failure.kernel))
            return std::nullopt;
        failure.sticky = stickiness == "sticky";
        if (failure.kernel == "-") failure.kernel.clear();
        auto open = error.message.find(" (");
        auto close = error.message.rfind(')');
        if (open != std::string::npos && close != std::string::npos && close > open)
            failure.text = error.message.substr(open + 2, close - open - 2);
        return failure;
    }
    return std::nullopt;
}

Error driverError(CUresult result, const char* call, const std::string& kernel) {
    CudaFailure failure;
    failure.call = call;
    failure.code = static_cast<int>(result);
    failure.sticky = isStickyError(result);
    failure.kernel = kernel;
    failure.name = fmt::format("CUDA_ERROR_{}", failure.code);
    failure.text = "unknown error";
    if (auto api = loadDriver()) {
        const char* name = nullptr;
        const char* text = nullptr;
        if ((*api)->getErrorName(result, &name) == CUDA_SUCCESS && name != nullptr)
            failure.name = name;
        if ((*api)->getErrorString(result, &text) == CUDA_SUCCESS && text != nullptr)
            failure.text = text;
    }
    return toError(failure);
}

} // namespace ptxwb::cuda
