#include "check_trend_chart.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTimeZone>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

namespace ptxwb::views {

namespace {

/// Distinct hues that read on light and dark chart themes.
const QColor kGroupColours[] = {{0x1e, 0x88, 0xe5}, {0xe5, 0x39, 0x35}, {0x43, 0xa0, 0x47},
                                {0xfb, 0x8c, 0x00}, {0x8e, 0x24, 0xaa}, {0x00, 0xac, 0xc1},
                                {0x6d, 0x4c, 0x41}, {0xd8, 0x1b, 0x60}};
/// Above this many points per series, markers would hide the line and cost a draw each.
constexpr int kMaxPointsWithMarkers = 120;
constexpr std::int64_t kMinimumSpanMs = 60'000;
/// Max ULP spans 0 to 2^32 (NaN saturates), so its axis is logarithmic; a log axis has no zero,
/// and a check at 0 ULP is drawn on the axis floor instead.
constexpr double kUlpFloor = 0.5;

QValueAxis* valueAxis(const QString& title, double top) {
    auto* axis = new QValueAxis();
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.4g"));
    axis->setRange(0, std::max(1.0, top * 1.08));
    axis->applyNiceNumbers();
    return axis;
}

} // namespace

CheckTrendChart::CheckTrendChart(QWidget* parent) : QChartView(parent) {
    auto* chart = new QChart();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing, true);
    clear();
}

QString CheckTrendChart::groupName(const std::string& driver, const std::string& arch) {
    return tr("driver %1 · %2")
        .arg(driver.empty() ? tr("unknown") : QString::fromStdString(driver),
             arch.empty() ? tr("unknown arch") : QString::fromStdString(arch));
}

void CheckTrendChart::removeEverything() {
    QChart* c = chart();
    c->removeAllSeries();
    for (QAbstractAxis* axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    ulpSeries_.clear();
    failSeries_.clear();
    runs_.clear();
}

void CheckTrendChart::clear() {
    removeEverything();
    chart()->setTitle(tr("Select a check to see it across runs"));
}

QString CheckTrendChart::runAt(std::size_t group, int index) const {
    if (group >= runs_.size() || index < 0 || index >= runs_[group].size()) return {};
    return runs_[group][index];
}

void CheckTrendChart::setTrend(const store::CheckTrend& trend) {
    removeEverything();
    QChart* c = chart();
    const QString name = QString::fromStdString(trend.checkName);
    if (trend.points.empty()) {
        c->setTitle(tr("%1: in no recorded run").arg(name));
        return;
    }
    c->setTitle(tr("%1 in %n run(s) — solid: max ULP, dashed: failing elements", nullptr,
                   static_cast<int>(trend.points.size()))
                    .arg(name));
    // Groups in the trend's own order (driver, then arch) so colours are stable across reloads.
    std::map<std::pair<std::string, std::string>, std::size_t> groupIndex;
    for (const auto& g : trend.groups)
        groupIndex.emplace(std::make_pair(g.driverVersion, g.smArch), groupIndex.size());
    std::vector<QList<QPointF>> ulps(groupIndex.size()), fails(groupIndex.size());
    runs_.assign(groupIndex.size(), {});
    double topUlp = 0, topFail = 0;
    for (const auto& p : trend.points) {
        auto it = groupIndex.find({p.driverVersion, p.smArch});
        if (it == groupIndex.end()) { // groups came from elsewhere: still draw the point
            it = groupIndex.emplace(std::make_pair(p.driverVersion, p.smArch), ulps.size()).first;
            ulps.emplace_back();
            fails.emplace_back();
            runs_.emplace_back();
        }
        const double x = static_cast<double>(p.startedUnixMs);
        ulps[it->second].append({x, std::max(kUlpFloor, static_cast<double>(p.maxUlp))});
        fails[it->second].append({x, static_cast<double>(p.failingElements)});
        runs_[it->second].append(QString::fromStdString(p.runUuid));
        topUlp = std::max(topUlp, static_cast<double>(p.maxUlp));
        topFail = std::max(topFail, static_cast<double>(p.failingElements));
    }

    auto* time = new QDateTimeAxis();
    time->setFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    time->setTitleText(tr("run started (UTC)"));
    time->setTickCount(5);
    const std::int64_t first = trend.points.front().startedUnixMs;
    const std::int64_t last = std::max(trend.points.back().startedUnixMs, first + kMinimumSpanMs);
    const std::int64_t pad = (last - first) / 40;
    time->setRange(QDateTime::fromMSecsSinceEpoch(first - pad, QTimeZone::utc()),
                   QDateTime::fromMSecsSinceEpoch(last + pad, QTimeZone::utc()));
    c->addAxis(time, Qt::AlignBottom);
    auto* ulpAxis = new QLogValueAxis();
    ulpAxis->setTitleText(tr("max ULP (log)"));
    ulpAxis->setBase(10);
    ulpAxis->setLabelFormat(QStringLiteral("%g"));
    ulpAxis->setRange(kUlpFloor, std::max(10.0, topUlp * 4));
    QValueAxis* failAxis = valueAxis(tr("failing elements"), topFail);
    c->addAxis(ulpAxis, Qt::AlignLeft);
    c->addAxis(failAxis, Qt::AlignRight);

    std::vector<std::pair<std::string, std::string>> names(ulps.size());
    for (const auto& [key, index] : groupIndex)
        names[index] = key;
    for (std::size_t g = 0; g < ulps.size(); ++g) {
        const QColor colour = kGroupColours[g % std::size(kGroupColours)];
        const bool markers = ulps[g].size() <= kMaxPointsWithMarkers;
        auto* ulp = new QLineSeries();
        ulp->setName(groupName(names[g].first, names[g].second));
        ulp->setPen(QPen(colour, 2));
        ulp->setPointsVisible(markers);
        ulp->replace(ulps[g]);
        auto* fail = new QLineSeries();
        fail->setName(ulp->name() + tr(" (failing elements)"));
        fail->setPen(QPen(colour, 1.5, Qt::DashLine));
        fail->setPointsVisible(markers);
        fail->replace(fails[g]);
        for (QLineSeries* s : {ulp, fail}) {
            c->addSeries(s);
            s->attachAxis(time);
            s->attachAxis(s == ulp ? static_cast<QAbstractAxis*>(ulpAxis) : failAxis);
            connect(s, &QLineSeries::clicked, this, [this, s, g](const QPointF& at) {
                // The nearest point of the series in time is the run that was clicked.
                const auto points = s->points();
                int best = -1;
                double bestDistance = 0;
                for (int i = 0; i < points.size(); ++i) {
                    const double d = std::abs(points[i].x() - at.x());
                    if (best < 0 || d < bestDistance) {
                        best = i;
                        bestDistance = d;
                    }
                }
                if (const QString run = runAt(g, best); !run.isEmpty()) emit runClicked(run);
            });
        }
        // One legend entry per group: the dashed twin shares its colour.
        for (QLegendMarker* marker : c->legend()->markers(fail))
            marker->setVisible(false);
        ulpSeries_.push_back(ulp);
        failSeries_.push_back(fail);
    }
}

} // namespace ptxwb::views
