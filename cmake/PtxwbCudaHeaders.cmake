# ptxwb needs the CUDA toolkit at build time for its headers only (cuda.h, nvrtc.h): the
# driver and NVRTC are opened with dlopen at run time, so nothing links against them.
set(_ptxwb_cuda_hints "$ENV{CUDAToolkit_ROOT}" "${CUDAToolkit_ROOT}" "$ENV{CUDA_PATH}" /usr/local/cuda)
find_path(PTXWB_CUDA_INCLUDE_DIR NAMES cuda.h nvrtc.h HINTS ${_ptxwb_cuda_hints} PATH_SUFFIXES include
          DOC "Directory with cuda.h and nvrtc.h")
if(NOT PTXWB_CUDA_INCLUDE_DIR)
  message(FATAL_ERROR "cuda.h/nvrtc.h not found: install the CUDA toolkit in /usr/local/cuda "
                      "or pass -DCUDAToolkit_ROOT=DIR (only its headers are used at build time)")
endif()
add_library(ptxwb_cuda_headers INTERFACE)
target_include_directories(ptxwb_cuda_headers SYSTEM INTERFACE "${PTXWB_CUDA_INCLUDE_DIR}")
add_feature_info(CudaHeaders PTXWB_CUDA_INCLUDE_DIR "CUDA headers from ${PTXWB_CUDA_INCLUDE_DIR}")
