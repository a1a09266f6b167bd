# Benchmarks of issue 5: `model info` on a multi-GB file (header only), dequantisation
# throughput per core per format, and the reference forward of the `small` preset.
if(TARGET ptxwb_core_reference)
  ptxwb_bench(bench_gguf_info SOURCES bench_gguf_info.cpp
              LIBS ptxwb_core_reference ptxwb_core_gguf ptxwb_core_util)
  ptxwb_bench(bench_reference SOURCES bench_reference.cpp
              LIBS ptxwb_core_reference ptxwb_core_gguf ptxwb_core_util)
endif()
