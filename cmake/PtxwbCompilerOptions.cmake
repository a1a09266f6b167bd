# Warning flags shared by every ptxwb target (attached through ptxwb_warnings).
add_library(ptxwb_warnings INTERFACE)
target_compile_options(ptxwb_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>
  # GCC 12 reports impossible std::string overlaps at -O2 (GCC bug 105329): noise, not findings.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(PTXWB_WERROR)
  target_compile_options(ptxwb_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT DEFINED CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()
