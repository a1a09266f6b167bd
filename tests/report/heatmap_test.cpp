#include "report/heatmap.h"

#include <gtest/gtest.h>
#include <png.h>
#include <set>

using namespace ptxwb;
using namespace ptxwb::reports;
using store::ElementCategory;
using store::MismatchMap;

namespace {

/// Decodes PNG bytes with libpng (the format's reference reader) into an RgbImage.
std::optional<RgbImage> decodePng(const std::vector<std::uint8_t>& bytes) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return std::nullopt;
    image.format = PNG_FORMAT_RGB;
    std::vector<std::uint8_t> rgb(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, rgb.data(), 0, nullptr)) return std::nullopt;
    RgbImage out(static_cast<int>(image.width), static_cast<int>(image.height), 0);
    for (int y = 0; y < out.height(); ++y) {
        for (int x = 0; x < out.width(); ++x) {
            const auto* p = &rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
            out.fillRect(x, y, 1, 1, std::uint32_t{p[0]} << 16 | std::uint32_t{p[1]} << 8 | p[2]);
        }
    }
    return out;
}

int countPixels(const RgbImage& image, const HeatmapLayout& l, std::uint32_t rgb) {
    int n = 0;
    for (int y = l.plotY; y < l.plotY + l.plotHeight; ++y) {
        for (int x = l.plotX; x < l.plotX + l.plotWidth; ++x)
            n += image.pixel(x, y) == rgb ? 1 : 0;
    }
    return n;
}

double luma(std::uint32_t rgb) {
    return 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
}

} // namespace

TEST(Heatmap, SixCategoriesHaveDistinctColours) {
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i < store::kElementCategoryCount; ++i) {
        colours.insert(categoryColour(static_cast<ElementCategory>(i), 1u << 16));
    }
    EXPECT_EQ(colours.size(), store::kElementCategoryCount);
}

TEST(Heatmap, UlpScaleDarkensAsErrorsGrow) {
    double previous = 1e9;
    for (std::uint32_t ulp : {1u, 16u, 256u, 65536u, 1u << 24, 0xffffffffu}) {
        double l = luma(ulpColour(ulp));
        EXPECT_LT(l, previous) << ulp;
        previous = l;
    }
    EXPECT_EQ(ulpColour(0), ulpColour(1));
}

TEST(Heatmap, WideBatchMapPoolsColumnsAndMagnifiesRows) {
    HeatmapOptions o;
    auto l = layoutHeatmap(4, 4096, o);
    EXPECT_EQ(l.colFactor, 8u);
    EXPECT_EQ(l.rowFactor, 1u);
    EXPECT_EQ(l.plotWidth, 512);
    EXPECT_EQ(l.cellHeight, 16);
    EXPECT_EQ(l.plotHeight, 64);
}

TEST(Heatmap, SmallMapIsMagnifiedNotPooled) {
    auto l = layoutHeatmap(4, 64, HeatmapOptions{});
    EXPECT_EQ(l.colFactor, 1u);
    EXPECT_EQ(l.cellWidth, 12);
    EXPECT_EQ(l.plotWidth, 768);
}

TEST(Heatmap, OneOverrunInFiftyMillionElementsIsDrawnAndBoxed) {
    MismatchMap map(5000, 10000);
    map.set(4321, 8765, ElementCategory::Overrun);
    HeatmapLayout l;
    RgbImage image = renderHeatmap(map, HeatmapOptions{"huge", 768, 384, 16}, &l);
    EXPECT_EQ(l.colFactor, 16u);
    EXPECT_EQ(l.rowFactor, 16u);
    const std::uint32_t overrun = categoryColour(ElementCategory::Overrun, 0);
    // The pooled cell itself, plus the marker drawn around it.
    const int cellX = l.plotX + static_cast<int>(8765 / l.colFactor) * l.cellWidth;
    const int cellY = l.plotY + static_cast<int>(4321 / l.rowFactor) * l.cellHeight;
    EXPECT_EQ(image.pixel(cellX, cellY), overrun);
    EXPECT_GT(countPixels(image, l, overrun), 8) << "the marker box makes it more than a pixel";
}

TEST(Heatmap, EveryPooledCellShowsTheWorstOfItsBlock) {
    MismatchMap map(2, 4096);
    for (std::uint32_t c = 0; c < 4096; c += 8)
        map.set(0, c, ElementCategory::WithinContract, 1);
    map.set(1, 4095, ElementCategory::NanInf);
    HeatmapLayout l;
    RgbImage image = renderHeatmap(map, HeatmapOptions{}, &l);
    ASSERT_EQ(l.colFactor, 8u);
    const std::uint32_t within = categoryColour(ElementCategory::WithinContract, 1);
    for (int c = 0; c < 500; ++c) { // the last columns sit under the NaN cell's marker box
        ASSERT_EQ(image.pixel(l.plotX + c, l.plotY + l.cellHeight / 2), within) << "block " << c;
    }
    EXPECT_EQ(image.pixel(l.plotX + 511, l.plotY + l.cellHeight),
              categoryColour(ElementCategory::NanInf, 0));
}

TEST(Heatmap, PngDecodesToTheRenderedImage) {
    MismatchMap map(4, 64);
    map.set(1, 7, ElementCategory::Mismatch, 1000);
    HeatmapOptions o;
    o.title = "K vs K1 M=4";
    auto png = renderHeatmapPng(map, o);
    ASSERT_TRUE(png);
    ASSERT_GT(png->size(), 8u);
    EXPECT_EQ((*png)[1], 'P');
    auto decoded = decodePng(*png);
    ASSERT_TRUE(decoded);
    RgbImage direct = renderHeatmap(map, o);
    ASSERT_EQ(decoded->width(), direct.width());
    ASSERT_EQ(decoded->height(), direct.height());
    EXPECT_EQ(decoded->bytes(), direct.bytes());
}
