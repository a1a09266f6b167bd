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
/// Above this many points in all, lines are drawn without antialiasing and the failing-element
/// lines solid and paler instead of dashed: the dash stroker and antialiasing cost about 20 µs a
/// segment, which a 10,000-run history cannot afford within a frame.
constexpr qsizetype kMaxPointsForFinePens = 2000;
/// Max ULP spans 0 to 2^32 (NaN saturates), so its axis is logarithmic; a log axis has no zero,
/// and a check at 0 ULP is drawn on the axis floor instead.
constexpr double kUlpFloor = 0.5;

/// At most two points (the lowest and the highest, in time order) per horizontal pixel of a
/// `pixels`-wide plot over [x0, x1]: what a line of more points would draw anyway, with every
/// spike kept, so one failing run among thousands still shows.
QList<QPointF> decimate(const QList<QPointF>& points, double x0, double x1, int pixels) {
    if (points.size() <= 2 * qsizetype(pixels) || !(x1 > x0)) return points;
    QList<QPointF> out;
    out.reserve(2 * pixels + 2);
    const double perPixel = pixels / (x1 - x0);
    qsizetype i = 0;
    while (i < points.size()) {
        const auto bucket = static_cast<std::int64_t>((points[i].x() - x0) * perPixel);
        qsizetype low = i, high = i;
        for (++i; i < points.size() &&
                  static_cast<std::int64_t>((points[i].x() - x0) * perPixel) == bucket;
             ++i) {
            if (points[i].y() < points[low].y()) low = i;
            if (points[i].y() > points[high].y()) high = i;
        }
        out.append(points[std::min(low, high)]);
        if (low != high) out.append(points[std::max(low, high)]);
    }
    return out;
}

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
    times_.clear();
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
    times_.assign(groupIndex.size(), {});
    double topUlp = 0, topFail = 0;
    for (const auto& p : trend.points) {
        auto it = groupIndex.find({p.driverVersion, p.smArch});
        if (it == groupIndex.end()) { // groups came from elsewhere: still draw the point
            it = groupIndex.emplace(std::make_pair(p.driverVersion, p.smArch), ulps.size()).first;
            ulps.emplace_back();
            fails.emplace_back();
            runs_.emplace_back();
            times_.emplace_back();
        }
        const double x = static_cast<double>(p.startedUnixMs);
        ulps[it->second].append({x, std::max(kUlpFloor, static_cast<double>(p.maxUlp))});
        fails[it->second].append({x, static_cast<double>(p.failingElements)});
        runs_[it->second].append(QString::fromStdString(p.runUuid));
        times_[it->second].push_back(x);
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

    // Decimate to the plot's width (the widget's width bounds it) before Qt Charts sees them.
    const int pixels = std::max(200, width());
    const double x0 = static_cast<double>(first), x1 = static_cast<double>(last);
    qsizetype drawn = 0;
    for (std::size_t g = 0; g < ulps.size(); ++g) {
        ulps[g] = decimate(ulps[g], x0, x1, pixels);
        fails[g] = decimate(fails[g], x0, x1, pixels);
        drawn += ulps[g].size() + fails[g].size();
    }
    const bool finePens = drawn <= kMaxPointsForFinePens;
    setRenderHint(QPainter::Antialiasing, finePens);

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
        QColor pale = colour;
        pale.setAlpha(110);
        fail->setPen(finePens ? QPen(colour, 1.5, Qt::DashLine) : QPen(pale, 1));
        fail->setPointsVisible(markers);
        fail->replace(fails[g]);
        for (QLineSeries* s : {ulp, fail}) {
            c->addSeries(s);
            s->attachAxis(time);
            s->attachAxis(s == ulp ? static_cast<QAbstractAxis*>(ulpAxis) : failAxis);
            connect(s, &QLineSeries::clicked, this, [this, g](const QPointF& at) {
                // The run nearest in time to the click (series may be decimated: search all).
                const std::vector<double>& times = times_[g];
                const auto it = std::lower_bound(times.begin(), times.end(), at.x());
                std::size_t best = times.size() - 1; // past the last run: the last
                if (it != times.end()) {
                    best = std::size_t(it - times.begin());
                    if (best > 0 && at.x() - times[best - 1] < *it - at.x()) --best;
                }
                if (const QString run = runAt(g, int(best)); !run.isEmpty()) emit runClicked(run);
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
