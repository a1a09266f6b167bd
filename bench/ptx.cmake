# Benchmarks of the PTX front end (issue 3 targets: parse >= 200 MB/s and within 3x of a
# `wc -w` pass; check + stats of a 40 MB module < 0.5 s; AST <= 6x the file size). The modules
# are generated at benchmark time with NVRTC from template instantiations and cached in the
# build tree (large_module.ptx there is the 40 MB module, for timing `wc -w` on the same bytes).
ptxwb_bench(bench_ptx SOURCES bench_ptx.cpp bench_ptx_module.cpp
  LIBS ptxwb_core_ptx ptxwb_core_cuda ptxwb_core_util fmt::fmt)
target_compile_definitions(bench_ptx PRIVATE PTXWB_BENCH_CACHE_DIR="${CMAKE_CURRENT_BINARY_DIR}/ptx_bench_cache")
