#include "cuda/nvrtc_compiler.h"

#include "cuda/api.h"
#include "util/mapped_file.h"
#include "util/paths.h"
#include "util/sha256.h"

#include <filesystem>
#include <fmt/format.h>
#include <regex>

namespace ptxwb::cuda {

namespace {

std::optional<ErrorLocation> firstErrorLocation(const std::string& log, const std::string& name) {
    // NVRTC writes "rmsnorm.cu(12): error: identifier "x" is undefined".
    static const std::regex re(R"(\((\d+)\): (?:catastrophic )?error)");
    std::smatch m;
    if (std::regex_search(log, m, re))
        return ErrorLocation::text(name, static_cast<std::uint32_t>(std::stoul(m[1].str())), 1);
    return std::nullopt;
}

std::string firstErrorMessage(const std::string& log) {
    auto pos = log.find("error: ");
    if (pos == std::string::npos) return "compilation failed";
    auto end = log.find('\n', pos);
    return log.substr(pos + 7, end == std::string::npos ? std::string::npos : end - pos - 7);
}

} // namespace

Expected<CompiledPtx> compileToPtx(const CompileRequest& request) {
    PTXWB_TRY(const NvrtcApi* api, loadNvrtc());
    nvrtcProgram prog = nullptr;
    std::vector<const char*> headerTexts, headerNames;
    for (const auto& [name, text] : request.headers) {
        headerNames.push_back(name.c_str());
        headerTexts.push_back(text.c_str());
    }
    nvrtcResult rc = api->createProgram(&prog, request.source.c_str(), request.name.c_str(),
                                        static_cast<int>(headerTexts.size()), headerTexts.data(),
                                        headerNames.data());
    if (rc != NVRTC_SUCCESS)
        return makeError(ErrorKind::Internal,
                         fmt::format("nvrtcCreateProgram failed: {}", api->getErrorString(rc)));
    std::vector<std::string> options = request.options;
    options.push_back(fmt::format("--gpu-architecture=compute_{}", request.arch));
    std::vector<const char*> argv;
    for (const auto& o : options)
        argv.push_back(o.c_str());
    rc = api->compileProgram(prog, static_cast<int>(argv.size()), argv.data());
    CompiledPtx out;
    size_t logSize = 0;
    if (api->getProgramLogSize(prog, &logSize) == NVRTC_SUCCESS && logSize > 1) {
        out.log.resize(logSize);
        api->getProgramLog(prog, out.log.data());
        while (!out.log.empty() && (out.log.back() == '\0' || out.log.back() == '\n'))
            out.log.pop_back();
    }
    if (rc != NVRTC_SUCCESS) {
        api->destroyProgram(&prog);
        Error e(ErrorKind::BadInput, firstErrorMessage(out.log));
        e.location =
            firstErrorLocation(out.log, request.name).value_or(ErrorLocation::file(request.name));
        e.withNote(fmt::format("NVRTC ({}) for compute_{}: {}", api->getErrorString(rc),
                               request.arch, out.log));
        return e;
    }
    size_t ptxSize = 0;
    api->getPTXSize(prog, &ptxSize);
    out.ptx.resize(ptxSize);
    api->getPTX(prog, out.ptx.data());
    while (!out.ptx.empty() && out.ptx.back() == '\0')
        out.ptx.pop_back();
    api->destroyProgram(&prog);
    return out;
}

Expected<std::string> ptxCacheKey(const CompileRequest& request) {
    PTXWB_TRY(const NvrtcApi* api, loadNvrtc());
    int major = 0, minor = 0;
    api->version(&major, &minor);
    Sha256 h;
    h.update(request.source);
    h.update(std::string_view("\0", 1));
    for (const auto& o : request.options) {
        h.update(o);
        h.update(std::string_view("\0", 1));
    }
    for (const auto& [name, text] : request.headers) {
        h.update(name);
        h.update(std::string_view("\0", 1));
        h.update(text);
        h.update(std::string_view("\0", 1));
    }
    h.update(fmt::format("nvrtc {}.{} compute_{}", major, minor, request.arch));
    return h.finishHex();
}

Expected<CompiledPtx> compileToPtxCached(const CompileRequest& request, std::string cacheDir) {
    if (cacheDir.empty()) cacheDir = userCacheDir() + "/ptx";
    PTXWB_TRY(std::string key, ptxCacheKey(request));
    std::string path = cacheDir + "/" + key + ".ptx";
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        if (auto text = readFileText(path); text && !text->empty()) {
            CompiledPtx hit;
            hit.ptx = std::move(text).value();
            hit.fromCache = true;
            hit.cacheKey = key;
            return hit;
        }
    }
    PTXWB_TRY(CompiledPtx out, compileToPtx(request));
    out.cacheKey = key;
    if (makeDirectories(cacheDir)) (void)writeFileAtomic(path, out.ptx);
    return out;
}

} // namespace ptxwb::cuda
