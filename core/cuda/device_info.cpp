#include "cuda/device_info.h"

#include "cuda/api.h"
#include "cuda/cuda_error.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fstream>

namespace ptxwb::cuda {

std::string DeviceInfo::smArch() const {
    return fmt::format("sm_{}{}", smMajor, smMinor);
}

std::string formatCudaVersion(int version) {
    return fmt::format("{}.{}", version / 1000, (version % 1000) / 10);
}

std::string parseDriverRelease(std::string_view text) {
    // Proprietary: "... Kernel Module  580.159.04  Thu ...";
    // open modules: "... Open Kernel Module for x86_64  580.159.04  Release Build ...".
    // The release is the first word after "Kernel Module" made of digits and dots.
    constexpr std::string_view marker = "Kernel Module";
    const auto at = text.find(marker);
    if (at == std::string_view::npos) return {};
    std::size_t i = at + marker.size();
    const std::size_t lineEnd = std::min(text.find('\n', i), text.size());
    while (i < lineEnd) {
        while (i < lineEnd && (text[i] == ' ' || text[i] == '\t'))
            ++i;
        std::size_t end = i;
        while (end < lineEnd && text[end] != ' ' && text[end] != '\t')
            ++end;
        const std::string_view word = text.substr(i, end - i);
        const bool release =
            word.find('.') != std::string_view::npos &&
            std::all_of(word.begin(), word.end(), [](char c) {
                return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
            });
        if (release) return std::string(word);
        i = end;
    }
    return {};
}

std::string formatGpuUuid(const unsigned char (&b)[16]) {
    std::string hex;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
        hex += fmt::format("{:02x}", b[i]);
    }
    return "GPU-" + hex;
}

namespace {
std::string readDriverRelease() {
    std::ifstream in("/proc/driver/nvidia/version");
    if (!in) return {};
    std::string line;
    std::getline(in, line);
    return parseDriverRelease(line);
}
} // namespace

Expected<DeviceInfo> queryDevice(int ordinal) {
    PTXWB_TRY(const DriverApi* api, loadDriver());
    CUdevice device = 0;
    PTXWB_CHECK(checkCu(api->deviceGet(&device, ordinal), "cuDeviceGet"));
    DeviceInfo info;
    info.ordinal = ordinal;
    char name[256] = {};
    PTXWB_CHECK(checkCu(api->deviceGetName(name, sizeof name, device), "cuDeviceGetName"));
    info.name = name;
    CUuuid uuid{};
    if (api->deviceGetUuid(&uuid, device) == CUDA_SUCCESS) {
        unsigned char bytes[16];
        for (int i = 0; i < 16; ++i)
            bytes[i] = static_cast<unsigned char>(uuid.bytes[i]);
        info.uuid = formatGpuUuid(bytes);
    }
    size_t total = 0;
    PTXWB_CHECK(checkCu(api->deviceTotalMem(&total, device), "cuDeviceTotalMem"));
    info.totalMemoryBytes = total;
    struct Attr {
        CUdevice_attribute attribute;
        int* out;
    } attrs[] = {
        {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, &info.smMajor},
        {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, &info.smMinor},
        {CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, &info.multiprocessors},
        {CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, &info.l2CacheBytes},
        {CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, &info.memoryClockKhz},
        {CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, &info.memoryBusWidthBits},
        {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, &info.maxSharedPerBlockOptin},
    };
    for (auto& a : attrs)
        PTXWB_CHECK(
            checkCu(api->deviceGetAttribute(a.out, a.attribute, device), "cuDeviceGetAttribute"));
    return info;
}

Expected<NvrtcInfo> queryNvrtc() {
    PTXWB_TRY(const NvrtcApi* api, loadNvrtc());
    NvrtcInfo info;
    info.libraryPath = api->libraryPath;
    if (api->version(&info.major, &info.minor) != NVRTC_SUCCESS)
        return makeError(ErrorKind::Environment, "nvrtcVersion failed");
    int count = 0;
    if (api->getNumSupportedArchs(&count) != NVRTC_SUCCESS || count < 0)
        return makeError(ErrorKind::Environment, "nvrtcGetNumSupportedArchs failed");
    info.supportedArchs.resize(static_cast<size_t>(count));
    if (count > 0 && api->getSupportedArchs(info.supportedArchs.data()) != NVRTC_SUCCESS)
        return makeError(ErrorKind::Environment, "nvrtcGetSupportedArchs failed");
    return info;
}

GpuEnvironment queryGpuEnvironment() {
    GpuEnvironment env;
    if (auto nvrtc = queryNvrtc())
        env.nvrtc = std::move(nvrtc).value();
    else
        env.nvrtcError = std::move(nvrtc).error();
    auto api = loadDriver();
    if (!api) {
        env.driverError = api.error();
        return env;
    }
    int version = 0;
    if ((*api)->driverGetVersion(&version) == CUDA_SUCCESS) env.driverVersion = version;
    env.driverRelease = readDriverRelease();
    int count = 0;
    if (auto st = checkCu((*api)->deviceGetCount(&count), "cuDeviceGetCount"); !st) {
        env.driverError = st.error();
        return env;
    }
    for (int i = 0; i < count; ++i) {
        auto dev = queryDevice(i);
        if (!dev) {
            env.driverError = dev.error();
            break;
        }
        env.devices.push_back(std::move(dev).value());
    }
    if (count == 0 && !env.driverError)
        env.driverError = Error(ErrorKind::Environment, "the CUDA driver reports no GPU");
    return env;
}

nlohmann::json toJson(const GpuEnvironment& env) {
    nlohmann::json j;
    j["driver"] = nlohmann::json::object();
    if (env.driverVersion) {
        j["driver"]["version"] = *env.driverVersion;
        j["driver"]["cuda"] = formatCudaVersion(*env.driverVersion);
    }
    if (!env.driverRelease.empty()) j["driver"]["release"] = env.driverRelease;
    if (env.driverError) j["driver"]["error"] = env.driverError->message;
    j["devices"] = nlohmann::json::array();
    for (const auto& d : env.devices) {
        j["devices"].push_back({{"ordinal", d.ordinal},
                                {"name", d.name},
                                {"uuid", d.uuid},
                                {"arch", d.smArch()},
                                {"memory_bytes", d.totalMemoryBytes},
                                {"multiprocessors", d.multiprocessors},
                                {"l2_bytes", d.l2CacheBytes},
                                {"memory_clock_khz", d.memoryClockKhz},
                                {"memory_bus_bits", d.memoryBusWidthBits}});
    }
    j["nvrtc"] = nlohmann::json::object();
    if (env.nvrtc) {
        j["nvrtc"]["version"] = fmt::format("{}.{}", env.nvrtc->major, env.nvrtc->minor);
        j["nvrtc"]["library"] = env.nvrtc->libraryPath;
        nlohmann::json archs = nlohmann::json::array();
        for (int a : env.nvrtc->supportedArchs)
            archs.push_back(fmt::format("sm_{}", a));
        j["nvrtc"]["archs"] = archs;
    }
    if (env.nvrtcError) j["nvrtc"]["error"] = env.nvrtcError->message;
    return j;
}

std::string formatText(const GpuEnvironment& env) {
    std::string out;
    if (env.driverVersion)
        out += fmt::format("driver: {}CUDA {} ({})\n",
                           env.driverRelease.empty() ? "" : env.driverRelease + ", ",
                           formatCudaVersion(*env.driverVersion), *env.driverVersion);
    else
        out += "driver: not available\n";
    for (const auto& d : env.devices) {
        out += fmt::format("device {}: {}, {}, {:.1f} GiB, {} SMs, L2 {} MiB, {}-bit bus{}\n",
                           d.ordinal, d.name, d.smArch(),
                           static_cast<double>(d.totalMemoryBytes) / (1024.0 * 1024 * 1024),
                           d.multiprocessors, d.l2CacheBytes / (1024 * 1024), d.memoryBusWidthBits,
                           d.uuid.empty() ? "" : ", " + d.uuid);
    }
    if (env.nvrtc) {
        std::string archs;
        for (int a : env.nvrtc->supportedArchs)
            archs += fmt::format("{}sm_{}", archs.empty() ? "" : " ", a);
        out += fmt::format("nvrtc: {}.{} ({})\nnvrtc archs: {}\n", env.nvrtc->major,
                           env.nvrtc->minor, env.nvrtc->libraryPath, archs);
    } else if (env.nvrtcError) {
        out += fmt::format("nvrtc: not available ({})\n", env.nvrtcError->message);
    }
    return out;
}

} // namespace ptxwb::cuda
