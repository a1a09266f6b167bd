#pragma once
// Compiling the corpus with NVRTC (the in-process compiler ptxwb uses at run time; it needs no
// GPU or driver). NVRTC has no host C++ library, so the few host headers the corpus includes are
// supplied as small shims (see nvrtc_corpus.cpp), and the toolkit's include directories are
// passed for cuda_fp16.h, mma.h, cooperative_groups.h and the CCCL headers they pull in.

#include <string>

namespace ptxwb::ptx::test {

/// The output of one NVRTC compile of a corpus file.
struct NvrtcOutput {
    std::string ptx;
    std::string error; ///< the compile error with NVRTC's log ("" on success)
};

/// Why NVRTC cannot be used here ("" when it can): the loader error of libnvrtc.
std::string nvrtcUnavailableReason();

/// Compiles `sourcePath` for compute_<arch> with the extra option `flag` ("", "-G",
/// "-lineinfo").
NvrtcOutput compileWithNvrtc(const std::string& sourcePath, int arch, const std::string& flag);

/// A key that changes whenever the PTX of compileWithNvrtc could change (source, options,
/// shims and the NVRTC version), for caching outputs between test processes.
std::string nvrtcCacheKey(const std::string& sourcePath, int arch, const std::string& flag);

} // namespace ptxwb::ptx::test
