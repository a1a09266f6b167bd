# GPU benchmarks (run on a machine with a GPU; they report an error per benchmark without one).
if(TARGET ptxwb_core_parity)
  ptxwb_bench(bench_gpu SOURCES "${CMAKE_CURRENT_LIST_DIR}/bench_gpu_gemv.cpp" LIBS ptxwb_core_parity)
endif()
