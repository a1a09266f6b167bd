#pragma once
// The PTX the front-end benchmarks read: a module NVRTC compiles from templates instantiated
// many times (as real inference kernels are), and a ~40 MB module made from copies of it.

#include <string>

namespace ptxwb::bench {

/// One PTX module as the benchmarks see it: its text, or why there is none.
struct BenchModule {
    std::string text;
    std::string unavailable; ///< non-empty when the module could not be made (no NVRTC, ...)
};

/// The PTX NVRTC makes for sm_80 from the benchmark's templates (a few MB, cached on disk in
/// $PTXWB_BENCH_CACHE_DIR or the build tree).
const BenchModule& nvrtcTemplateModule();

/// The template module's functions repeated with renamed symbols until the text reaches
/// 40 MiB; still valid PTX. Also written next to the cache as large_module.ptx so that
/// `wc -w` and `ptxwb ptx check` can be timed on the same bytes.
const BenchModule& largeModule();

} // namespace ptxwb::bench
