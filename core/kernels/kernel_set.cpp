#include "kernels/kernel_set.h"

#include "kernels/builtin_files.h"
#include "kernels/json_locator.h"
#include "util/mapped_file.h"
#include "util/paths.h"
#include "util/sha256.h"

#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::kernels {

namespace {
constexpr const char* kManifestName = "kernelset.json";

// Every file the manifest names must be present: sources and headers.
Status checkFilesPresent(const KernelSetManifest& m,
                         const std::map<std::string, std::string>& files,
                         const std::string& manifestText, const std::string& manifestPath) {
    JsonLocator loc(manifestText, manifestPath);
    for (std::size_t i = 0; i < m.headers.size(); ++i)
        if (!files.count(m.headers[i]))
            return makeError(ErrorKind::BadInput,
                             fmt::format("header '{}' not found in the kernel set", m.headers[i]),
                             loc.locate("/headers/" + std::to_string(i)));
    for (std::size_t i = 0; i < m.kernels.size(); ++i) {
        const auto& src = m.kernels[i].source;
        if (!files.count(src))
            return makeError(ErrorKind::BadInput,
                             fmt::format("source '{}' not found in the kernel set", src),
                             loc.locate("/kernels/" + std::to_string(i) + "/source"));
        bool ptx = src.size() > 4 && src.substr(src.size() - 4) == ".ptx";
        bool cu = src.size() > 3 && src.substr(src.size() - 3) == ".cu";
        if (!ptx && !cu)
            return makeError(ErrorKind::BadInput,
                             fmt::format("source '{}' must be a .cu or a .ptx file", src),
                             loc.locate("/kernels/" + std::to_string(i) + "/source"));
    }
    return {};
}
} // namespace

Expected<KernelSet> KernelSet::builtin() {
    KernelSet set;
    set.origin_ = "builtin";
    for (const auto& f : builtinKernelFiles())
        set.files_[std::string(f.name)] = std::string(f.content);
    auto it = set.files_.find(kManifestName);
    if (it == set.files_.end())
        return makeError(ErrorKind::Internal, "the built-in kernel set has no kernelset.json");
    std::string path = std::string("builtin:") + kManifestName;
    PTXWB_TRY(set.manifest_, parseManifest(it->second, path));
    PTXWB_CHECK(checkFilesPresent(set.manifest_, set.files_, it->second, path));
    return set;
}

Expected<KernelSet> KernelSet::loadDirectory(const std::string& dir) {
    KernelSet set;
    set.origin_ = dir;
    std::string manifestPath = dir + "/" + kManifestName;
    auto text = readFileText(manifestPath);
    if (!text)
        return makeError(ErrorKind::BadInput, "cannot read the kernel set manifest",
                         ErrorLocation::file(manifestPath));
    PTXWB_TRY(set.manifest_, parseManifest(*text, manifestPath));
    set.files_[kManifestName] = *text;
    auto addFile = [&](const std::string& name) -> Status {
        if (set.files_.count(name)) return {};
        auto content = readFileText(dir + "/" + name);
        if (content) set.files_[name] = std::move(content).value();
        return {};
    };
    for (const auto& h : set.manifest_.headers)
        PTXWB_CHECK(addFile(h));
    for (const auto& k : set.manifest_.kernels)
        PTXWB_CHECK(addFile(k.source));
    PTXWB_CHECK(checkFilesPresent(set.manifest_, set.files_, *text, manifestPath));
    return set;
}

Expected<KernelSet> KernelSet::load(const std::string& dirOrEmpty) {
    return dirOrEmpty.empty() ? builtin() : loadDirectory(dirOrEmpty);
}

Expected<std::string> KernelSet::file(const std::string& name) const {
    auto it = files_.find(name);
    if (it == files_.end())
        return makeError(ErrorKind::BadInput,
                         fmt::format("no file '{}' in kernel set {}", name, origin_));
    return it->second;
}

std::string KernelSet::contentHash() const {
    Sha256 h;
    for (const auto& [name, content] : files_) {
        h.update(name);
        h.update(std::string_view("\0", 1));
        h.update(content);
        h.update(std::string_view("\0", 1));
    }
    return h.finishHex();
}

Status KernelSet::exportTo(const std::string& dir) const {
    PTXWB_CHECK(makeDirectories(dir));
    for (const auto& [name, content] : files_)
        PTXWB_CHECK(writeFileAtomic(dir + "/" + name, content));
    return {};
}

} // namespace ptxwb::kernels
