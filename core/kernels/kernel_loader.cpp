#include "kernels/kernel_loader.h"

#include "cuda/nvrtc_compiler.h"

#include <fmt/format.h>

namespace ptxwb::kernels {

const std::vector<std::string>& defaultCompileOptions() {
    static const std::vector<std::string> options = {"--std=c++17", "--fmad=false", "-lineinfo"};
    return options;
}

Expected<std::string> ptxForSource(const KernelSet& set, const std::string& source, int arch,
                                   bool useCache) {
    PTXWB_TRY(std::string text, set.file(source));
    if (source.size() > 4 && source.substr(source.size() - 4) == ".ptx") return text;
    cuda::CompileRequest req;
    req.source = std::move(text);
    req.name = source;
    req.options = defaultCompileOptions();
    req.arch = arch;
    for (const auto& h : set.manifest().headers) {
        PTXWB_TRY(std::string content, set.file(h));
        req.headers.emplace_back(h, std::move(content));
    }
    auto compiled = useCache ? cuda::compileToPtxCached(req) : cuda::compileToPtx(req);
    if (!compiled) return std::move(compiled).error();
    return std::move(compiled->ptx);
}

Expected<const LoadedKernel*> LoadedKernelSet::get(const std::string& kernelName) {
    if (auto it = kernels_.find(kernelName); it != kernels_.end()) return it->second.get();
    const KernelSpec* spec = set_.manifest().find(kernelName);
    if (spec == nullptr)
        return makeError(ErrorKind::Usage,
                         fmt::format("no kernel '{}' in kernel set {}", kernelName, set_.origin()));
    auto mod = modules_.find(spec->source);
    if (mod == modules_.end()) {
        PTXWB_TRY(std::string ptx, ptxForSource(set_, spec->source, arch_));
        PTXWB_TRY(cuda::Module m, cuda::Module::loadPtx(ptx, spec->source));
        ptx_[spec->source] = std::move(ptx);
        mod = modules_.emplace(spec->source, std::make_unique<cuda::Module>(std::move(m))).first;
    }
    auto loaded = std::make_unique<LoadedKernel>();
    loaded->spec = spec;
    PTXWB_TRY(loaded->function, mod->second->function(spec->entry));
    loaded->ptx = ptx_[spec->source];
    const LoadedKernel* out = loaded.get();
    kernels_[kernelName] = std::move(loaded);
    return out;
}

} // namespace ptxwb::kernels
