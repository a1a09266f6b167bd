#include "heatmap_panel.h"

#include "heatmap_legend.h"
#include "heatmap_view.h"
#include "ulp_histogram_chart.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>
#include <nlohmann/json.hpp>

namespace ptxwb::views {

HeatmapPanel::HeatmapPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* bar = new QHBoxLayout();
    title_ = new QLabel(this);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* fit = new QToolButton(this);
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Fit the whole map to the window (double-click the map)"));
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export PNG..."));
    bar->addWidget(title_, 1);
    bar->addWidget(fit);
    bar->addWidget(exportButton);
    layout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    heatmap_ = new HeatmapView(splitter);
    auto* side = new QWidget(splitter);
    side->setMinimumWidth(320); // legend labels with counts and a readable histogram
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    legend_ = new HeatmapLegend(side);
    histogram_ = new UlpHistogramChart(side);
    sideLayout->addWidget(legend_);
    sideLayout->addWidget(histogram_, 1);
    splitter->addWidget(heatmap_);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(fit, &QToolButton::clicked, heatmap_, &HeatmapView::fitToWindow);
    connect(exportButton, &QToolButton::clicked, this, &HeatmapPanel::exportPngInteractive);
    connect(legend_, &HeatmapLegend::categoryToggled, heatmap_, &HeatmapView::setCategoryVisible);
}

void HeatmapPanel::setCheck(store::Check check) {
    title_->setText(QString::fromStdString(check.name) + QStringLiteral("  —  ") +
                    QString::fromLatin1(store::checkStatusName(check.status)) +
                    QStringLiteral(", max %1 ULP").arg(check.maxUlp));
    if (check.mismatchMap && !check.mismatchMap->empty()) {
        legend_->setCounts(check.mismatchMap->counts());
        // The check's own histogram when it recorded one, else a recount from the map.
        const auto recorded = ulpHistogramFromEvidence(check.evidence);
        histogram_->setHistogram(recorded ? *recorded : ulpHistogramOf(*check.mismatchMap));
        heatmap_->setMap(std::move(*check.mismatchMap), std::move(check.firstMismatches));
    } else {
        legend_->setCounts(check.counts);
        if (const auto recorded = ulpHistogramFromEvidence(check.evidence))
            histogram_->setHistogram(*recorded);
        else
            histogram_->clear();
        heatmap_->clear();
    }
}

void HeatmapPanel::clear() {
    title_->clear();
    legend_->setCounts({});
    histogram_->clear();
    heatmap_->clear();
}

void HeatmapPanel::exportPngInteractive() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export heatmap"), QString(),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!heatmap_->exportPng(path))
        QMessageBox::warning(this, tr("Export heatmap"), tr("Could not write %1").arg(path));
}

} // namespace ptxwb::views
