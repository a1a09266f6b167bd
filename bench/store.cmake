# Run-history store benchmarks (issue 8 targets: insert a run of 1,000 checks < 100 ms; list and
# compare among 10,000 runs < 50 ms).
if(TARGET ptxwb_core_store)
  ptxwb_bench(bench_store SOURCES bench_store.cpp LIBS ptxwb_core_store fmt::fmt)
endif()
