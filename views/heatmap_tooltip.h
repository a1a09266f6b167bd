#pragma once
// The hover text of the heatmap. The store keeps a category and a ULP distance for every
// element, but both values (and so their bit patterns) only for the check's first few
// mismatches; the text says which of the two it is showing.

#include "heatmap_levels.h"
#include "store/results.h"

#include <QString>
#include <optional>

namespace ptxwb::views {

/// What the cursor is over: a block of elements (a single one when zoomed in far enough) and the
/// worst visible element inside it.
struct HeatmapHover {
    std::uint32_t row0 = 0, row1 = 0; ///< [row0, row1)
    std::uint32_t col0 = 0, col1 = 0; ///< [col0, col1)
    std::optional<HeatmapElement> worst;
    const store::ElementMismatch* values = nullptr; ///< the worst element's values, if stored
    std::size_t storedValueCount = 0;               ///< how many elements have values stored
    const store::ProbeLayout* probe = nullptr;      ///< dequant-probe maps only
    std::uint32_t mapCols = 0; ///< the map's width: an element's flat index is row * cols + col
};

/// Plain text, one fact per line, e.g.
///   row 17, col 4095 (index 73727)
///   category: mismatch
///   ULP distance: 37
///   expected: 1.25  (f32 bits 0x3fa00000)
///   actual: 1.25000441  (f32 bits 0x3fa00025)
[[nodiscard]] QString heatmapToolTip(const HeatmapHover& hover);

/// "0x3fa00000": the IEEE-754 binary32 bits of `value` rounded to f32 (parity values are f32).
[[nodiscard]] QString f32Bits(double value);

} // namespace ptxwb::views
