#include "heatmap_tile_cache.h"

#include "report/heatmap.h"

#include <algorithm>

namespace ptxwb::views {

namespace {
// 128 MB of tiles: enough for every tile of a full-screen view at several zoom levels.
constexpr qsizetype kTileCacheKilobytes = 128 * 1024;
} // namespace

QRgb heatmapCategoryColour(store::ElementCategory category, std::uint32_t ulp) {
    return 0xff000000u | reports::categoryColour(category, ulp);
}

QRgb heatmapHiddenColour() {
    return qRgb(0xff, 0xff, 0xff);
}

QRgb heatmapCellColour(CategoryMask mask, std::uint32_t ulp, CategoryMask visible) {
    const auto worst = worstCategory(mask, visible);
    return worst ? heatmapCategoryColour(*worst, ulp) : heatmapHiddenColour();
}

HeatmapTileCache::HeatmapTileCache(HeatmapLevels& levels) : levels_(levels) {
    tiles_.setMaxCost(kTileCacheKilobytes);
}

void HeatmapTileCache::setVisibleCategories(CategoryMask visible) {
    if (visible == visible_) return;
    visible_ = visible;
    tiles_.clear();
}

const QImage* HeatmapTileCache::tile(std::uint32_t rowShift, std::uint32_t colShift,
                                     std::uint32_t tileRow, std::uint32_t tileCol) {
    const Key key = (Key{rowShift} << 58) | (Key{colShift} << 52) | (Key{tileRow} << 24) | tileCol;
    if (const QImage* cached = tiles_.object(key)) return cached;
    const HeatmapLevel& level = levels_.level(rowShift, colShift);
    const std::uint32_t row0 = tileRow * kTileCells;
    const std::uint32_t col0 = tileCol * kTileCells;
    if (row0 >= level.rows || col0 >= level.cols) return nullptr;
    const std::uint32_t height = std::min(kTileCells, level.rows - row0);
    const std::uint32_t width = std::min(kTileCells, level.cols - col0);
    auto* image =
        new QImage(static_cast<int>(width), static_cast<int>(height), QImage::Format_RGB32);
    // Cells of a tile repeat a handful of (mask, ulp) pairs; remembering the last one skips
    // most colour look-ups (the ULP scale takes a log2).
    CategoryMask lastMask = 0xff;
    std::uint32_t lastUlp = 0;
    QRgb lastColour = 0;
    for (std::uint32_t y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image->scanLine(static_cast<int>(y)));
        for (std::uint32_t x = 0; x < width; ++x) {
            const CategoryMask mask = level.mask(row0 + y, col0 + x);
            const std::uint32_t ulp = level.ulp(row0 + y, col0 + x);
            if (mask != lastMask || ulp != lastUlp) {
                lastMask = mask;
                lastUlp = ulp;
                lastColour = heatmapCellColour(mask, ulp, visible_);
            }
            line[x] = lastColour;
        }
    }
    ++tilesRendered_;
    const auto cost = std::max<qsizetype>(1, image->sizeInBytes() / 1024);
    tiles_.insert(key, image, cost);
    return tiles_.object(key);
}

} // namespace ptxwb::views
