# Run history views (Workbench GUI part 2): the trend chart of a check over 10,000 runs
# (setTrend + first frame < 200 ms) and filtering 10,000 runs. Runs offscreen:
#   QT_QPA_PLATFORM=offscreen build/bench/ptxwb_history_bench
if(PTXWB_BUILD_GUI AND TARGET ptxwb_views)
  ptxwb_bench(ptxwb_history_bench SOURCES "${CMAKE_CURRENT_LIST_DIR}/gui/bench_history.cpp"
    LIBS ptxwb_views fmt::fmt)
  target_compile_definitions(ptxwb_history_bench PRIVATE QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER)
endif()
