# Issue 4 (PTX static analyzer): analysis of a ~40 MB module must cost at most its parse time.
ptxwb_bench(ptxwb_bench_analysis
  SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/bench_analysis.cpp"
  LIBS ptxwb_core_analysis ptxwb_core_ptx ptxwb_core_util)
target_compile_definitions(ptxwb_bench_analysis PRIVATE
  PTXWB_BENCH_ANALYSIS_CACHE="${CMAKE_CURRENT_BINARY_DIR}/analysis_cache")
