#pragma once
// An 8-bit RGB raster and its PNG encoding (libpng), for heatmaps.

#include "util/expected.h"

#include <cstdint>
#include <vector>

namespace ptxwb::reports {

class RgbImage {
public:
    RgbImage(int width, int height, std::uint32_t background);
    [[nodiscard]] int width() const { return width_; }
    [[nodiscard]] int height() const { return height_; }
    /// 0xRRGGBB at (x, y); 0 outside the image.
    [[nodiscard]] std::uint32_t pixel(int x, int y) const;
    /// Clipped to the image, so callers can draw near edges without checks.
    void fillRect(int x, int y, int w, int h, std::uint32_t rgb);
    void strokeRect(int x, int y, int w, int h, std::uint32_t rgb);
    [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return rgb_; }

private:
    int width_;
    int height_;
    std::vector<std::uint8_t> rgb_;
};

/// PNG file bytes of `image` (8-bit RGB, no interlace).
Expected<std::vector<std::uint8_t>> encodePng(const RgbImage& image);

} // namespace ptxwb::reports
