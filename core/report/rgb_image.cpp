#include "report/rgb_image.h"

#include <algorithm>
#include <png.h>

namespace ptxwb::reports {

RgbImage::RgbImage(int width, int height, std::uint32_t background)
    : width_(std::max(width, 1)), height_(std::max(height, 1)),
      rgb_(static_cast<std::size_t>(width_) * height_ * 3) {
    fillRect(0, 0, width_, height_, background);
}

std::uint32_t RgbImage::pixel(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return 0;
    const auto* p = &rgb_[(static_cast<std::size_t>(y) * width_ + x) * 3];
    return std::uint32_t{p[0]} << 16 | std::uint32_t{p[1]} << 8 | p[2];
}

void RgbImage::fillRect(int x, int y, int w, int h, std::uint32_t rgb) {
    const int x0 = std::max(x, 0);
    const int y0 = std::max(y, 0);
    const int x1 = std::min(x + w, width_);
    const int y1 = std::min(y + h, height_);
    for (int yy = y0; yy < y1; ++yy) {
        auto* p = &rgb_[(static_cast<std::size_t>(yy) * width_ + x0) * 3];
        for (int xx = x0; xx < x1; ++xx) {
            *p++ = static_cast<std::uint8_t>(rgb >> 16);
            *p++ = static_cast<std::uint8_t>(rgb >> 8);
            *p++ = static_cast<std::uint8_t>(rgb);
        }
    }
}

void RgbImage::strokeRect(int x, int y, int w, int h, std::uint32_t rgb) {
    fillRect(x, y, w, 1, rgb);
    fillRect(x, y + h - 1, w, 1, rgb);
    fillRect(x, y, 1, h, rgb);
    fillRect(x + w - 1, y, 1, h, rgb);
}

namespace {
void appendToVector(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}
void noFlush(png_structp) {}
} // namespace

Expected<std::vector<std::uint8_t>> encodePng(const RgbImage& image) {
    // Everything with a destructor is created before setjmp: libpng reports errors by longjmp.
    std::vector<std::uint8_t> out;
    std::vector<png_bytep> rows(static_cast<std::size_t>(image.height()));
    for (int y = 0; y < image.height(); ++y) {
        rows[static_cast<std::size_t>(y)] = const_cast<png_bytep>(
            image.bytes().data() + static_cast<std::size_t>(y) * image.width() * 3);
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (png == nullptr) return makeError(ErrorKind::Internal, "libpng: cannot create writer");
    png_infop info = png_create_info_struct(png);
    if (info == nullptr || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return makeError(ErrorKind::Internal, "libpng: encoding the heatmap failed");
    }
    png_set_write_fn(png, &out, appendToVector, noFlush);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width()),
                 static_cast<png_uint_32>(image.height()), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_write_image(png, rows.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

} // namespace ptxwb::reports
