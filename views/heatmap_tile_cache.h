#pragma once
// Rendered tiles of heatmap levels. The view paints only the tiles under the visible region and
// keeps them between paints, so a repaint (pan, hover, resize) costs a few scaled blits and
// never a pass over the map.

#include "heatmap_levels.h"

#include <QCache>
#include <QImage>
#include <QRgb>

namespace ptxwb::views {

/// The colour of a pooled cell: its worst visible category (Mismatch shaded by ULP distance on
/// the report module's scale); `hiddenColour` when no category in it is visible.
[[nodiscard]] QRgb heatmapCellColour(CategoryMask mask, std::uint32_t ulp, CategoryMask visible);
/// The colour of cells whose categories are all hidden.
[[nodiscard]] QRgb heatmapHiddenColour();
/// The colour of a category (Mismatch: at `ulp`), as the report PNGs draw it.
[[nodiscard]] QRgb heatmapCategoryColour(store::ElementCategory category, std::uint32_t ulp = 1);

class HeatmapTileCache {
public:
    /// Cells per tile side.
    static constexpr std::uint32_t kTileCells = 256;

    explicit HeatmapTileCache(HeatmapLevels& levels);

    /// Changing the visible categories drops every tile.
    void setVisibleCategories(CategoryMask visible);
    [[nodiscard]] CategoryMask visibleCategories() const { return visible_; }

    /// Tile (tileRow, tileCol) of level (rowShift, colShift), one pixel per cell; edge tiles are
    /// smaller. The pointer stays valid until the next call.
    const QImage* tile(std::uint32_t rowShift, std::uint32_t colShift, std::uint32_t tileRow,
                       std::uint32_t tileCol);

    /// Tiles rendered since construction (for tests and benchmarks of the cache).
    [[nodiscard]] std::uint64_t tilesRendered() const { return tilesRendered_; }

private:
    /// shifts (6 bits each) and tile indices (24 bits each: 2^32 elements / 256) in one word.
    using Key = quint64;
    HeatmapLevels& levels_;
    CategoryMask visible_ = kAllCategories;
    QCache<Key, QImage> tiles_;
    std::uint64_t tilesRendered_ = 0;
};

} // namespace ptxwb::views
