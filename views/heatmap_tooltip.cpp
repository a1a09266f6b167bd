#include "heatmap_tooltip.h"

#include <QStringList>
#include <bit>

namespace ptxwb::views {

QString f32Bits(double value) {
    const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(value));
    return QStringLiteral("0x%1").arg(bits, 8, 16, QLatin1Char('0'));
}

namespace {

QString valueLine(const char* label, double value) {
    return QString::fromLatin1(label) + QStringLiteral(": ") + QString::number(value, 'g', 9) +
           QStringLiteral("  (f32 bits ") + f32Bits(value) + QLatin1Char(')');
}

} // namespace

QString heatmapToolTip(const HeatmapHover& h) {
    QStringList lines;
    const bool single = h.row1 - h.row0 == 1 && h.col1 - h.col0 == 1;
    if (single) {
        lines << QStringLiteral("row %1, col %2 (index %3)")
                     .arg(h.row0)
                     .arg(h.col0)
                     .arg(std::uint64_t{h.row0} * h.mapCols + h.col0);
    } else {
        lines << QStringLiteral("rows %1-%2, cols %3-%4 (%5 x %6 elements, max-pooled)")
                     .arg(h.row0)
                     .arg(h.row1 - 1)
                     .arg(h.col0)
                     .arg(h.col1 - 1)
                     .arg(h.row1 - h.row0)
                     .arg(h.col1 - h.col0);
    }
    if (!h.worst) {
        lines << QStringLiteral("no element of a shown category here");
        return lines.join(QLatin1Char('\n'));
    }
    const HeatmapElement& e = *h.worst;
    if (!single)
        lines << QStringLiteral("worst: row %1, col %2 (index %3)")
                     .arg(e.row)
                     .arg(e.col)
                     .arg(std::uint64_t{e.row} * h.mapCols + e.col);
    lines << QStringLiteral("category: ") + QString::fromLatin1(store::categoryLabel(e.category));
    lines << QStringLiteral("ULP distance: %1").arg(e.ulp);
    if (h.probe && h.probe->superBlockElements > 0 && h.probe->subBlockElements > 0) {
        const auto p = h.probe->locate(e.col);
        lines << QStringLiteral("%1: super-block %2, sub-block %3, quant %4")
                     .arg(QString::fromStdString(h.probe->quantFormat))
                     .arg(p.superBlock)
                     .arg(p.subBlock)
                     .arg(p.quant);
    }
    if (h.values) {
        lines << valueLine("expected", h.values->expected);
        lines << valueLine("actual", h.values->actual);
    } else if (e.category != store::ElementCategory::Identical) {
        // The store keeps a category and ULP distance per element; values only for a few.
        if (h.storedValueCount == 0)
            lines << QStringLiteral("values: not stored (this check kept categories and ULP "
                                    "distances only)");
        else
            lines << QStringLiteral("values: not stored (the check keeps them for its first %1 "
                                    "mismatches only)")
                         .arg(h.storedValueCount);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace ptxwb::views
