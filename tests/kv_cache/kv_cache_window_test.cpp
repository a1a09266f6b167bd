// The KV-cache view inside the workbench window: opened from the Run History dock's database,
// refused for a run without KV maps, and a writer launch one click away in the run's trace.

// clang-format off
// First: core headers use names (emit) that Qt defines as macros.
#include "kv_cache_fixture.h"
// clang-format on

#include "gpu_info_source.h"
#include "kv_cache_view.h"
#include "log_view.h"
#include "main_window.h"
#include "qtest_main.h"
#include "trace_tree_model.h"
#include "trace_view.h"

#include <QListWidget>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {
/// No GPU information: the window's About dialog and device picker are not under test here.
class NoGpuInfoSource : public GpuInfoSource {
public:
    void request() override { emit failed(QStringLiteral("not asked in this test")); }
};
} // namespace

class KvCacheWindowTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QTemporaryDir settingsDir_;
    KvFixtureHistory fixture_;
    NoGpuInfoSource gpu_;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        fixture_ = writeKvFixtureHistory(dir_.filePath(QStringLiteral("h.sqlite")).toStdString());
    }

    void writerLaunchOpensTheTraceAtThatLaunch() {
        MainWindow window(&gpu_);
        window.resize(1480, 920);
        QVERIFY(window.openHistoryDatabase(QString::fromStdString(fixture_.path)));
        const QString stale = QString::fromStdString(fixture_.staleUuid);
        KvCacheView* view = window.openKvCacheOfRun(stale.left(8));
        QVERIFY(view);
        QCOMPARE(window.editorTabs()->currentWidget(), view);
        QCOMPARE(window.editorTabs()->tabText(window.editorTabs()->currentIndex()),
                 QStringLiteral("KV cache ") + stale.left(8));
        view->selectHead(1, QStringLiteral("v"), 0);
        QCOMPARE(view->selectedPosition(), 0); // written 6 times
        QVERIFY(view->writerList()->count() > 1);
        const quint32 seq = view->writerList()->item(1)->data(Qt::UserRole).value<quint32>();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.grab().save(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/main_window_kv.png")));

        QListWidgetItem* item = view->writerList()->item(1);
        QTest::mouseClick(view->writerList()->viewport(), Qt::LeftButton, {},
                          view->writerList()->visualItemRect(item).center());
        auto* trace = qobject_cast<TraceView*>(window.editorTabs()->currentWidget());
        QVERIFY(trace);
        QCOMPARE(trace->runUuid(), stale);
        const QModelIndex current = trace->treeView()->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(current.data(TraceTreeModel::SeqRole).toUInt(), seq);
        QVERIFY(window.grab().save(
            QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/main_window_kv_trace.png")));
    }

    void runWithoutMapsIsRefusedWithTheReason() {
        MainWindow window(&gpu_);
        QVERIFY(window.openHistoryDatabase(QString::fromStdString(fixture_.path)));
        const int tabs = window.editorTabs()->count();
        QVERIFY(!window.openKvCacheOfRun(QString::fromStdString(fixture_.otherUuid)));
        QCOMPARE(window.editorTabs()->count(), tabs);
        QVERIFY(window.log()->toPlainText().contains(
            QStringLiteral("Cannot open the KV cache of run ") +
            QString::fromStdString(fixture_.otherUuid)));
    }
};

PTXWB_QTEST_CLASS(KvCacheWindowTest);
#include "kv_cache_window_test.moc"
