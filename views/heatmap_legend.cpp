#include "heatmap_legend.h"

#include "heatmap_tile_cache.h"

#include <QCheckBox>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>
#include <cmath>

namespace ptxwb::views {

namespace {

using store::ElementCategory;

QIcon swatch(QRgb colour) {
    QPixmap pixmap(14, 14);
    pixmap.fill(QColor::fromRgb(colour));
    QPainter p(&pixmap);
    p.setPen(QColor(0x61, 0x61, 0x61));
    p.drawRect(0, 0, 13, 13);
    return QIcon(pixmap);
}

QString labelOf(ElementCategory c) {
    return QString::fromLatin1(store::categoryLabel(c));
}

} // namespace

HeatmapLegend::HeatmapLegend(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    for (std::size_t i = 0; i < store::kElementCategoryCount; ++i) {
        const auto category = static_cast<ElementCategory>(i);
        // Mismatch is shaded by ULP distance; its swatch shows a mid-scale colour (2^8 ULP).
        auto* box = new QCheckBox(labelOf(category), this);
        box->setObjectName(QString::fromLatin1(store::categoryName(category)));
        box->setIcon(swatch(heatmapCategoryColour(category, 256)));
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this,
                [this, category](bool on) { emit categoryToggled(category, on); });
        boxes_[i] = box;
        layout->addWidget(box);
    }
    auto* scaleTitle = new QLabel(tr("Mismatch ULP distance"), this);
    layout->addSpacing(6);
    layout->addWidget(scaleTitle);
    layout->addWidget(new UlpScaleBar(this));
}

void HeatmapLegend::setCounts(const store::CategoryCounts& counts) {
    for (std::size_t i = 0; i < store::kElementCategoryCount; ++i) {
        const auto category = static_cast<ElementCategory>(i);
        boxes_[i]->setText(labelOf(category) + QStringLiteral(" (") +
                           QLocale().toString(static_cast<qulonglong>(counts[category])) +
                           QLatin1Char(')'));
    }
}

void HeatmapLegend::setCategoryChecked(ElementCategory category, bool checked) {
    boxes_[static_cast<std::size_t>(category)]->setChecked(checked);
}

QCheckBox* HeatmapLegend::checkBox(ElementCategory category) const {
    return boxes_[static_cast<std::size_t>(category)];
}

UlpScaleBar::UlpScaleBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void UlpScaleBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int barHeight = 14;
    const int margin = 8;
    const int barWidth = std::max(1, width() - 2 * margin);
    // The same log2 scale as the report PNGs: 1 ULP at the left, 2^32 at the right.
    for (int x = 0; x < barWidth; ++x) {
        const double exponent = 32.0 * x / std::max(1, barWidth - 1);
        const auto ulp = static_cast<std::uint32_t>(std::min(std::exp2(exponent), 4294967295.0));
        p.fillRect(margin + x, 2, 1, barHeight,
                   QColor::fromRgb(heatmapCategoryColour(ElementCategory::Mismatch, ulp)));
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawRect(margin, 2, barWidth - 1, barHeight - 1);
    const QFontMetrics metrics(font());
    for (int exponent = 0; exponent <= 32; exponent += 8) {
        const int x = margin + (barWidth - 1) * exponent / 32;
        const QString text =
            exponent == 0 ? QStringLiteral("1") : QStringLiteral("2^%1").arg(exponent);
        const int w = metrics.horizontalAdvance(text);
        const int tx = std::clamp(x - w / 2, 0, std::max(0, width() - w));
        p.drawLine(x, barHeight + 2, x, barHeight + 5);
        p.drawText(tx, barHeight + 6 + metrics.ascent(), text);
    }
}

} // namespace ptxwb::views
