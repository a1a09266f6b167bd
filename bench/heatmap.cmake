# Heatmap performance (issue 10): first paint of a 4096 x 14336 parity map and of a 50M-element
# probe map (< 200 ms), repaint at several zooms (< 16 ms). Runs offscreen:
#   QT_QPA_PLATFORM=offscreen build/bench/ptxwb_heatmap_bench
if(PTXWB_BUILD_GUI AND TARGET ptxwb_views)
  ptxwb_bench(ptxwb_heatmap_bench SOURCES "${CMAKE_CURRENT_LIST_DIR}/gui/bench_heatmap.cpp"
    LIBS ptxwb_views)
  target_compile_definitions(ptxwb_heatmap_bench PRIVATE QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER)
endif()
