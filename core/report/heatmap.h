#pragma once
// Heatmap PNGs of mismatch maps: one pixel block per (max-pooled) element, coloured by category,
// mismatches shaded by ULP distance, with a title, axis extents, a legend of the six categories
// and the ULP colour scale drawn into the image itself.

#include "report/rgb_image.h"
#include "store/mismatch_map.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ptxwb::reports {

struct HeatmapOptions {
    std::string title;      ///< usually the check name; truncated to fit
    int maxPlotWidth = 768; ///< pixels; wider maps are max-pooled by powers of two
    int maxPlotHeight = 384;
    int maxCellPixels = 16; ///< small maps are magnified up to this many pixels per element
};

/// How a map was fitted into the plot: elements per pixel block and pixels per block.
struct HeatmapLayout {
    std::uint32_t rowFactor = 1; ///< map rows per plotted row (max-pooled)
    std::uint32_t colFactor = 1;
    int cellWidth = 1; ///< pixels per plotted element
    int cellHeight = 1;
    int plotX = 0; ///< top-left of the plot in the image
    int plotY = 0;
    int plotWidth = 0;
    int plotHeight = 0;
};

/// 0xRRGGBB of a category; for Mismatch the colour of its ULP distance (ulpColour).
[[nodiscard]] std::uint32_t categoryColour(store::ElementCategory category, std::uint32_t ulp);
/// The ULP scale: log2 from 1 ULP (light yellow) to 2^32 (dark maroon).
[[nodiscard]] std::uint32_t ulpColour(std::uint32_t ulp);
/// Chooses pooling factors and magnification for a rows x cols map.
[[nodiscard]] HeatmapLayout layoutHeatmap(std::uint32_t rows, std::uint32_t cols,
                                          const HeatmapOptions& options);

/// Draws the heatmap image (the layout used is returned through `layout` when given).
[[nodiscard]] RgbImage renderHeatmap(const store::MismatchMap& map, const HeatmapOptions& options,
                                     HeatmapLayout* layout = nullptr);
/// renderHeatmap() encoded as PNG.
Expected<std::vector<std::uint8_t>> renderHeatmapPng(const store::MismatchMap& map,
                                                     const HeatmapOptions& options);

} // namespace ptxwb::reports
