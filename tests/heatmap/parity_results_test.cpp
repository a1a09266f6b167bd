// The parity results model under QAbstractItemModelTester, and the results view opening a
// check's mismatch map from the history store when a row is selected.

#include "heatmap_fixtures.h"
#include "parity_results_model.h"
#include "parity_results_view.h"
#include "qtest_main.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {

store::Check check(const char* name, store::CheckStatus status, std::uint32_t maxUlp) {
    store::Check c;
    c.kind = store::CheckKind::Parity;
    c.name = name;
    c.status = status;
    c.maxUlp = maxUlp;
    return c;
}

store::Run runOfThreeChecks() {
    store::Run run;
    run.uuid = store::newRunUuid();
    run.command = "parity";
    run.status = store::RunStatus::Failed;
    // Evidence as parity's JSON writes it.
    store::Check passed =
        check("BatchedRmsNormKernel vs RmsNormKernel M=8 4096", store::CheckStatus::Passed, 0);
    passed.evidence = {{"candidate", "BatchedRmsNormKernel"},
                       {"reference", "RmsNormKernel"},
                       {"m", 8},
                       {"shape", "1x4096"},
                       {"summary", "bit-identical"}};
    // Only the name: M and shape are parsed from it; the worst evidence is the first mismatch.
    store::Check failed =
        check("BatchedGemvKernel vs GemvKernel M=64 64x64", store::CheckStatus::Failed, 37);
    failed.mismatchMap = mapWith(64, 64, smallMapElements());
    failed.counts = failed.mismatchMap->counts();
    failed.firstMismatches = {smallMapMismatchValues()};
    store::Check error =
        check("BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x14336", store::CheckStatus::Error, 0);
    error.evidence = {{"error", "CUDA_ERROR_ILLEGAL_ADDRESS in batched_q6k_gemv"}};
    store::Check trace = check("decode trace", store::CheckStatus::Passed, 0);
    trace.kind = store::CheckKind::Trace; // not a parity result: not listed
    run.checks = {passed, failed, error, trace};
    return run;
}

} // namespace

class ParityResultsTest : public QObject {
    Q_OBJECT
private slots:
    void modelPassesTheTesterAndShowsEachCheck() {
        ParityResultsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(runOfThreeChecks());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(ParityResultsModel::ColumnCount));
        const auto cell = [&](int row, int column) {
            return model.index(row, column).data().toString();
        };
        QCOMPARE(cell(0, ParityResultsModel::PairColumn),
                 QStringLiteral("BatchedRmsNormKernel vs RmsNormKernel"));
        QCOMPARE(cell(0, ParityResultsModel::ShapeColumn), QStringLiteral("1x4096"));
        QCOMPARE(cell(0, ParityResultsModel::MColumn), QStringLiteral("8"));
        QCOMPARE(cell(0, ParityResultsModel::EvidenceColumn), QStringLiteral("bit-identical"));
        QCOMPARE(cell(1, ParityResultsModel::PairColumn),
                 QStringLiteral("BatchedGemvKernel vs GemvKernel"));
        QCOMPARE(cell(1, ParityResultsModel::MColumn), QStringLiteral("64"));
        QCOMPARE(cell(1, ParityResultsModel::ShapeColumn), QStringLiteral("64x64"));
        QCOMPARE(cell(1, ParityResultsModel::StatusColumn), QStringLiteral("failed"));
        QCOMPARE(cell(1, ParityResultsModel::FailingColumn), QStringLiteral("4"));
        QCOMPARE(cell(1, ParityResultsModel::EvidenceColumn),
                 QStringLiteral("first at row 5, col 7: 1.25000441 vs 1.25 (mismatch, 37 ULP)"));
        QCOMPARE(cell(2, ParityResultsModel::ShapeColumn), QStringLiteral("4096x14336"));
        QCOMPARE(cell(2, ParityResultsModel::EvidenceColumn),
                 QStringLiteral("CUDA_ERROR_ILLEGAL_ADDRESS in batched_q6k_gemv"));
        QCOMPARE(model.index(1, ParityResultsModel::StatusColumn).data(Qt::BackgroundRole),
                 QVariant(ParityResultsModel::statusColour(store::CheckStatus::Failed)));
        QVERIFY(ParityResultsModel::statusColour(store::CheckStatus::Failed) !=
                ParityResultsModel::statusColour(store::CheckStatus::Passed));
        QCOMPARE(model.index(2, 0).data(ParityResultsModel::CheckNameRole).toString(),
                 QStringLiteral("BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x14336"));
        QCOMPARE(
            model.headerData(ParityResultsModel::EvidenceColumn, Qt::Horizontal, Qt::DisplayRole)
                .toString(),
            QStringLiteral("Worst evidence"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void selectingARowOpensItsMapFromTheStore() {
        QTemporaryDir dir;
        const store::Run run = runOfThreeChecks();
        auto opened = store::HistoryStore::open(dir.filePath(QStringLiteral("h.db")).toStdString());
        QVERIFY(opened);
        QVERIFY(opened->insertRun(run));
        auto history = std::make_shared<store::HistoryStore>(std::move(*opened));

        ParityResultsView view;
        QSignalSpy spy(&view, &ParityResultsView::checkOpened);
        store::LoadOptions light;
        light.mismatchMaps = false;
        auto loaded = history->loadRun(run.uuid, light);
        QVERIFY(loaded);
        view.showRun(history, std::move(*loaded));
        // Worst status first: error, failed, passed.
        const QAbstractItemModel* shown = view.model();
        QCOMPARE(shown->index(0, ParityResultsModel::StatusColumn).data().toString(),
                 QStringLiteral("error"));
        QCOMPARE(shown->index(1, ParityResultsModel::StatusColumn).data().toString(),
                 QStringLiteral("failed"));
        view.setCurrentIndex(shown->index(1, 0));
        QCOMPARE(spy.count(), 1);
        auto check = spy.takeFirst().at(0).value<std::shared_ptr<store::Check>>();
        QVERIFY(check);
        QCOMPARE(check->name, std::string("BatchedGemvKernel vs GemvKernel M=64 64x64"));
        QVERIFY(check->mismatchMap);
        QCOMPARE(check->mismatchMap->category(40, 63), ElementCategory::Overrun);
        QCOMPARE(check->firstMismatches.size(), std::size_t{1});
        // A check without a map opens with none.
        view.setCurrentIndex(shown->index(0, 0));
        QCOMPARE(spy.count(), 1);
        QVERIFY(!spy.takeFirst().at(0).value<std::shared_ptr<store::Check>>()->mismatchMap);
    }
};

PTXWB_QTEST_CLASS(ParityResultsTest);
#include "parity_results_test.moc"
