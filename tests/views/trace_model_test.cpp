// The Trace view: TraceTreeModel under QAbstractItemModelTester (layers and ops in order of
// first launch, launch columns, roles), TraceView reading a run from a history written with
// core/store's writer (uuid prefix, errors for unknown runs and runs without launches), the PTX
// the run recorded, and double-click asking for a kernel's entry.

#include "qtest_main.h"
#include "trace_fixture.h"
#include "trace_path_badge.h"
#include "trace_tree_model.h"
#include "trace_view.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTreeView>

using namespace ptxwb::views;
using ptxwb::testing::traceFixtureRun;
using namespace Qt::StringLiterals;

class TraceModelTest : public QObject {
    Q_OBJECT
private slots:
    void groupsLaunchesByLayerThenOpInFirstLaunchOrder() {
        TraceTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto launches = traceFixtureRun().traceLaunches;
        std::reverse(launches.begin(), launches.end()); // the model sorts by seq
        model.setLaunches(launches);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, 0).data().toString(), u"outside layers"_s);
        QCOMPARE(model.index(1, 0).data().toString(), u"layer 0"_s);
        QCOMPARE(model.index(2, 0).data().toString(), u"layer 1"_s);
        const QModelIndex outside = model.index(0, 0);
        QCOMPARE(model.rowCount(outside), 2); // embedding first, the output head last
        QCOMPARE(model.index(0, 0, outside).data().toString(), u"embedding"_s);
        QCOMPARE(model.index(1, 0, outside).data().toString(), u"output"_s);
        QCOMPARE(outside.data(TraceTreeModel::LaunchCountRole).toInt(), 2);
        QCOMPARE(model.index(0, TraceTreeModel::KernelColumn).data().toString(),
                 u"2 ops, 2 launches"_s);

        const QModelIndex layer0 = model.index(1, 0);
        QCOMPARE(model.rowCount(layer0), 4);
        QStringList ops;
        for (int r = 0; r < 4; ++r)
            ops << model.index(r, 0, layer0).data().toString();
        QCOMPARE(ops, (QStringList{u"attn_norm"_s, u"rope_q"_s, u"kv_scatter"_s, u"rope_k"_s}));
        const QModelIndex scatterOp = model.index(2, 0, layer0);
        QCOMPARE(model.index(2, TraceTreeModel::KernelColumn, layer0).data().toString(),
                 u"KvScatterIndirect (1 launch)"_s);
        QCOMPARE(scatterOp.data(TraceTreeModel::EntryRole).toString(), u"kv_scatter_indirect"_s);
        QCOMPARE(model.parent(model.index(0, 0, scatterOp)), scatterOp);
        QCOMPARE(model.parent(scatterOp), layer0);
    }

    void launchRowsShowGeometryPathAndThePositionRead() {
        TraceTreeModel model;
        model.setLaunches(traceFixtureRun().traceLaunches);
        const QModelIndex layer1 = model.index(2, 0);
        const QModelIndex scatterOp = model.index(2, 0, layer1);
        auto cell = [&](int column) { return model.index(0, column, scatterOp).data().toString(); };
        QCOMPARE(cell(TraceTreeModel::LaunchColumn), u"#7"_s);
        QCOMPARE(cell(TraceTreeModel::KernelColumn), u"KvScatterIndirect"_s);
        QCOMPARE(cell(TraceTreeModel::GridColumn), u"32×4×1"_s);
        QCOMPARE(cell(TraceTreeModel::BlockColumn), u"128×1×1"_s);
        QCOMPARE(cell(TraceTreeModel::SharedColumn), u"512"_s);
        QCOMPARE(cell(TraceTreeModel::RegistersColumn), u"40"_s);
        QCOMPARE(cell(TraceTreeModel::PathColumn), u"indirect"_s);
        QCOMPARE(cell(TraceTreeModel::PositionColumn), u"0"_s);
        QCOMPARE(cell(TraceTreeModel::ParamsColumn), u"position_buf=-> position_buf+0"_s);
        QCOMPARE(cell(TraceTreeModel::DurationColumn), u"2.5"_s);
        const QModelIndex launch = model.index(0, 0, scatterOp);
        QCOMPARE(model.launchAt(launch)->seq, 7u);
        QVERIFY(model.launchAt(scatterOp) == nullptr);
        QCOMPARE(launch.data(TraceTreeModel::SeqRole).toULongLong(), 7ull);

        // A direct launch reads no position; a launch with no position path shows no badge.
        const QModelIndex rope = model.index(0, 0, model.index(1, 0, layer1));
        QCOMPARE(rope.siblingAtColumn(TraceTreeModel::PathColumn).data().toString(), u"direct"_s);
        QVERIFY(!rope.siblingAtColumn(TraceTreeModel::PositionColumn).data().isValid());
        QCOMPARE(rope.siblingAtColumn(TraceTreeModel::ParamsColumn).data().toString(), u"pos=3"_s);
        const QModelIndex norm = model.index(0, 0, model.index(0, 0, layer1));
        QCOMPARE(norm.siblingAtColumn(TraceTreeModel::PathColumn).data().toString(), QString());
        QCOMPARE(norm.siblingAtColumn(TraceTreeModel::ParamsColumn).data().toString(),
                 u"M=4  eps=1e-05"_s);
        QVERIFY(tracePathColour(u"indirect"_s) != tracePathColour(u"direct"_s));
        QVERIFY(!tracePathColour(QString()).isValid());

        // A launch replayed from a CUDA graph carries a second badge.
        auto launches = traceFixtureRun().traceLaunches;
        for (auto& l : launches)
            if (l.seq == 7) l.fromGraph = true;
        model.setLaunches(launches);
        QCOMPARE(model.index(0, TraceTreeModel::PathColumn, model.index(2, 0, model.index(2, 0)))
                     .data()
                     .toString(),
                 u"indirect graph"_s);
        QVERIFY(tracePathColour(u"graph"_s).isValid());
    }

    void anOpOfSeveralKernelsNamesNoSingleKernel() {
        using ptxwb::testing::traceLaunch;
        TraceTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLaunches({traceLaunch(0, 0, "ffn_down", "GemvQ6K", "gemv_q6k"),
                           traceLaunch(1, 0, "ffn_down", "GemvQ6KBatched", "gemv_q6k_batched"),
                           traceLaunch(2, 0, "ffn_down", "GemvQ6K", "gemv_q6k")});
        const QModelIndex op = model.index(0, 0, model.index(0, 0));
        QCOMPARE(op.siblingAtColumn(TraceTreeModel::KernelColumn).data().toString(),
                 u"2 kernels, 3 launches"_s);
        QCOMPARE(op.data(TraceTreeModel::KernelRole).toString(), QString());
        QCOMPARE(op.data(TraceTreeModel::LaunchCountRole).toInt(), 3);
        model.setLaunches({});
        QCOMPARE(model.rowCount(), 0);
    }

    void entryLineIsFoundInPtx() {
        QFile file(QStringLiteral(PTXWB_VIEWS_TEST_DATA "/rmsnorm_pair.ptx"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray ptx = file.readAll();
        QCOMPARE(ptxEntryLine(ptx, u"rmsnorm_f32"_s), 16);
        QCOMPARE(ptxEntryLine(ptx, u"batched_rmsnorm_f32"_s), 67);
        QCOMPARE(ptxEntryLine(ptx, u"rmsnorm"_s), 0); // a prefix is not the entry
    }

    void viewLoadsRunByUuidPrefixAndOpensItsPtx() {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"history.sqlite"_s);
        QCOMPARE(ptxwb::testing::writeTraceFixture(db), QString());
        TraceView view;
        QString error;
        QVERIFY2(view.loadRun(db, u"5e1f0c2a"_s, &error), qPrintable(error));
        QCOMPARE(view.runUuid(), u"5e1f0c2a-7b3d-4c8e-9a10-2b3c4d5e6f70"_s);
        QCOMPARE(view.title(), u"Trace 5e1f0c2a"_s);
        QCOMPARE(view.model()->launches().size(), std::size_t(10));
        const QString header = view.headerLabel()->text();
        QVERIFY2(header.contains(u"model tiny-llama.gguf"_s) &&
                     header.contains(u"NVIDIA H100 80GB HBM3 sm_90"_s) &&
                     header.contains(u"10 launches"_s) && header.contains(u"prefill=batched"_s),
                 qPrintable(header));

        const auto ptx = view.ptxOf(u"RmsNormF32 Batched"_s, u"batched_rmsnorm_f32"_s, &error);
        QVERIFY2(ptx.has_value(), qPrintable(error));
        QCOMPARE(ptxEntryLine(*ptx, u"batched_rmsnorm_f32"_s), 67);
        QVERIFY(!view.ptxOf(u"RopeNeox"_s, u"rope_neox"_s, &error));
        QCOMPARE(error, u"run 5e1f0c2a holds no PTX of RopeNeox"_s);

        // Double-click on a launch asks for its kernel's entry; on a layer it asks nothing.
        view.resize(1100, 420);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy open(&view, &TraceView::openKernelEntry);
        QTreeView* tree = view.treeView();
        const QModelIndex layer0 = tree->model()->index(1, 0);
        tree->expand(layer0);
        const QModelIndex normOp = tree->model()->index(0, 0, layer0);
        tree->expand(normOp);
        const QModelIndex launch = tree->model()->index(0, 0, normOp);
        tree->scrollTo(launch);
        const QPoint at = tree->visualRect(launch).center();
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).toString(), u"RmsNormF32 Batched"_s);
        QCOMPARE(open.at(0).at(1).toString(), u"batched_rmsnorm_f32"_s);
        const QPoint layerAt = tree->visualRect(layer0).center();
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, layerAt);
        QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, layerAt);
        QCOMPARE(open.count(), 1);

        // The filter keeps the groups of matching launches.
        view.filterEdit()->setText(u"indirect"_s);
        QCOMPARE(view.filterModel()->rowCount(), 2);
        QCOMPARE(view.filterModel()->rowCount(view.filterModel()->index(0, 0)), 1);
        view.filterEdit()->clear();
        tree->expandAll();
        QVERIFY(view.grab().save(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/trace_view.png")));
    }

    void unknownRunsAndRunsWithoutLaunchesSayWhy() {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"history.sqlite"_s);
        QCOMPARE(ptxwb::testing::writeTraceFixture(db), QString());
        TraceView view;
        QString error;
        QVERIFY(!view.loadRun(db, u"a11a1a1a"_s, &error));
        QCOMPARE(error,
                 u"run a11a1a1a (analyze) recorded no kernel launches; trace and qa runs do"_s);
        QVERIFY(!view.loadRun(db, u"ffff"_s, &error));
        QVERIFY2(error.contains(u"ffff"_s), qPrintable(error));
        QVERIFY(!view.loadRun(dir.filePath(u"missing.sqlite"_s), u"5e1f"_s, &error));
        QVERIFY2(error.contains(u"missing.sqlite"_s), qPrintable(error));
    }
};

PTXWB_QTEST_CLASS(TraceModelTest);
#include "trace_model_test.moc"
