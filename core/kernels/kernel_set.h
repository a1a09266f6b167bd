#pragma once
// A kernel set: its manifest plus the source files it names, from the built-in copy embedded in
// the binary or from a directory a user edits (`ptxwb kernels export DIR`, then --kernel-set DIR).

#include "kernels/manifest.h"
#include "util/expected.h"

#include <map>
#include <string>

namespace ptxwb::kernels {

class KernelSet {
public:
    /// The embedded built-in set.
    static Expected<KernelSet> builtin();
    /// DIR/kernelset.json and the files it names; a missing file is BadInput at its manifest entry.
    static Expected<KernelSet> loadDirectory(const std::string& dir);
    /// builtin() for an empty string, else loadDirectory(dir).
    static Expected<KernelSet> load(const std::string& dirOrEmpty);

    [[nodiscard]] const KernelSetManifest& manifest() const { return manifest_; }
    /// "builtin" or the directory it was loaded from.
    [[nodiscard]] const std::string& origin() const { return origin_; }
    /// Text of a file of the set (a source, a header or kernelset.json).
    Expected<std::string> file(const std::string& name) const;
    [[nodiscard]] const std::map<std::string, std::string>& files() const { return files_; }
    /// SHA-256 over every file name and content: identifies the exact set a run used.
    [[nodiscard]] std::string contentHash() const;
    /// Writes every file into `dir` (created if needed); existing files are overwritten.
    Status exportTo(const std::string& dir) const;

private:
    KernelSetManifest manifest_;
    std::string origin_;
    std::map<std::string, std::string> files_;
};

} // namespace ptxwb::kernels
