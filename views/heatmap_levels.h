#pragma once
// The zoom levels of a mismatch heatmap, Qt-free. Unlike store::buildPyramid() (which keeps only
// the worst category), a pooled cell here keeps the *set* of categories present, so hiding a
// category in the legend still shows the next-worst one underneath instead of a blank cell.
// Levels are anisotropic (rows and columns pool independently) because parity maps are a few
// batch rows by thousands of columns, and they are built on first use.

#include "store/mismatch_map.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace ptxwb::views {

/// Bit set of store::ElementCategory values (bit c = category c).
using CategoryMask = std::uint8_t;
[[nodiscard]] constexpr CategoryMask categoryBit(store::ElementCategory c) {
    return static_cast<CategoryMask>(1u << static_cast<unsigned>(c));
}
inline constexpr CategoryMask kAllCategories = 0x3f;
/// The worst category in `mask & visible`, or nothing when none is visible.
[[nodiscard]] std::optional<store::ElementCategory> worstCategory(CategoryMask mask,
                                                                  CategoryMask visible);

/// One pooled level: a cell covers 2^rowShift x 2^colShift elements (edge cells fewer), ORs
/// their categories and keeps their largest ULP distance.
struct HeatmapLevel {
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    std::uint32_t rowShift = 0;
    std::uint32_t colShift = 0;
    std::vector<CategoryMask> masks;
    std::vector<std::uint32_t> ownUlps;
    std::span<const std::uint32_t> ulps; ///< ownUlps, or the map's plane at level (0, 0)

    [[nodiscard]] CategoryMask mask(std::uint32_t row, std::uint32_t col) const {
        return masks[static_cast<std::size_t>(row) * cols + col];
    }
    [[nodiscard]] std::uint32_t ulp(std::uint32_t row, std::uint32_t col) const {
        return ulps[static_cast<std::size_t>(row) * cols + col];
    }
};

/// One element picked out of a block (the one a tooltip describes).
struct HeatmapElement {
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    store::ElementCategory category = store::ElementCategory::Identical;
    std::uint32_t ulp = 0;
};

/// A mismatch map and its pooled levels.
class HeatmapLevels {
public:
    explicit HeatmapLevels(store::MismatchMap map);

    [[nodiscard]] const store::MismatchMap& map() const { return map_; }
    [[nodiscard]] std::uint32_t rows() const { return map_.rows(); }
    [[nodiscard]] std::uint32_t cols() const { return map_.cols(); }
    /// The shift at which an axis has pooled down to one cell.
    [[nodiscard]] std::uint32_t maxRowShift() const { return maxRowShift_; }
    [[nodiscard]] std::uint32_t maxColShift() const { return maxColShift_; }

    /// The level whose cells cover 2^rowShift x 2^colShift elements (shifts are clamped to the
    /// axis maximum). Built on first use from the nearest isotropic level; the returned
    /// reference stays valid until the next call.
    const HeatmapLevel& level(std::uint32_t rowShift, std::uint32_t colShift);

    /// The coarsest shift whose cells are still at least one pixel wide at `pixelsPerElement`,
    /// so drawing a level never drops a cell (and thus never drops a bad element).
    [[nodiscard]] static std::uint32_t shiftForScale(double pixelsPerElement);

    /// The worst element of rows [row0, row1) x cols [col0, col1): highest visible category,
    /// then largest ULP, then first in row-major order. Nothing if no category is visible.
    [[nodiscard]] std::optional<HeatmapElement> worstElement(std::uint32_t row0, std::uint32_t row1,
                                                             std::uint32_t col0, std::uint32_t col1,
                                                             CategoryMask visible) const;

private:
    const HeatmapLevel& isotropic(std::uint32_t shift);

    store::MismatchMap map_;
    std::uint32_t maxRowShift_ = 0;
    std::uint32_t maxColShift_ = 0;
    std::vector<std::unique_ptr<HeatmapLevel>> isotropic_; ///< index = shift, filled on demand
    /// Anisotropic levels, most recently used last; a few are kept (they can be large).
    std::vector<std::unique_ptr<HeatmapLevel>> anisotropic_;
};

/// Cells of `level` in rows [row0, row1) x cols [col0, col1) whose visible categories include a
/// failing one (mismatch, NaN/Inf, unwritten, overrun), row-major; nothing when there are more
/// than `maxCells` (then the failures are no longer lone pixels and need no markers).
[[nodiscard]] std::optional<std::vector<std::pair<std::uint32_t, std::uint32_t>>>
failingCells(const HeatmapLevel& level, std::uint32_t row0, std::uint32_t row1, std::uint32_t col0,
             std::uint32_t col1, CategoryMask visible, std::size_t maxCells);

/// Max/OR-pools `source` by 2^rowShiftDelta x 2^colShiftDelta cells.
[[nodiscard]] HeatmapLevel poolLevel(const HeatmapLevel& source, std::uint32_t rowShiftDelta,
                                     std::uint32_t colShiftDelta);

} // namespace ptxwb::views
