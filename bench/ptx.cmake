# Benchmarks of the PTX front end (issue 3 targets: parse >= 200 MB/s and within 3x of a
# `wc -w` pass; check + stats of a 40 MB module < 0.5 s; AST <= 6x the file size). The large
# module is generated at benchmark time with nvcc from template instantiations.
ptxwb_bench(bench_ptx SOURCES bench_ptx.cpp LIBS ptxwb_core_ptx ptxwb_core_util)
target_compile_definitions(bench_ptx PRIVATE PTXWB_BENCH_CACHE_DIR="${CMAKE_CURRENT_BINARY_DIR}/ptx_bench_cache")
