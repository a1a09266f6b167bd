#include "run_results_page.h"

#include "check_trend_chart.h"
#include "heatmap_panel.h"
#include "parity_results_model.h"
#include "parity_results_view.h"
#include "run_history_model.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ptxwb::views {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// Two lines: what ran where, and how to run it again.
QString headerText(const store::RunSummary& run) {
    const store::Environment& e = run.environment;
    QStringList where;
    for (const std::string* field : {&e.gpuName, &e.smArch})
        if (!field->empty()) where << qs(*field);
    if (!e.driverVersion.empty()) where << QObject::tr("driver %1").arg(qs(e.driverVersion));
    if (!e.toolkitVersion.empty()) where << QObject::tr("toolkit %1").arg(qs(e.toolkitVersion));
    if (!e.kernelSetName.empty()) where << QObject::tr("kernel set %1").arg(qs(e.kernelSetName));
    // The recorded reason ("2 of 13 checks failed", a GPU fault) says it best; else the counts.
    const QString status = QString::fromLatin1(store::runStatusName(run.status));
    const QString first =
        run.statusReason.empty()
            ? QObject::tr("Run %1 — %2, %3 of %4 checks failing")
                  .arg(qs(run.uuid), status)
                  .arg(run.failedCheckCount)
                  .arg(run.checkCount)
            : QObject::tr("Run %1 — %2: %3").arg(qs(run.uuid), status, qs(run.statusReason));
    QStringList lines{first, RunHistoryModel::formatStarted(run.startedUnixMs) +
                                 QStringLiteral(" UTC  ·  ") + where.join(QStringLiteral("  ·  "))};
    if (!run.commandLine.empty()) lines << qs(store::shellCommandLine(run.commandLine));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

RunResultsPage::RunResultsPage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout();
    header_ = new QLabel(this);
    header_->setObjectName(QStringLiteral("runHeader"));
    header_->setTextFormat(Qt::PlainText); // names and reasons are data, never markup
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Three explicit lines; word wrap would make the layout guess the label's height too small.
    header_->setWordWrap(false);
    header_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    auto* exportButton = new QPushButton(tr("Export Report…"), this);
    auto* copyButton = new QPushButton(tr("Copy as Issue Text"), this);
    top->addWidget(header_, 1);
    top->addWidget(exportButton, 0, Qt::AlignTop);
    top->addWidget(copyButton, 0, Qt::AlignTop);
    layout->addLayout(top);
    problemLabel_ = new QLabel(this);
    problemLabel_->setTextFormat(Qt::PlainText);
    problemLabel_->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    problemLabel_->setWordWrap(true);
    problemLabel_->hide();
    layout->addWidget(problemLabel_);

    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setObjectName(QStringLiteral("runResultsSplitter"));
    results_ = new ParityResultsView(splitter_);
    details_ = new QTabWidget(splitter_);
    details_->setDocumentMode(true);
    heatmap_ = new HeatmapPanel(details_);
    trend_ = new CheckTrendChart(details_);
    details_->addTab(heatmap_, tr("&Heatmap"));
    details_->addTab(trend_, tr("&Trend Across Runs"));
    splitter_->addWidget(results_);
    splitter_->addWidget(details_);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 3);
    splitter_->setSizes({200, 600}); // a dozen checks above, the heatmap below
    layout->addWidget(splitter_, 1);

    connect(results_, &ParityResultsView::checkOpened, this, &RunResultsPage::openCheck);
    connect(results_, &ParityResultsView::loadFailed, this, &RunResultsPage::showProblem);
    connect(trend_, &CheckTrendChart::runClicked, this, &RunResultsPage::runActivated);
    connect(exportButton, &QPushButton::clicked, this, [this] { emit exportRequested(uuid_); });
    connect(copyButton, &QPushButton::clicked, this,
            [this] { emit copyIssueTextRequested(uuid_); });
}

Status RunResultsPage::showRun(std::shared_ptr<store::HistoryStore> history,
                               const std::string& uuid) {
    store::LoadOptions light;
    light.mismatchMaps = false;
    PTXWB_TRY(store::Run run, history->loadRun(uuid, light));
    uuid_ = qs(uuid);
    status_ = QString::fromLatin1(store::runStatusName(run.status));
    header_->setText(headerText(store::summarize(run)));
    history_ = history;
    results_->showRun(std::move(history), std::move(run));
    openedCheck_.clear();
    problem_.clear();
    problemLabel_->hide();
    heatmap_->clear();
    trend_->clear();
    // Open the check a triage starts from: the first failing one in the table's order (else the
    // first row), so the heatmap shows something as soon as the run opens.
    QAbstractItemModel* shown = results_->model();
    int pick = shown->rowCount() > 0 ? 0 : -1;
    for (int row = 0; row < shown->rowCount(); ++row) {
        const QModelIndex failing = shown->index(row, ParityResultsModel::FailingColumn);
        if (failing.data(ParityResultsModel::SortRole).toULongLong() > 0) {
            pick = row;
            break;
        }
    }
    if (pick >= 0) results_->setCurrentIndex(shown->index(pick, 0));
    return {};
}

QString RunResultsPage::title() const {
    return tr("Run %1 (%2)").arg(uuid_.left(8), status_);
}

bool RunResultsPage::selectCheck(const QString& name) {
    QAbstractItemModel* shown = results_->model();
    for (int row = 0; row < shown->rowCount(); ++row) {
        const QModelIndex index = shown->index(row, 0);
        if (index.data(ParityResultsModel::CheckNameRole).toString() == name) {
            results_->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

void RunResultsPage::openCheck(std::shared_ptr<store::Check> check) {
    if (!check) return;
    openedCheck_ = qs(check->name);
    const std::string name = check->name;
    heatmap_->setCheck(std::move(*check));
    auto trend = history_->trend(name);
    if (trend)
        trend_->setTrend(*trend);
    else
        showProblem(tr("Trend of %1: %2").arg(qs(name), qs(trend.error().format())));
}

void RunResultsPage::showProblem(const QString& message) {
    problem_ = message;
    problemLabel_->setText(message);
    problemLabel_->show();
    emit problemOccurred(message);
}

} // namespace ptxwb::views
