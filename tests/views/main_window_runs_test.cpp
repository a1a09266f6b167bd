// The Run dock and the Trace view inside the workbench window: the dock, its menu and
// shortcuts, the device picker filled from the worker's gpu-info report, F5 running the form,
// a trace run recorded by the dock opening its Trace tab, "Open Trace of Run" by uuid prefix,
// and double-click on a launch opening the run's PTX at its .entry line.

#include "gpu_info_source.h"
#include "log_view.h"
#include "main_window.h"
#include "ptx_editor.h"
#include "qtest_main.h"
#include "run_dock.h"
#include "run_form.h"
#include "run_history_panel.h"
#include "trace_fixture.h"
#include "trace_view.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>

using namespace ptxwb::views;
using namespace Qt::StringLiterals;

namespace {

/// Two GPUs, as the worker's gpu-info job reports them on a machine with two H100s.
class TwoGpuInfoSource : public GpuInfoSource {
public:
    void request() override {
        QString error;
        const QByteArray json = R"({"driver":{"version":13000,"cuda":"13.0"},
          "devices":[{"ordinal":0,"name":"NVIDIA H100 80GB HBM3","arch":"sm_90"},
                     {"ordinal":1,"name":"NVIDIA H100 80GB HBM3","arch":"sm_90"}],
          "nvrtc":{"version":"13.0","archs":["sm_90"]}})";
        if (auto info = parseGpuInfoJson(json, &error)) emit ready(*info);
    }
};

QAction* findAction(QMenuBar* bar, const QString& text) {
    for (QAction* menu : bar->actions())
        if (menu->menu())
            for (QAction* a : menu->menu()->actions())
                if (a->text() == text) return a;
    return nullptr;
}

} // namespace

class MainWindowRunsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", settingsDir_.path().toUtf8());
        qputenv("PTXWB_CLI", PTXWB_CLI_PATH);
        QCoreApplication::setOrganizationName(u"ptxwb-test"_s);
        QCoreApplication::setApplicationName(u"MainWindowRunsTest"_s);
        QCOMPARE(ptxwb::testing::writeTraceFixture(db()), QString());
    }

    void runDockMenuShortcutsAndDevicePicker() {
        TwoGpuInfoSource gpus;
        MainWindow window(&gpus);
        QDockWidget* dock = window.dock(u"runDock"_s);
        QVERIFY(dock);
        QCOMPARE(dock->widget(), window.runDock());
        QAction* run = findAction(window.menuBar(), u"&Run"_s);
        QAction* cancel = findAction(window.menuBar(), u"&Cancel Run"_s);
        QAction* trace = findAction(window.menuBar(), u"Open &Trace of Run…"_s);
        QVERIFY(run && cancel && trace);
        QCOMPARE(run->shortcut(), QKeySequence(Qt::Key_F5));
        QCOMPARE(cancel->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F5));
        QVERIFY(!cancel->isEnabled());
        QComboBox* devices = window.runDock()->form()->deviceBox();
        QCOMPARE(devices->count(), 2);
        QCOMPARE(devices->itemText(1), u"1: NVIDIA H100 80GB HBM3 (sm_90)"_s);
        devices->setCurrentIndex(1);
        QCOMPARE(window.runDock()->form()->options().device, 1);
    }

    void f5RunsTheFormThroughTheCli() {
        TwoGpuInfoSource gpus;
        MainWindow window(&gpus);
        QTemporaryDir dir;
        window.runDock()->setHistoryDatabase(dir.filePath(u"h.sqlite"_s));
        RunOptions o;
        o.command = RunCommand::Analyze;
        o.files = {QStringLiteral(PTXWB_VIEWS_TEST_DATA "/rmsnorm_pair.ptx")};
        window.runDock()->form()->setOptions(o);
        window.resize(1480, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy recorded(window.runDock(), &RunDock::runRecorded);
        QSignalSpy started(window.runDock(), &RunDock::runStarted);
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(started.count(), 1);
        QVERIFY(started.at(0).at(0).toStringList().contains(u"--device"_s));
        QVERIFY(recorded.wait(60000));
        QTRY_VERIFY(!window.runDock()->isRunning());
        QVERIFY(window.dock(u"runDock"_s)->isVisible());
        QVERIFY(window.log()->toPlainText().contains(u"Run finished: Analyse finished: exit 0"_s));
        QVERIFY(window.grab().save(
            QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/main_window_run_dock.png")));
    }

    void openTraceOfRunByPrefixAndItsPtx() {
        TwoGpuInfoSource gpus;
        MainWindow window(&gpus);
        window.runDock()->setHistoryDatabase(db());
        window.resize(1480, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.openTraceOfRun(u"a11a"_s));
        QVERIFY(window.log()->toPlainText().contains(
            u"Cannot open the trace of run a11a: run a11a1a1a (analyze) recorded no kernel launches"_s));

        TraceView* view = window.openTraceOfRun(u"5e1f0c"_s);
        QVERIFY(view);
        QCOMPARE(window.editorTabs()->currentWidget(), view);
        QCOMPARE(window.editorTabs()->tabText(window.editorTabs()->currentIndex()),
                 u"Trace 5e1f0c2a"_s);
        QVERIFY(
            window.grab().save(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/main_window_trace.png")));
        // Opening the same run again replaces its tab.
        const int tabs = window.editorTabs()->count();
        view = window.openTraceOfRun(u"5e1f0c2a-7b3d"_s);
        QVERIFY(view);
        QCOMPARE(window.editorTabs()->count(), tabs);

        emit view->openKernelEntry(u"RmsNormF32 Batched"_s, u"batched_rmsnorm_f32"_s);
        auto* editor = qobject_cast<PtxEditor*>(window.editorTabs()->currentWidget());
        QVERIFY(editor);
        QCOMPARE(editor->displayName(), u"RmsNormF32 Batched (run 5e1f0c2a)"_s);
        QCOMPARE(editor->view()->cursorPosition().line,
                 66); // `.entry batched_rmsnorm_f32` (line 67)
        QVERIFY(editor->view()->isReadOnly());
        QVERIFY(window.grab().save(
            QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/main_window_trace_ptx.png")));

        emit view->openKernelEntry(u"RopeNeox"_s, u"rope_neox"_s);
        QVERIFY(window.log()->toPlainText().contains(
            u"RopeNeox (.entry rope_neox): run 5e1f0c2a holds no PTX of RopeNeox"_s));
    }

    void aTraceRunRecordedByTheDockOpensItsTrace() {
        // A stand-in CLI that records nothing itself but reports the fixture's trace run, as
        // `ptxwb trace` does on a machine with a GPU.
        QTemporaryDir dir;
        const QString script = dir.filePath(u"fake-ptxwb"_s);
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho 'traced on NVIDIA H100: 0.41 s from cold start' >&2\n"
                   "echo '{\"command\":\"trace\",\"db\":\"x\",\"event\":\"recorded\",\"status\":"
                   "\"passed\",\"uuid\":\"5e1f0c2a-7b3d-4c8e-9a10-2b3c4d5e6f70\"}' >&2\nexit 0\n");
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        TwoGpuInfoSource gpus;
        MainWindow window(&gpus);
        // The Run dock records into the database the Run History dock shows.
        QVERIFY(window.openHistoryDatabase(db()));
        QCOMPARE(window.runDock()->historyDatabase(), db());
        window.runDock()->setCliPath(script);
        QSignalSpy finished(window.runDock(), &RunDock::runFinished);
        RunOptions o;
        o.command = RunCommand::Trace;
        o.model = u"tiny-llama.gguf"_s;
        QVERIFY(window.runDock()->start(o));
        QVERIFY(finished.wait(10000));
        auto* view = qobject_cast<TraceView*>(window.editorTabs()->currentWidget());
        QVERIFY(view);
        QCOMPARE(view->runUuid(), u"5e1f0c2a-7b3d-4c8e-9a10-2b3c4d5e6f70"_s);
        QVERIFY(window.runDock()->logView()->toPlainText().contains(
            u"Trace finished: exit 0 (ok) — run 5e1f0c2a-7b3d-4c8e-9a10-2b3c4d5e6f70"_s));
        // ... and the recorded run is selected in the Run History dock.
        QCOMPARE(window.historyPanel()->currentRun(), u"5e1f0c2a-7b3d-4c8e-9a10-2b3c4d5e6f70"_s);
        window.resize(1480, 1000);
        window.show();
        window.dock(u"runDock"_s)->raise();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        view->treeView()->expandAll();
        QVERIFY(window.grab().save(
            QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/main_window_trace_run.png")));
    }

private:
    QString db() const { return dataDir_.filePath(u"history.sqlite"_s); }
    QTemporaryDir settingsDir_;
    QTemporaryDir dataDir_;
};

PTXWB_QTEST_CLASS(MainWindowRunsTest);
#include "main_window_runs_test.moc"
