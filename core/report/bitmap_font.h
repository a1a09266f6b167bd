#pragma once
// A 5x7 pixel font for the labels inside heatmap PNGs (legend, axes, title), so images explain
// themselves when pasted into an issue without the report around them. ASCII only; anything
// else draws as '?'.

#include <cstdint>
#include <string_view>

namespace ptxwb::reports {

class RgbImage;

inline constexpr int kGlyphWidth = 5;
inline constexpr int kGlyphHeight = 7;
/// Horizontal advance per character at scale 1 (glyph plus one column of spacing).
inline constexpr int kGlyphAdvance = 6;

/// Draws `text` with its top-left corner at (x, y), each font pixel a scale x scale square.
void drawText(RgbImage& image, int x, int y, std::string_view text, std::uint32_t rgb,
              int scale = 1);
/// Width in pixels of `text` at `scale` (without trailing spacing).
[[nodiscard]] int textWidth(std::string_view text, int scale = 1);

} // namespace ptxwb::reports
