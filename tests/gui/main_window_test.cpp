// ptxwb-gui's main window: docks, menus and shortcuts, opening files, findings, About with GPU
// information from a worker-side source, settings round trip, and the real executable with
// files on its command line. Screenshots are saved into the build tree.

#include "about_dialog.h"
#include "findings_dock.h"
#include "findings_table_model.h"
#include "gpu_info_source.h"
#include "main_window.h"
#include "ptx_editor.h"
#include "rule_page_dialog.h"
#include "worker_job_runner.h"

#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace ptxwb::views;

namespace {

QString fixture() {
    return QStringLiteral(PTXWB_GUI_TEST_DATA "/rmsnorm_pair.ptx");
}
QString artifact(const char* name) {
    return QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/") + QString::fromLatin1(name);
}

// The report `ptxwb gpu-info --json` / the worker's gpu-info job produce on an H100 machine.
const char* kH100Report = R"({"driver":{"version":13000,"cuda":"13.0"},
  "devices":[{"ordinal":0,"name":"NVIDIA H100 80GB HBM3","arch":"sm_90",
              "memory_bytes":85045477376,"multiprocessors":132,"l2_bytes":52428800}],
  "nvrtc":{"version":"13.0","archs":["sm_75","sm_80","sm_90","sm_100"]}})";

/// Answers from a fixed report, as the worker would.
class CannedGpuInfoSource : public GpuInfoSource {
public:
    QByteArray json;
    int requests = 0;
    void request() override {
        ++requests;
        QString error;
        if (auto info = parseGpuInfoJson(json, &error))
            emit ready(*info);
        else
            emit failed(error);
    }
};

std::vector<EditorFinding> fixtureFindings() {
    EditorFinding f;
    f.severity = FindingSeverity::Error;
    f.ruleId = QStringLiteral("shared-address-64");
    f.ruleTitle = QStringLiteral("64-bit address into shared memory");
    f.message = QStringLiteral("st.shared through the 64-bit generic address %rd11");
    f.fixHint = QStringLiteral("Use cvta.to.shared and a 32-bit register");
    f.kernel = QStringLiteral("batched_rmsnorm_f32");
    f.file = fixture();
    f.range = {{102, 16}, {102, 23}};
    EditorFinding w = f;
    w.severity = FindingSeverity::Warning;
    w.ruleId = QStringLiteral("unguarded-row");
    w.ruleTitle = QStringLiteral("Row index not checked against M");
    w.message = QStringLiteral("%ctaid.y is used as the row without a bound check");
    w.range = {{83, 1}, {83, 22}};
    return {f, w};
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    CannedGpuInfoSource gpu_;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        QCoreApplication::setOrganizationName(QStringLiteral("ptxwb-test"));
        QCoreApplication::setApplicationName(QStringLiteral("ptxwb-gui-test"));
        gpu_.json = kH100Report;
    }

    void docksAndCentralEditorArea() {
        MainWindow window(&gpu_);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const struct {
            const char* name;
            Qt::DockWidgetArea area;
        } expected[] = {{"browserDock", Qt::LeftDockWidgetArea},
                        {"outlineDock", Qt::LeftDockWidgetArea},
                        {"findingsDock", Qt::BottomDockWidgetArea},
                        {"resultsDock", Qt::BottomDockWidgetArea},
                        {"logDock", Qt::BottomDockWidgetArea}};
        for (const auto& e : expected) {
            QDockWidget* dock = window.dock(QString::fromLatin1(e.name));
            QVERIFY2(dock, e.name);
            QCOMPARE(window.dockWidgetArea(dock), e.area);
            QVERIFY(dock->widget());
        }
        QCOMPARE(window.tabifiedDockWidgets(window.dock(QStringLiteral("findingsDock"))).size(), 2);
        QCOMPARE(window.centralWidget(), window.editorTabs());
    }

    void frequentActionsHaveShortcuts() {
        MainWindow window(&gpu_);
        QStringList shortcuts;
        for (QAction* a : window.findChildren<QAction*>())
            if (!a->shortcut().isEmpty()) shortcuts << a->shortcut().toString();
        for (const char* key : {"Ctrl+O", "Ctrl+S", "Ctrl+W", "Ctrl+F", "F3", "Ctrl+G", "F12",
                                "Alt+Left", "Alt+Right", "F8", "Shift+F8", "Ctrl+Z"})
            QVERIFY2(shortcuts.contains(QString::fromLatin1(key)), key);
    }

    void opensFilesAndShowsFindings() {
        MainWindow window(&gpu_);
        window.resize(1480, 920);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(fixture()));
        QVERIFY(!window.openFile(QStringLiteral("/nonexistent/kernel.ptx")));
        QCOMPARE(window.editorTabs()->count(), 1);
        QVERIFY(window.openFile(fixture())); // same file: same tab
        QCOMPARE(window.editorTabs()->count(), 1);
        window.setFindings(fixture(), fixtureFindings());
        QCOMPARE(window.findingsPanel()->model()->rowCount(), 2);
        PtxEditor* editor = window.currentEditor();
        QVERIFY(editor);
        QCOMPARE(editor->view()->findings().size(), std::size_t(2));
        // Activating the error row jumps to line 103 of the batched kernel.
        emit window.findingsPanel()->findingActivated(0);
        QCOMPARE(editor->view()->cursorPosition().line, 102);
        QCOMPARE(editor->view()->selectedFinding(), 1); // sorted by position in the editor
        QVERIFY(window.recentFiles().contains(QFileInfo(fixture()).absoluteFilePath()));
        QTest::qWait(50);
        QVERIFY(window.grab().save(artifact("main_window.png")));
        window.setDarkTheme(true);
        QTest::qWait(50);
        QVERIFY(editor->view()->theme().isDark);
        QVERIFY(window.grab().save(artifact("main_window_dark.png")));
        window.setDarkTheme(std::nullopt);
    }

    void droppedFilesOpenByKind() {
        MainWindow window(&gpu_);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTemporaryDir dir;
        QFile manifest(dir.filePath(QStringLiteral("kernelset.json")));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(R"({"name":"zoo","kernels":[
            {"name":"RmsNorm","op":"rmsnorm","variant":"single","source":"rmsnorm.ptx"},
            {"name":"BatchedRmsNorm","op":"rmsnorm","variant":"batched","pairs_with":"RmsNorm",
             "contract":"bitwise","source":"rmsnorm.ptx"}]})");
        manifest.close();
        QVERIFY(QFile::copy(fixture(), dir.filePath(QStringLiteral("rmsnorm.ptx"))));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(fixture()), QUrl::fromLocalFile(manifest.fileName()),
                      QUrl::fromLocalFile(dir.filePath(QStringLiteral("notes.txt")))});
        const QPoint at = window.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QCOMPARE(window.editorTabs()->count(), 1);
        auto* browser = window.dock(QStringLiteral("browserDock"))->findChild<QTreeWidget*>();
        QVERIFY(browser);
        QCOMPARE(browser->topLevelItemCount(), 1); // the placeholder gave way to the kernel set
        QTreeWidgetItem* set = browser->topLevelItem(0);
        QCOMPARE(set->text(0), QStringLiteral("zoo"));
        QTreeWidgetItem* pair = set->child(0)->child(0);
        QCOMPARE(pair->text(0), QStringLiteral("RmsNorm"));
        QCOMPARE(pair->childCount(), 2);
        QCOMPARE(pair->child(1)->text(1), QStringLiteral("batched · bitwise"));
        // A kernel set's own .ptx may be edited; compiler output elsewhere is read-only.
        QVERIFY(window.openFile(dir.filePath(QStringLiteral("rmsnorm.ptx"))));
        QCOMPARE(window.editorTabs()->count(), 2);
        QVERIFY(!window.currentEditor()->view()->isReadOnly());
        QVERIFY(window.editorForFile(fixture())->view()->isReadOnly());
    }

    void rulePageFromResourcesOrFallback() {
        const EditorFinding f = fixtureFindings().front();
        RulePageDialog fallback(f);
        QVERIFY(fallback.markdown().startsWith(u"# 64-bit address into shared memory"));
        QVERIFY(fallback.markdown().contains(u"**Fix:** Use cvta.to.shared"));
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("rules")));
        QFile page(dir.filePath(QStringLiteral("rules/shared-address-64.md")));
        QVERIFY(page.open(QIODevice::WriteOnly));
        page.write("# shared-address-64\n\nShared memory is addressed with 32 bits.\n");
        page.close();
        qputenv("PTXWB_RESOURCES_DIR", dir.path().toUtf8());
        RulePageDialog fromFile(f);
        qunsetenv("PTXWB_RESOURCES_DIR");
        QCOMPARE(
            fromFile.markdown(),
            QStringLiteral("# shared-address-64\n\nShared memory is addressed with 32 bits.\n"));
        QCOMPARE(RulePageDialog::locateRulePage(QStringLiteral("../../etc/passwd")), QString());
    }

    void aboutShowsGpuFromTheWorkerSource() {
        AboutDialog about(&gpu_);
        const int before = gpu_.requests;
        about.show();
        QVERIFY(QTest::qWaitForWindowExposed(&about));
        QCOMPARE(gpu_.requests, before + 1);
        QVERIFY(about.gpuText().contains(u"NVIDIA H100 80GB HBM3"));
        QVERIFY(about.gpuText().contains(u"sm_90"));
        QVERIFY(about.gpuText().contains(u"132 SMs"));
        QVERIFY(AboutDialog::versionsHtml().contains(QString::fromLatin1(qVersion())));
        QVERIFY(about.grab().save(artifact("about.png")));

        CannedGpuInfoSource broken;
        broken.json = "{\"devices\": []";
        AboutDialog failing(&broken);
        failing.show();
        QVERIFY(failing.gpuText().startsWith(u"Not available: byte 14"));
    }

    void cliSourceRunsAChildProcess() {
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("fake-ptxwb"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n[ \"$1 $2\" = \"gpu-info --json\" ] || exit 2\n"
                "echo '{\"driver\":{\"error\":\"libcuda.so.1 not found\"},\"devices\":[],"
                "\"nvrtc\":{\"version\":\"13.0\",\"archs\":[\"sm_90\"]}}'\nexit 4\n");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        CliGpuInfoSource source(script);
        QSignalSpy ready(&source, &GpuInfoSource::ready);
        source.request();
        QVERIFY(ready.wait(10000));
        const GpuInfo info = ready.at(0).at(0).value<GpuInfo>();
        QCOMPARE(info.driverError, QStringLiteral("libcuda.so.1 not found"));
        QVERIFY(info.devices.empty());
        QCOMPARE(info.nvrtcVersion, QStringLiteral("13.0"));

        CliGpuInfoSource missing(dir.filePath(QStringLiteral("no-such-ptxwb")));
        QSignalSpy failed(&missing, &GpuInfoSource::failed);
        missing.request();
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.at(0).at(0).toString().startsWith(u"cannot start"));
    }

    void workerJobsRunInASupervisedChild() {
        WorkerJobRunner runner(QStringLiteral(PTXWB_CLI_PATH));
        QSignalSpy ok(&runner, &WorkerJobRunner::succeeded);
        QSignalSpy failed(&runner, &WorkerJobRunner::failed);
        QVERIFY(runner.start(QStringLiteral("test.echo"), QByteArrayLiteral("{\"x\":7}"),
                             std::chrono::seconds(20)));
        QVERIFY(!runner.start(QStringLiteral("test.echo"), {}, std::chrono::seconds(1))); // busy
        QVERIFY(ok.wait(20000));
        QCOMPARE(ok.at(0).at(0).toByteArray(), QByteArrayLiteral("{\"echo\":{\"x\":7}}"));
        // A crashing job costs the worker, not the GUI.
        QVERIFY(runner.start(QStringLiteral("test.abort"), QByteArrayLiteral("{}"),
                             std::chrono::seconds(20)));
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.at(0).at(0).toString().startsWith(u"worker-died: "),
                 qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(runner.start(QStringLiteral("no.such-job"), QByteArrayLiteral("{}"),
                             std::chrono::seconds(20)));
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.at(1).at(0).toString(),
                 QStringLiteral("failed: unknown job 'no.such-job'"));
    }

    void aboutGetsTheRealGpuInfoJobThroughTheWorker() {
        // The real `gpu-info` job: on a machine without a driver it still answers, with the
        // reason inside the report; on a GPU machine it lists the devices.
        WorkerGpuInfoSource source(QStringLiteral(PTXWB_CLI_PATH));
        QSignalSpy ready(&source, &GpuInfoSource::ready);
        QSignalSpy failed(&source, &GpuInfoSource::failed);
        source.request();
        QVERIFY(ready.wait(30000));
        QCOMPARE(failed.size(), 0);
        const GpuInfo info = ready.at(0).at(0).value<GpuInfo>();
        if (info.devices.empty())
            QVERIFY(info.driverError.contains(u"libcuda") || info.driverError.contains(u"driver"));
        else
            QVERIFY(info.devices.front().arch.startsWith(u"sm_"));
        QVERIFY(!formatGpuInfoHtml(info).isEmpty());
    }

    void settingsRoundTrip() {
        {
            MainWindow window(&gpu_);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.openFile(fixture()));
            window.dock(QStringLiteral("logDock"))->hide();
            window.close();
        }
        MainWindow again(&gpu_);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(!again.dock(QStringLiteral("logDock"))->isVisible());
        QVERIFY(again.dock(QStringLiteral("findingsDock"))->isVisible());
        QCOMPARE(again.recentFiles().value(0), QFileInfo(fixture()).absoluteFilePath());
    }

    void executableOpensCommandLineFiles() {
        QProcess gui;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), settingsDir_.path());
        gui.setProcessEnvironment(env);
        const QString shot = artifact("ptxwb_gui_cmdline.png");
        QFile::remove(shot);
        gui.start(QStringLiteral(PTXWB_GUI_PATH),
                  {QStringLiteral("--screenshot"), shot, fixture()});
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitCode(), 0);
        QVERIFY(QImage(shot).width() > 600);
        gui.start(QStringLiteral(PTXWB_GUI_PATH),
                  {QStringLiteral("--screenshot"), shot, QStringLiteral("/nonexistent.ptx")});
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitCode(), 3); // a file that could not be opened
    }
};

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    qRegisterMetaType<ptxwb::views::GpuInfo>();
    MainWindowTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "main_window_test.moc"
