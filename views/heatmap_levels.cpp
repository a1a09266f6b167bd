#include "heatmap_levels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>

namespace ptxwb::views {

namespace {

using store::ElementCategory;

constexpr std::size_t kKeptAnisotropicLevels = 6;

std::uint32_t shiftToOne(std::uint32_t extent) {
    return extent <= 1 ? 0 : static_cast<std::uint32_t>(std::bit_width(extent - 1));
}

std::uint32_t pooledExtent(std::uint32_t extent, std::uint32_t shift) {
    return static_cast<std::uint32_t>((std::uint64_t{extent} + (std::uint64_t{1} << shift) - 1) >>
                                      shift);
}

/// Level (0, 0): one mask bit per element; the ULPs stay in the map's own plane.
std::unique_ptr<HeatmapLevel> fullResolution(const store::MismatchMap& map) {
    auto level = std::make_unique<HeatmapLevel>();
    level->rows = map.rows();
    level->cols = map.cols();
    const auto categories = map.categoryPlane();
    level->masks.resize(categories.size());
    std::transform(categories.begin(), categories.end(), level->masks.begin(),
                   [](std::uint8_t c) { return static_cast<CategoryMask>(1u << (c & 7u)); });
    level->ulps = map.ulpPlane();
    return level;
}

} // namespace

std::optional<ElementCategory> worstCategory(CategoryMask mask, CategoryMask visible) {
    const unsigned shown = mask & visible & kAllCategories;
    if (shown == 0) return std::nullopt;
    return static_cast<ElementCategory>(std::bit_width(shown) - 1);
}

namespace {

/// Pools a row-major plane into `out` (already sized and zeroed). The source holds either mask
/// bits or raw categories (the map's own plane, so level 1 never needs a converted level 0).
template <bool SourceIsCategories>
CategoryMask maskOf(std::uint8_t value) {
    if constexpr (SourceIsCategories)
        return static_cast<CategoryMask>(1u << (value & 7u));
    else
        return value;
}

/// Pools source rows [rowBegin, rowEnd) into `out` (already sized and zeroed). The source holds
/// either mask bits or raw categories (the map's own plane, so level 1 never needs a converted
/// level 0).
template <bool SourceIsCategories>
void poolRows(const std::uint8_t* source, const std::uint32_t* sourceUlps, std::uint32_t rowBegin,
              std::uint32_t rowEnd, std::uint32_t sourceCols, std::uint32_t rowShiftDelta,
              std::uint32_t colShiftDelta, HeatmapLevel& out) {
    for (std::uint32_t r = rowBegin; r < rowEnd; ++r) {
        CategoryMask* masks = out.masks.data() + std::size_t{r >> rowShiftDelta} * out.cols;
        std::uint32_t* ulps = out.ownUlps.data() + std::size_t{r >> rowShiftDelta} * out.cols;
        const std::uint8_t* srcMasks = source + std::size_t{r} * sourceCols;
        const std::uint32_t* srcUlps = sourceUlps + std::size_t{r} * sourceCols;
        std::uint32_t c = 0;
        if (colShiftDelta == 1) {
            // The common step (each isotropic level halves both axes), written as pairs so the
            // compiler keeps it branch-free and vectorises it.
            for (; c + 1 < sourceCols; c += 2) {
                const std::uint32_t o = c / 2;
                masks[o] |= static_cast<CategoryMask>(maskOf<SourceIsCategories>(srcMasks[c]) |
                                                      maskOf<SourceIsCategories>(srcMasks[c + 1]));
                ulps[o] = std::max(ulps[o], std::max(srcUlps[c], srcUlps[c + 1]));
            }
        }
        for (; c < sourceCols; ++c) {
            const std::uint32_t o = c >> colShiftDelta;
            masks[o] |= maskOf<SourceIsCategories>(srcMasks[c]);
            ulps[o] = std::max(ulps[o], srcUlps[c]);
        }
    }
}

/// poolRows() over all rows, in bands of whole output rows on a few threads for large planes
/// (a 50M-element map is pooled on the first paint of its heatmap).
template <bool SourceIsCategories>
void poolPlanes(const std::uint8_t* source, const std::uint32_t* sourceUlps,
                std::uint32_t sourceRows, std::uint32_t sourceCols, std::uint32_t rowShiftDelta,
                std::uint32_t colShiftDelta, HeatmapLevel& out) {
    constexpr std::size_t kElementsPerThread = std::size_t{1} << 22;
    const std::size_t elements = std::size_t{sourceRows} * sourceCols;
    const std::size_t threads = std::clamp<std::size_t>(
        std::min<std::size_t>(std::thread::hardware_concurrency(), elements / kElementsPerThread),
        1, std::min<std::size_t>(8, out.rows));
    if (threads <= 1) {
        poolRows<SourceIsCategories>(source, sourceUlps, 0, sourceRows, sourceCols, rowShiftDelta,
                                     colShiftDelta, out);
        return;
    }
    std::vector<std::jthread> workers;
    const std::uint32_t outRowsPerBand =
        static_cast<std::uint32_t>((out.rows + threads - 1) / threads);
    for (std::size_t t = 0; t < threads; ++t) {
        const std::uint64_t begin = (std::uint64_t{outRowsPerBand} * t) << rowShiftDelta;
        const std::uint64_t end = (std::uint64_t{outRowsPerBand} * (t + 1)) << rowShiftDelta;
        if (begin >= sourceRows) break;
        workers.emplace_back([=, &out] {
            poolRows<SourceIsCategories>(
                source, sourceUlps, static_cast<std::uint32_t>(begin),
                static_cast<std::uint32_t>(std::min<std::uint64_t>(end, sourceRows)), sourceCols,
                rowShiftDelta, colShiftDelta, out);
        });
    }
}

HeatmapLevel emptyLevel(std::uint32_t sourceRows, std::uint32_t sourceCols, std::uint32_t rowShift,
                        std::uint32_t colShift, std::uint32_t rowShiftDelta,
                        std::uint32_t colShiftDelta) {
    HeatmapLevel out;
    out.rowShift = rowShift;
    out.colShift = colShift;
    out.rows = pooledExtent(sourceRows, rowShiftDelta);
    out.cols = pooledExtent(sourceCols, colShiftDelta);
    const std::size_t cells = std::size_t{out.rows} * out.cols;
    out.masks.assign(cells, 0);
    out.ownUlps.assign(cells, 0);
    return out;
}

/// A level pooled straight from the map's planes.
HeatmapLevel poolMap(const store::MismatchMap& map, std::uint32_t rowShift,
                     std::uint32_t colShift) {
    HeatmapLevel out = emptyLevel(map.rows(), map.cols(), rowShift, colShift, rowShift, colShift);
    poolPlanes<true>(map.categoryPlane().data(), map.ulpPlane().data(), map.rows(), map.cols(),
                     rowShift, colShift, out);
    out.ulps = out.ownUlps;
    return out;
}

} // namespace

std::optional<std::vector<std::pair<std::uint32_t, std::uint32_t>>>
failingCells(const HeatmapLevel& level, std::uint32_t row0, std::uint32_t row1, std::uint32_t col0,
             std::uint32_t col1, CategoryMask visible, std::size_t maxCells) {
    const CategoryMask failing = visible & ~(categoryBit(ElementCategory::Identical) |
                                             categoryBit(ElementCategory::WithinContract));
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cells;
    row1 = std::min(row1, level.rows);
    col1 = std::min(col1, level.cols);
    for (std::uint32_t r = row0; r < row1; ++r) {
        const CategoryMask* masks = level.masks.data() + std::size_t{r} * level.cols;
        for (std::uint32_t c = col0; c < col1; ++c) {
            if ((masks[c] & failing) == 0) continue;
            if (cells.size() == maxCells) return std::nullopt;
            cells.emplace_back(r, c);
        }
    }
    return cells;
}

HeatmapLevel poolLevel(const HeatmapLevel& source, std::uint32_t rowShiftDelta,
                       std::uint32_t colShiftDelta) {
    HeatmapLevel out = emptyLevel(source.rows, source.cols, source.rowShift + rowShiftDelta,
                                  source.colShift + colShiftDelta, rowShiftDelta, colShiftDelta);
    poolPlanes<false>(source.masks.data(), source.ulps.data(), source.rows, source.cols,
                      rowShiftDelta, colShiftDelta, out);
    out.ulps = out.ownUlps;
    return out;
}

HeatmapLevels::HeatmapLevels(store::MismatchMap map)
    : map_(std::move(map)), maxRowShift_(shiftToOne(map_.rows())),
      maxColShift_(shiftToOne(map_.cols())) {
    isotropic_.resize(std::max(maxRowShift_, maxColShift_) + 1);
}

std::uint32_t HeatmapLevels::shiftForScale(double pixelsPerElement) {
    if (!(pixelsPerElement > 0) || pixelsPerElement >= 1.0) return 0;
    std::uint32_t shift = 0;
    // Smallest shift with 2^shift * scale >= 1 (cells at least one pixel).
    while (shift < 40 && std::ldexp(pixelsPerElement, static_cast<int>(shift)) < 1.0)
        ++shift;
    return shift;
}

const HeatmapLevel& HeatmapLevels::isotropic(std::uint32_t shift) {
    shift = std::min<std::uint32_t>(shift, static_cast<std::uint32_t>(isotropic_.size() - 1));
    if (isotropic_[shift]) return *isotropic_[shift];
    if (shift == 0) {
        isotropic_[0] = fullResolution(map_);
        return *isotropic_[0];
    }
    if (shift == 1) {
        isotropic_[1] = std::make_unique<HeatmapLevel>(poolMap(map_, 1, 1));
        return *isotropic_[1];
    }
    const HeatmapLevel& finer = isotropic(shift - 1);
    isotropic_[shift] = std::make_unique<HeatmapLevel>(poolLevel(finer, 1, 1));
    return *isotropic_[shift];
}

const HeatmapLevel& HeatmapLevels::level(std::uint32_t rowShift, std::uint32_t colShift) {
    // Past an axis' maximum every shift gives the same single cell; clamping keeps the cache
    // small. The isotropic ladder runs to max(maxRow, maxCol), so it covers the clamped pair.
    rowShift = std::min(rowShift, maxRowShift_);
    colShift = std::min(colShift, maxColShift_);
    const std::uint32_t common = std::min(rowShift, colShift);
    if (common > 0 || (rowShift == 0 && colShift == 0)) {
        const HeatmapLevel& base = isotropic(common);
        if (base.rowShift == rowShift && base.colShift == colShift) return base;
    }
    for (auto it = anisotropic_.begin(); it != anisotropic_.end(); ++it) {
        if ((*it)->rowShift == rowShift && (*it)->colShift == colShift) {
            std::rotate(it, it + 1, anisotropic_.end()); // most recently used goes last
            return *anisotropic_.back();
        }
    }
    if (anisotropic_.size() >= kKeptAnisotropicLevels) anisotropic_.erase(anisotropic_.begin());
    // Pool from the finest isotropic level below; with one axis at full resolution that is the
    // map itself, read in place (converting level 0 would cost a pass and a byte per element).
    if (common == 0) {
        anisotropic_.push_back(std::make_unique<HeatmapLevel>(poolMap(map_, rowShift, colShift)));
    } else {
        const HeatmapLevel& base = isotropic(common);
        anisotropic_.push_back(std::make_unique<HeatmapLevel>(
            poolLevel(base, rowShift - base.rowShift, colShift - base.colShift)));
    }
    return *anisotropic_.back();
}

std::optional<HeatmapElement> HeatmapLevels::worstElement(std::uint32_t row0, std::uint32_t row1,
                                                          std::uint32_t col0, std::uint32_t col1,
                                                          CategoryMask visible) const {
    row1 = std::min(row1, map_.rows());
    col1 = std::min(col1, map_.cols());
    std::optional<HeatmapElement> worst;
    const auto categories = map_.categoryPlane();
    const auto ulps = map_.ulpPlane();
    for (std::uint32_t r = row0; r < row1; ++r) {
        for (std::uint32_t c = col0; c < col1; ++c) {
            const std::size_t i = std::size_t{r} * map_.cols() + c;
            const auto category = static_cast<ElementCategory>(categories[i]);
            if ((categoryBit(category) & visible) == 0) continue;
            if (!worst || category > worst->category ||
                (category == worst->category && ulps[i] > worst->ulp))
                worst = HeatmapElement{r, c, category, ulps[i]};
        }
    }
    return worst;
}

} // namespace ptxwb::views
