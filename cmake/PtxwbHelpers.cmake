# ptxwb_core_library(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Declares the static library ptxwb_core_NAME. Headers are included as "NAME/file.h" through the
# core/ directory, so every module's public header names its module.
function(ptxwb_core_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(ptxwb_core_${name} STATIC ${ARG_SOURCES})
  target_include_directories(ptxwb_core_${name} PUBLIC "${PROJECT_SOURCE_DIR}/core")
  target_link_libraries(ptxwb_core_${name} PUBLIC ${ARG_DEPS} PRIVATE ptxwb_warnings ${ARG_PRIVATE_DEPS})
  set_target_properties(ptxwb_core_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# ptxwb_test(NAME SOURCES ... LIBS ... [LABELS ...])
# One GoogleTest executable; each test case becomes a ctest test carrying LABELS (e.g. gpu).
function(ptxwb_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main ptxwb_warnings)
  # Paths as expressions that an environment variable of the same name can override.
  target_compile_options(${name} PRIVATE -include "${PROJECT_SOURCE_DIR}/tests/support/test_paths.h")
  target_compile_definitions(${name} PRIVATE
    "PTXWB_TEST_DATA_DIR=ptxwbTestPath(\"PTXWB_TEST_DATA_DIR\", \"${PTXWB_TEST_DATA_DIR}\")"
    "PTXWB_RESOURCES_DIR=ptxwbTestPath(\"PTXWB_RESOURCES_DIR\", \"${PTXWB_RESOURCES_DIR}\")"
    "PTXWB_CLI_PATH=ptxwbTestPath(\"PTXWB_CLI_PATH\", \"$<TARGET_FILE:ptxwb>\")")
  if(TARGET ptxwb)
    add_dependencies(${name} ptxwb)
  endif()
  set(labels ${ARG_LABELS})
  if(NOT labels)
    set(labels cpu)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS "${labels}"
                       DISCOVERY_TIMEOUT 60)
endfunction()
