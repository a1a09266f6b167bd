#pragma once
// CUDA C++ -> PTX with NVRTC, and an on-disk PTX cache so repeated runs do not recompile. The
// cache key covers everything that changes the PTX: source text, options, NVRTC version and
// target architecture.

#include "util/expected.h"

#include <string>
#include <vector>

namespace ptxwb::cuda {

struct CompileRequest {
    std::string source;
    std::string name;                 ///< file name for diagnostics ("rmsnorm.cu")
    std::vector<std::string> options; ///< extra NVRTC options (the arch is added from `arch`)
    int arch = 90;                    ///< compute capability as 10*major+minor
    /// Headers the source may #include by name: (include name, contents).
    std::vector<std::pair<std::string, std::string>> headers;
};

struct CompiledPtx {
    std::string ptx;
    std::string log;
    bool fromCache = false;
    std::string cacheKey;
};

/// Compiles with NVRTC for compute_<arch>. A compile error is BadInput located at the first
/// "name(line): error" of the log, with the whole log as a note.
Expected<CompiledPtx> compileToPtx(const CompileRequest& request);

/// The cache key (hex SHA-256) of a request for the loaded NVRTC version.
Expected<std::string> ptxCacheKey(const CompileRequest& request);

/// compileToPtx through the cache in `cacheDir` (default: userCacheDir()/ptx). A cache that
/// cannot be written is not an error; the PTX is still returned.
Expected<CompiledPtx> compileToPtxCached(const CompileRequest& request, std::string cacheDir = {});

} // namespace ptxwb::cuda
