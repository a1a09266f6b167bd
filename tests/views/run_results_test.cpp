// A check's trend chart (one series per driver/architecture, points from the store), the run
// comparison model under QAbstractItemModelTester and the comparison view with its PTX diff.

#include "check_trend_chart.h"
#include "heatmap_panel.h"
#include "heatmap_view.h"
#include "history_fixture.h"
#include "parity_results_model.h"
#include "ptx_text_view.h"
#include "qtest_main.h"
#include "run_compare_model.h"
#include "run_compare_view.h"
#include "run_results_page.h"
#include "side_by_side_view.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <sqlite3.h>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {

QString artifact(const char* name) {
    return QDir(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR)).filePath(QString::fromLatin1(name));
}

/// The failing check of a bug run (a default check, which fails every comparison, if absent).
store::Check failingCheckOf(const store::Run& run) {
    for (const auto& c : run.checks)
        if (c.name == kFailingCheck) return c;
    return {};
}

store::fixtures::ParityRunOptions bugRun() {
    store::fixtures::ParityRunOptions o;
    o.seed = 2;
    o.withDequantBug = true;
    o.driverVersion = "555.42.02";
    o.startedUnixMs = kFixtureStartMs + kHourMs;
    return o;
}

} // namespace

class RunResultsTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    HistoryFixture runs_;
    std::shared_ptr<store::HistoryStore> history_;

private slots:
    void initTestCase() {
        db_ = dir_.filePath(QStringLiteral("history.sqlite"));
        QString error;
        runs_ = writeHistoryFixture(db_, &error);
        QVERIFY2(!runs_.failing.empty(), qPrintable(error));
        auto opened =
            store::HistoryStore::open(db_.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(opened);
        history_ = std::make_shared<store::HistoryStore>(std::move(*opened));
    }

    void trendHasOneSeriesPerDriverAndArchitecture() {
        auto trend = history_->trend(kFailingCheck);
        QVERIFY(trend);
        QCOMPARE(trend->points.size(), std::size_t(3));
        CheckTrendChart chart;
        chart.resize(760, 420);
        chart.setTrend(*trend);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        // (550.54.15, sm_89) L40S, (550.54.15, sm_90) passing H100, (555.42.02, sm_90) bug.
        QCOMPARE(chart.maxUlpSeries().size(), std::size_t(3));
        QCOMPARE(chart.failingSeries().size(), std::size_t(3));
        QCOMPARE(chart.chart()->series().size(), 6);
        QCOMPARE(chart.maxUlpSeries()[0]->name(), QStringLiteral("driver 550.54.15 · sm_89"));
        QCOMPARE(chart.maxUlpSeries()[1]->name(), QStringLiteral("driver 550.54.15 · sm_90"));
        QCOMPARE(chart.maxUlpSeries()[2]->name(), QStringLiteral("driver 555.42.02 · sm_90"));
        int visibleMarkers = 0;
        for (QLegendMarker* m : chart.chart()->legend()->markers())
            visibleMarkers += m->isVisible();
        QCOMPARE(visibleMarkers, 3); // the dashed twins share their group's entry

        const store::Check bug = failingCheckOf(store::fixtures::makeParityRun(bugRun()));
        const QPointF bugUlp = chart.maxUlpSeries()[2]->at(0);
        QCOMPARE(bugUlp.x(), double(kFixtureStartMs + kHourMs));
        QCOMPARE(bugUlp.y(), double(bug.maxUlp));
        QCOMPARE(chart.failingSeries()[2]->at(0).y(), double(bug.counts.failing()));
        QCOMPARE(chart.maxUlpSeries()[1]->at(0).y(), 0.5); // the passing run: 0 on a log axis
        QCOMPARE(chart.runAt(2, 0), QString::fromStdString(runs_.failing));

        QSignalSpy clicked(&chart, &CheckTrendChart::runClicked);
        emit chart.maxUlpSeries()[0]->clicked(QPointF(kFixtureStartMs + 2 * kHourMs + 5, 3));
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.last().at(0).toString(), QString::fromStdString(runs_.l40s));
        QVERIFY(chart.grab().save(artifact("trend_chart.png")));
    }

    void thousandsOfRunsKeepEverySpike() {
        store::CheckTrend trend;
        trend.checkName = "c";
        for (int i = 0; i < 5000; ++i) {
            store::TrendPoint p;
            p.runUuid = "run-" + std::to_string(i);
            p.startedUnixMs = kFixtureStartMs + std::int64_t{i} * 1000;
            p.driverVersion = "550.54.15";
            p.smArch = "sm_90";
            p.maxUlp = i == 3217 ? 123456 : 1;
            p.failingElements = i == 4000 ? 99 : 0;
            trend.points.push_back(p);
        }
        trend.groups = store::groupTrend(trend.points);
        CheckTrendChart chart;
        chart.resize(600, 300);
        chart.setTrend(trend);
        QLineSeries* ulp = chart.maxUlpSeries().at(0);
        QVERIFY2(ulp->count() <= 2 * 600 + 2, qPrintable(QString::number(ulp->count())));
        double top = 0, topFail = 0;
        for (const QPointF& p : ulp->points())
            top = std::max(top, p.y());
        for (const QPointF& p : chart.failingSeries().at(0)->points())
            topFail = std::max(topFail, p.y());
        QCOMPARE(top, 123456.0);
        QCOMPARE(topFail, 99.0);
        // A click finds the nearest run among all 5000, not among the drawn points.
        QSignalSpy clicked(&chart, &CheckTrendChart::runClicked);
        emit ulp->clicked(QPointF(kFixtureStartMs + 3217 * 1000 + 400, 5));
        QCOMPARE(clicked.last().at(0).toString(), QStringLiteral("run-3217"));
        emit ulp->clicked(QPointF(kFixtureStartMs + 3217 * 1000 + 600, 5));
        QCOMPARE(clicked.last().at(0).toString(), QStringLiteral("run-3218"));
        emit ulp->clicked(QPointF(kFixtureStartMs + 99999999, 5));
        QCOMPARE(clicked.last().at(0).toString(), QStringLiteral("run-4999"));
    }

    void checksOnModelTensorsAndHungChecksReadClearly() {
        store::Run run;
        run.uuid = "model-run";
        store::Check onTensor;
        onTensor.kind = store::CheckKind::Parity;
        onTensor.name = "BatchedQ6KGemvKernel vs Q6KGemvKernel M=1 K=512 N=128 blk.0.attn_v.weight";
        onTensor.evidence = {{"shape", "K=512 N=128"}, {"tensor", "blk.0.attn_v.weight"}, {"m", 1}};
        store::Check hung;
        hung.kind = store::CheckKind::Parity;
        hung.name = "HangBatchedResidualAdd vs ResidualAddKernel M=1 D=1000";
        hung.status = store::CheckStatus::Error;
        hung.evidence = {{"shape", "D=1000"}, {"m", 1}};
        run.checks = {onTensor, hung};
        ParityResultsModel model;
        model.setRun(run);
        QCOMPARE(model.rowCount(), 2);
        auto cell = [&](int row, int column) {
            return model.data(model.index(row, column), Qt::DisplayRole).toString();
        };
        QCOMPARE(cell(0, ParityResultsModel::ShapeColumn),
                 QStringLiteral("blk.0.attn_v.weight (K=512 N=128)"));
        QCOMPARE(cell(0, ParityResultsModel::MaxUlpColumn), QStringLiteral("0"));
        QCOMPARE(cell(1, ParityResultsModel::MaxUlpColumn), QStringLiteral("-"));
    }

    void trendOfAnUnknownCheckSaysSo() {
        auto trend = history_->trend("no such check");
        QVERIFY(trend);
        CheckTrendChart chart;
        chart.setTrend(*trend);
        QCOMPARE(chart.chart()->series().size(), 0);
        QCOMPARE(chart.chart()->title(), QStringLiteral("no such check: in no recorded run"));
        chart.clear();
        QCOMPARE(chart.chart()->axes().size(), 0);
    }

    void aDamagedMapIsReportedOnThePage() {
        // A copy of the history whose failing check's map blob is cut short.
        const QString damaged = dir_.filePath(QStringLiteral("damaged-map.sqlite"));
        QVERIFY(QFile::copy(db_, damaged));
        {
            auto db = store::SqliteConnection::open(damaged.toStdString(), SQLITE_OPEN_READWRITE);
            QVERIFY(db);
            QVERIFY(db->exec("UPDATE mismatch_map SET encoded = substr(encoded, 1, 20)"));
        }
        auto opened = store::HistoryStore::open(damaged.toStdString(),
                                                store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(opened);
        RunResultsPage page;
        QSignalSpy problems(&page, &RunResultsPage::problemOccurred);
        QVERIFY(
            page.showRun(std::make_shared<store::HistoryStore>(std::move(*opened)), runs_.failing));
        QCOMPARE(page.title(), QStringLiteral("Run %1 (failed)")
                                   .arg(QString::fromStdString(runs_.failing.substr(0, 8))));
        QVERIFY(page.selectCheck(QString::fromLatin1(kFailingCheck)));
        QCOMPARE(problems.size(), 1);
        QCOMPARE(page.problem(),
                 damaged + QStringLiteral(": byte 20: run ") +
                     QString::fromStdString(runs_.failing) + QStringLiteral(" check '") +
                     QString::fromLatin1(kFailingCheck) +
                     QStringLiteral("': mismatch map: truncated: expected flags (4 bytes)"));
        QVERIFY(!page.heatmap()->heatmap()->hasMap());
        QCOMPARE(page.openedCheck(), QString());
        QVERIFY(!page.selectCheck(QStringLiteral("no such check")));
    }

    void compareModelListsChangedChecksFirst() {
        namespace fx = store::fixtures;
        const store::RunComparison comparison =
            store::compareRuns(withQ6kPtx(fx::makeParityRun({}), false),
                               withQ6kPtx(fx::makeParityRun(bugRun()), true));
        RunCompareModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setComparison(comparison);
        QCOMPARE(model.rowCount(), 2); // newly failing check, probe only in B
        const auto cell = [&](int row, int column) {
            return model.index(row, column).data().toString();
        };
        const store::Check bug = failingCheckOf(fx::makeParityRun(bugRun()));
        QCOMPARE(cell(0, RunCompareModel::ChangeColumn), QStringLiteral("newly failing"));
        QCOMPARE(cell(0, RunCompareModel::CheckColumn), QString::fromLatin1(kFailingCheck));
        QCOMPARE(cell(0, RunCompareModel::StatusColumn), QStringLiteral("passed → failed"));
        QCOMPARE(cell(0, RunCompareModel::MaxUlpColumn), QStringLiteral("0 → %1").arg(bug.maxUlp));
        QCOMPARE(cell(0, RunCompareModel::FailingColumn),
                 QStringLiteral("0 → %1").arg(bug.counts.failing()));
        QCOMPARE(cell(0, RunCompareModel::KernelsColumn), QStringLiteral("BatchedQ6KGemvKernel"));
        QCOMPARE(cell(1, RunCompareModel::ChangeColumn), QStringLiteral("only in B"));
        QCOMPARE(cell(1, RunCompareModel::StatusColumn), QStringLiteral("— → failed"));
        model.setIncludeSame(true);
        QCOMPARE(model.rowCount(), 13);
        QCOMPARE(cell(12, RunCompareModel::ChangeColumn), QStringLiteral("same"));
    }

    void compareViewShowsEnvironmentAndThePtxDiff() {
        RunCompareView view;
        view.resize(1200, 800);
        QVERIFY(view.showComparison(history_, runs_.passing, runs_.failing));
        QCOMPARE(view.title(),
                 QStringLiteral("%1 ↔ %2").arg(QString::fromStdString(runs_.passing.substr(0, 8)),
                                               QString::fromStdString(runs_.failing.substr(0, 8))));
        QTreeWidget* env = view.environmentTree();
        const auto driver = env->findItems(QStringLiteral("driver_version"), Qt::MatchExactly);
        QCOMPARE(driver.size(), 1);
        QCOMPARE(driver[0]->text(1), QStringLiteral("550.54.15"));
        QCOMPARE(driver[0]->text(2), QStringLiteral("555.42.02"));
        QCOMPARE(view.kernelTree()->topLevelItemCount(), 1);
        QCOMPARE(view.kernelTree()->topLevelItem(0)->text(0),
                 QStringLiteral("BatchedQ6KGemvKernel"));
        QVERIFY(!view.ptxMessage().isEmpty()); // nothing picked yet

        // Selecting the newly failing check shows its changed kernel's two PTX texts.
        view.checksTable()->setCurrentIndex(view.checksModel()->index(0, 0));
        QCOMPARE(view.ptxMessage(), QString());
        SideBySideView* diff = view.ptxDiff();
        QCOMPARE(diff->alignment().changed, 1u);
        const auto paneText = [&](SideBySideView::Side s) {
            return diff->pane(s)->buffer().toPlainText();
        };
        QVERIFY(paneText(SideBySideView::Left).contains(QStringLiteral("add.s64 %rd2, %rd1, 32;")));
        QVERIFY(
            paneText(SideBySideView::Right).contains(QStringLiteral("add.s64 %rd2, %rd1, 64;")));
        QVERIFY(diff->summary().startsWith(QStringLiteral("1 changed")));
        QVERIFY(view.grab().save(artifact("run_compare.png")));

        QCOMPARE(view.showKernelDiff(QStringLiteral("NoSuchKernel")),
                 QStringLiteral("Neither run has a kernel named NoSuchKernel."));
        QCOMPARE(view.ptxMessage(), QStringLiteral("Neither run has a kernel named NoSuchKernel."));
    }

    void compareWithAKernelInOneRunOnly() {
        RunCompareView view;
        QVERIFY(view.showComparison(history_, runs_.passing, runs_.hostile));
        QCOMPARE(view.showKernelDiff(QStringLiteral("BatchedQ6KGemvKernel")),
                 QStringLiteral("BatchedQ6KGemvKernel is only in run A: there is nothing to "
                                "compare it with."));
        QVERIFY(!view.showComparison(history_, runs_.passing, "not-a-run"));
    }
};
PTXWB_QTEST_CLASS(RunResultsTest);

#include "run_results_test.moc"
