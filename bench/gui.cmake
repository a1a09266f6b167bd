# Editor performance (issue 9): open a 14 MB PTX to first paint (< 1 s), and frame times for
# scrolling and typing on a 40 MB file (< 16 ms). Runs offscreen:
#   QT_QPA_PLATFORM=offscreen build/bench/ptxwb_gui_bench
if(PTXWB_BUILD_GUI AND TARGET ptxwb_views)
  ptxwb_bench(ptxwb_gui_bench SOURCES "${CMAKE_CURRENT_LIST_DIR}/gui/bench_editor.cpp" LIBS ptxwb_views)
  target_compile_definitions(ptxwb_gui_bench PRIVATE
    PTXWB_BENCH_FIXTURE="${PROJECT_SOURCE_DIR}/tests/views/data/rmsnorm_pair.ptx"
    QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER)
endif()
