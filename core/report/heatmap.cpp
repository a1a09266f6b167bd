#include "report/heatmap.h"

#include "report/bitmap_font.h"
#include "report/report_model.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <fmt/format.h>

namespace ptxwb::reports {

using store::ElementCategory;

namespace {

constexpr std::uint32_t kBackground = 0xFFFFFF;
constexpr std::uint32_t kInk = 0x212121;
constexpr std::uint32_t kMutedInk = 0x616161;
constexpr int kMargin = 12;
constexpr int kFontScale = 2;
constexpr int kLineHeight = kGlyphHeight * kFontScale + 8;
constexpr int kMinImageWidth = 780;
/// Up to this many failing plot cells each get a marker box, so a lone bad element is found at
/// a glance instead of as one pixel among a million.
constexpr std::size_t kMaxMarkedCells = 32;

struct ColourStop {
    double at;
    std::uint32_t rgb;
};
// Light to dark so larger errors read as "worse" even in greyscale print.
constexpr std::array<ColourStop, 5> kUlpStops{{
    {0.00, 0xFFE082},
    {0.25, 0xFFA726},
    {0.50, 0xEF5350},
    {0.75, 0xB71C1C},
    {1.00, 0x3E001E},
}};

std::uint32_t lerp(std::uint32_t a, std::uint32_t b, double t) {
    auto channel = [&](int shift) {
        double x = ((a >> shift) & 0xff) * (1 - t) + ((b >> shift) & 0xff) * t;
        return static_cast<std::uint32_t>(std::lround(x)) << shift;
    };
    return channel(16) | channel(8) | channel(0);
}

std::string fitText(const std::string& text, int maxWidth) {
    if (textWidth(text, kFontScale) <= maxWidth) return text;
    std::size_t chars =
        static_cast<std::size_t>(std::max(maxWidth / (kGlyphAdvance * kFontScale) - 3, 0));
    return text.substr(0, chars) + "...";
}

std::uint32_t nextPowerOfTwoFactor(std::uint32_t extent, int maxPixels) {
    std::uint32_t factor = 1;
    while ((extent + factor - 1) / factor > static_cast<std::uint32_t>(std::max(maxPixels, 1)))
        factor *= 2;
    return factor;
}

} // namespace

std::uint32_t ulpColour(std::uint32_t ulp) {
    double t = ulp <= 1 ? 0.0 : std::log2(static_cast<double>(ulp)) / 32.0;
    t = std::clamp(t, 0.0, 1.0);
    for (std::size_t i = 1; i < kUlpStops.size(); ++i) {
        if (t <= kUlpStops[i].at) {
            double local = (t - kUlpStops[i - 1].at) / (kUlpStops[i].at - kUlpStops[i - 1].at);
            return lerp(kUlpStops[i - 1].rgb, kUlpStops[i].rgb, local);
        }
    }
    return kUlpStops.back().rgb;
}

std::uint32_t categoryColour(ElementCategory category, std::uint32_t ulp) {
    switch (category) {
    case ElementCategory::Identical:
        return 0xECEFF1;
    case ElementCategory::WithinContract:
        return 0x90CAF9;
    case ElementCategory::Mismatch:
        return ulpColour(ulp);
    case ElementCategory::NanInf:
        return 0x9C27B0;
    case ElementCategory::Unwritten:
        return 0x000000;
    case ElementCategory::Overrun:
        return 0x00BCD4;
    }
    return 0xFF00FF;
}

HeatmapLayout layoutHeatmap(std::uint32_t rows, std::uint32_t cols, const HeatmapOptions& o) {
    HeatmapLayout l;
    l.colFactor = nextPowerOfTwoFactor(cols, o.maxPlotWidth);
    l.rowFactor = nextPowerOfTwoFactor(rows, o.maxPlotHeight);
    const int plottedCols =
        static_cast<int>(std::max<std::uint32_t>((cols + l.colFactor - 1) / l.colFactor, 1));
    const int plottedRows =
        static_cast<int>(std::max<std::uint32_t>((rows + l.rowFactor - 1) / l.rowFactor, 1));
    l.cellWidth = std::clamp(o.maxPlotWidth / plottedCols, 1, o.maxCellPixels);
    l.cellHeight = std::clamp(o.maxPlotHeight / plottedRows, 1, o.maxCellPixels);
    l.plotWidth = plottedCols * l.cellWidth;
    l.plotHeight = plottedRows * l.cellHeight;
    return l;
}

RgbImage renderHeatmap(const store::MismatchMap& map, const HeatmapOptions& options,
                       HeatmapLayout* layoutOut) {
    HeatmapLayout l = layoutHeatmap(map.rows(), map.cols(), options);
    const std::string lastRow = std::to_string(map.rows() == 0 ? 0 : map.rows() - 1);
    const int axisWidth = textWidth(lastRow, kFontScale) + 6;
    l.plotX = kMargin + axisWidth;
    l.plotY = kMargin + 2 * kLineHeight;
    const int width = std::max(l.plotX + l.plotWidth + kMargin, kMinImageWidth);
    const int legendTop = l.plotY + l.plotHeight + kLineHeight + 6;
    const int height = legendTop + 2 * kLineHeight + 4 * kLineHeight;
    RgbImage image(width, height, kBackground);

    // Title and what one pixel block stands for.
    drawText(image, kMargin, kMargin, fitText(options.title, width - 2 * kMargin), kInk,
             kFontScale);
    std::string scaleNote = fmt::format("{} x {} elements", map.rows(), map.cols());
    if (l.rowFactor > 1 || l.colFactor > 1) {
        scaleNote += fmt::format(", cell = {}x{} max-pooled", l.rowFactor, l.colFactor);
    }
    if (map.probeLayout) {
        scaleNote +=
            fmt::format(", {} blocks {}/{}", map.probeLayout->quantFormat,
                        map.probeLayout->superBlockElements, map.probeLayout->subBlockElements);
    }
    drawText(image, kMargin, kMargin + kLineHeight, fitText(scaleNote, width - 2 * kMargin),
             kMutedInk, kFontScale);

    // The plot: pool once, then paint each pooled element as a cell.
    const store::MismatchMap pooled =
        (l.rowFactor > 1 || l.colFactor > 1) ? store::poolMax(map, l.rowFactor, l.colFactor) : map;
    for (std::uint32_t r = 0; r < pooled.rows(); ++r) {
        for (std::uint32_t c = 0; c < pooled.cols(); ++c) {
            image.fillRect(l.plotX + static_cast<int>(c) * l.cellWidth,
                           l.plotY + static_cast<int>(r) * l.cellHeight, l.cellWidth, l.cellHeight,
                           categoryColour(pooled.category(r, c), pooled.ulp(r, c)));
        }
    }
    image.strokeRect(l.plotX - 1, l.plotY - 1, l.plotWidth + 2, l.plotHeight + 2, kMutedInk);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> rareCells;
    for (std::uint32_t r = 0; r < pooled.rows() && rareCells.size() <= kMaxMarkedCells; ++r) {
        for (std::uint32_t c = 0; c < pooled.cols() && rareCells.size() <= kMaxMarkedCells; ++c) {
            if (store::isFailing(pooled.category(r, c))) rareCells.emplace_back(r, c);
        }
    }
    if (rareCells.size() <= kMaxMarkedCells) {
        for (const auto& [r, c] : rareCells) {
            const int cx = l.plotX + static_cast<int>(c) * l.cellWidth + l.cellWidth / 2;
            const int cy = l.plotY + static_cast<int>(r) * l.cellHeight + l.cellHeight / 2;
            const int half = std::max({l.cellWidth, l.cellHeight, 8}) / 2 + 4;
            const std::uint32_t colour = categoryColour(pooled.category(r, c), pooled.ulp(r, c));
            image.fillRect(cx - 1, cy - 1, 3, 3, colour);
            image.strokeRect(cx - half, cy - half, 2 * half + 1, 2 * half + 1, kInk);
            image.strokeRect(cx - half + 1, cy - half + 1, 2 * half - 1, 2 * half - 1, colour);
        }
    }
    // Axis extents: first/last row on the left, first/last column below.
    drawText(image, l.plotX - axisWidth, l.plotY, "0", kMutedInk, kFontScale);
    if (l.plotHeight >= 2 * kGlyphHeight * kFontScale) {
        drawText(image, l.plotX - axisWidth, l.plotY + l.plotHeight - kGlyphHeight * kFontScale,
                 lastRow, kMutedInk, kFontScale);
    }
    const std::string lastCol = std::to_string(map.cols() == 0 ? 0 : map.cols() - 1);
    drawText(image, l.plotX, l.plotY + l.plotHeight + 5, "0", kMutedInk, kFontScale);
    drawText(image, l.plotX + l.plotWidth - textWidth(lastCol, kFontScale),
             l.plotY + l.plotHeight + 5, lastCol, kMutedInk, kFontScale);
    const std::string axisNote = "rows x columns";
    drawText(image, l.plotX + (l.plotWidth - textWidth(axisNote, kFontScale)) / 2,
             l.plotY + l.plotHeight + 5, axisNote, kMutedInk, kFontScale);

    // Legend: the six categories, three per line, with their counts in the full map.
    const auto counts = map.counts();
    const int swatch = kGlyphHeight * kFontScale;
    const int column = (width - 2 * kMargin) / 3;
    for (std::size_t i = 0; i < store::kElementCategoryCount; ++i) {
        auto cat = static_cast<ElementCategory>(i);
        const int x = kMargin + static_cast<int>(i % 3) * column;
        const int y = legendTop + static_cast<int>(i / 3) * kLineHeight;
        image.fillRect(x, y, swatch, swatch, categoryColour(cat, 1u << 16));
        image.strokeRect(x, y, swatch, swatch, kMutedInk);
        std::string label = fmt::format("{} {}", store::categoryLabel(cat), counts[cat]);
        drawText(image, x + swatch + 6, y, fitText(label, column - swatch - 10), kInk, kFontScale);
    }

    // ULP scale for mismatches: log2 from 1 to 2^32.
    const int scaleTop = legendTop + 2 * kLineHeight + 6;
    const std::string scaleLabel = "mismatch ULP";
    drawText(image, kMargin, scaleTop, scaleLabel, kInk, kFontScale);
    const int barX = kMargin + textWidth(scaleLabel, kFontScale) + 12;
    const int barWidth = std::min(384, width - barX - kMargin - 24);
    for (int x = 0; x < barWidth; ++x) {
        double exponent = 32.0 * x / std::max(barWidth - 1, 1);
        auto ulp = static_cast<std::uint32_t>(std::min(std::exp2(exponent), 4294967295.0));
        image.fillRect(barX + x, scaleTop, 1, swatch, ulpColour(ulp));
    }
    image.strokeRect(barX - 1, scaleTop - 1, barWidth + 2, swatch + 2, kMutedInk);
    constexpr std::array<const char*, 5> kTicks{"1", "256", "64K", "16M", "4G"};
    for (std::size_t i = 0; i < kTicks.size(); ++i) {
        const int x = barX + static_cast<int>(i) * (barWidth - 1) / 4;
        image.fillRect(x, scaleTop + swatch + 1, 1, 4, kInk);
        int labelX = std::clamp(x - textWidth(kTicks[i], kFontScale) / 2, 0,
                                width - textWidth(kTicks[i], kFontScale));
        drawText(image, labelX, scaleTop + swatch + 7, kTicks[i], kInk, kFontScale);
    }
    std::string maxNote = fmt::format("max ULP {}", formatUlp(map.maxUlp()));
    if (!rareCells.empty() && rareCells.size() <= kMaxMarkedCells) {
        maxNote += fmt::format("; {} failing cell{} boxed", rareCells.size(),
                               rareCells.size() == 1 ? "" : "s");
    }
    drawText(image, kMargin, scaleTop + 2 * kLineHeight + 2, maxNote, kMutedInk, kFontScale);

    if (layoutOut) *layoutOut = l;
    return image;
}

Expected<std::vector<std::uint8_t>> renderHeatmapPng(const store::MismatchMap& map,
                                                     const HeatmapOptions& options) {
    return encodePng(renderHeatmap(map, options));
}

} // namespace ptxwb::reports
