// ptxwb-gui's main window: docks, menus and shortcuts, opening files, findings, About with GPU
// information from a worker-side source, settings round trip, and the real executable with
// files on its command line. Screenshots are saved into the build tree.

// clang-format off
// Before any Qt header: the GGUF writer has a member named emit, a macro in Qt.
#include "gguf/gguf_writer.h"
// clang-format on

#include "about_dialog.h"
#include "analysis_scheduler.h"
#include "findings_dock.h"
#include "findings_table_model.h"
#include "gpu_info_source.h"
#include "main_window.h"
#include "ptx_editor.h"
#include "ptx_text_view.h"
#include "rule_page_dialog.h"
#include "side_by_side_view.h"
#include "workbench_browser.h"
#include "workbench_tree_model.h"
#include "worker_job_runner.h"

#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <algorithm>

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
        // Opening analysed the file in the background; the fixture findings below replace
        // what came back, so wait for it first.
        QTRY_COMPARE(window.analysisScheduler()->pendingCount(), 0);
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
        WorkbenchTreeModel* browser = window.browser()->model();
        QCOMPARE(browser->rowCount(), 1);
        const QModelIndex set = browser->index(0, 0);
        QCOMPARE(set.data().toString(), QStringLiteral("zoo"));
        const QModelIndex pair = browser->index(0, 0, browser->index(0, 0, set));
        QCOMPARE(pair.data().toString(), QStringLiteral("RmsNorm"));
        QCOMPARE(browser->rowCount(pair), 2);
        QCOMPARE(browser->index(1, 1, pair).data().toString(), QStringLiteral("batched bitwise"));
        // A kernel set's own .ptx may be edited; compiler output elsewhere is read-only.
        QVERIFY(window.openFile(dir.filePath(QStringLiteral("rmsnorm.ptx"))));
        QCOMPARE(window.editorTabs()->count(), 2);
        QVERIFY(!window.currentEditor()->view()->isReadOnly());
        QVERIFY(window.editorForFile(fixture())->view()->isReadOnly());
    }

    // The seed's bug end to end: a kernel set naming the RMSNorm pair (single kernel with 32-bit
    // shared addresses, batched twin with 64-bit ones), the pair picked in the browser, the
    // side-by-side view aligned, the analyzer run off the GUI thread, and the
    // shared-address-64bit error marked on the batched pane's st.shared row.
    void seedRmsNormPairMarksTheSharedAddressInTheBatchedPane() {
        QTemporaryDir dir;
        const QString seed = QStringLiteral(PTXWB_TEST_DATA "/analysis/rmsnorm_u64_shared/");
        for (const char* name : {"single.ptx", "batched.ptx"})
            QVERIFY(QFile::copy(seed + QString::fromLatin1(name),
                                dir.filePath(QString::fromLatin1(name))));
        QFile manifest(dir.filePath(QStringLiteral("kernelset.json")));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(R"({"name":"seed","kernels":[
            {"name":"VectorizedRmsNormKernel","op":"rmsnorm","variant":"single",
             "source":"single.ptx"},
            {"name":"BatchedVectorizedRmsNormKernel","op":"rmsnorm","variant":"batched",
             "batch":"grid.y","pairs_with":"VectorizedRmsNormKernel","contract":"bitwise",
             "source":"batched.ptx"}]})");
        manifest.close();

        MainWindow window(&gpu_);
        window.resize(1480, 920);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(manifest.fileName()));
        WorkbenchTreeModel* model = window.browser()->model();
        const QModelIndex pair =
            model->findChild(model->findChild(model->index(0, 0), QStringLiteral("rmsnorm")),
                             QStringLiteral("VectorizedRmsNormKernel"));
        QVERIFY(pair.isValid());
        emit window.browser()->tree()->activated(pair);
        auto* view = qobject_cast<SideBySideView*>(window.editorTabs()->currentWidget());
        QVERIFY(view);
        QCOMPARE(view->title(),
                 QStringLiteral("VectorizedRmsNormKernel ↔ BatchedVectorizedRmsNormKernel"));
        const QString batched =
            QFileInfo(dir.filePath(QStringLiteral("batched.ptx"))).absoluteFilePath();
        QCOMPARE(view->side(SideBySideView::Right).path, batched);

        // batched.ptx:80:17 is `st.shared.f32 [%rd16], %f18;` (the CLI test pins the same).
        PtxTextView* right = view->pane(SideBySideView::Right);
        const int row = view->rowForLine(SideBySideView::Right, 79);
        QVERIFY(row >= 0);
        QVERIFY(right->buffer().line(row).contains(QStringLiteral("st.shared.f32 \t[%rd16]")));
        QTRY_VERIFY_WITH_TIMEOUT(right->findingMarkerOnLine(row) >= 0, 20000);
        QTRY_COMPARE(window.analysisScheduler()->pendingCount(), 0);
        const EditorFinding& marked =
            right->findings()[std::size_t(right->findingMarkerOnLine(row))];
        QCOMPARE(marked.ruleId, QStringLiteral("shared-address-64bit"));
        QCOMPARE(marked.severity, FindingSeverity::Error);
        QCOMPARE(marked.range.begin, (TextPosition{row, 16}));
        // Its related range (the 64-bit zero base, batched.ptx:41) is mapped into the pane too.
        const int baseRow = view->rowForLine(SideBySideView::Right, 40);
        QVERIFY(std::any_of(marked.related.begin(), marked.related.end(),
                            [&](const SourceRange& r) { return r.begin.line == baseRow; }));
        // The single kernel addresses shared memory with 32-bit registers: nothing to mark.
        for (const EditorFinding& f : view->pane(SideBySideView::Left)->findings())
            QVERIFY(f.ruleId != QStringLiteral("shared-address-64bit"));
        // The findings dock and the status bar count it.
        bool inTable = false;
        for (int r = 0; r < window.findingsPanel()->model()->rowCount(); ++r) {
            const EditorFinding& f = window.findingsPanel()->model()->finding(r);
            inTable |= f.file == batched && f.range.begin.line == 79 &&
                       f.ruleId == QStringLiteral("shared-address-64bit");
        }
        QVERIFY(inTable);
        QLabel* counts = nullptr;
        for (QLabel* l : window.statusBar()->findChildren<QLabel*>())
            if (l->text().contains(QStringLiteral("error"))) counts = l;
        QVERIFY(counts);
        const int errors = window.findingsPanel()->model()->countsBySeverity()[2];
        QVERIFY(errors >= 4); // one per shared access through %rd in the batched kernel
        QVERIFY2(counts->text().startsWith(QString::number(errors) + QStringLiteral(" error")),
                 qPrintable(counts->text()));

        // The gutter icon is painted on that row, in the error colour.
        right->scrollToLine(std::max(0, row - 5));
        QTest::qWait(50);
        const QRectF icon = right->gutterMarkerRect(row);
        QVERIFY(!icon.isEmpty());
        const QImage gutter = right->gutterWidget()->grab().toImage();
        const qreal dpr = gutter.devicePixelRatio();
        int errorPixels = 0;
        for (int y = int(icon.top() * dpr); y < int(icon.bottom() * dpr); ++y)
            for (int x = int(icon.left() * dpr); x < int(icon.right() * dpr); ++x)
                errorPixels += gutter.pixelColor(x, y) == right->theme().error ? 1 : 0;
        QVERIFY2(errorPixels > int(icon.width() * icon.height() * dpr * dpr / 3),
                 qPrintable(QString::number(errorPixels)));
        QVERIFY(window.grab().save(artifact("side_by_side_window.png")));
        window.setDarkTheme(true);
        QTest::qWait(50);
        QVERIFY(right->theme().isDark);
        QTRY_COMPARE(right->lineBackground(view->rowForLine(SideBySideView::Right, 32)),
                     right->theme().diffOnlyRight);
        QVERIFY(window.grab().save(artifact("side_by_side_window_dark.png")));
        window.setDarkTheme(std::nullopt);
    }

    // The built-in kernel set is CUDA source: picking a pair compiles both sides to PTX in a
    // `ptxwb kernels compile` child process and then opens them side by side; the browser's
    // position badges come from the analyzer's summary of the compiled PTX.
    void cudaPairOfTheBuiltInSetOpensSideBySide() {
        qputenv("PTXWB_CLI", PTXWB_CLI_PATH);
        QTemporaryDir dir;
        QProcess exporter;
        exporter.start(QStringLiteral(PTXWB_CLI_PATH),
                       {QStringLiteral("--no-history"), QStringLiteral("kernels"),
                        QStringLiteral("export"), dir.path()});
        QVERIFY(exporter.waitForFinished(30000));
        QCOMPARE(exporter.exitCode(), 0);

        MainWindow window(&gpu_);
        window.resize(1480, 920);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy summarized(&window, &MainWindow::positionSummaryApplied);
        QSignalSpy opened(&window, &MainWindow::comparisonOpened);
        QVERIFY(window.openFile(dir.filePath(QStringLiteral("kernelset.json"))));
        WorkbenchTreeModel* model = window.browser()->model();
        const QModelIndex rope = model->findChild(model->index(0, 0), QStringLiteral("rope"));
        const QModelIndex ropePair = model->findChild(rope, QStringLiteral("RopeKernel"));
        const QModelIndex indirect =
            model->findChild(ropePair, QStringLiteral("RopeIndirectKernel"));
        QVERIFY(indirect.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(summarized.count() == 1, 120000);
        QVERIFY(summarized.at(0).at(1).toInt() >= 40); // every kernel of the set
        QCOMPARE(indirect.data(WorkbenchTreeModel::BadgeSourceRole).toString(),
                 QStringLiteral("analyzer"));
        QCOMPARE(indirect.data(WorkbenchTreeModel::BadgesRole).toStringList(),
                 QStringList{QStringLiteral("indirect")});
        QVERIFY(
            indirect.siblingAtColumn(1).data().toString().contains(QStringLiteral("[indirect]")));
        QVERIFY(indirect.data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Position path from the analyzer: indirect")));

        const QModelIndex pair =
            model->findChild(model->findChild(model->index(0, 0), QStringLiteral("rmsnorm")),
                             QStringLiteral("RmsNormKernel"));
        QVERIFY(pair.isValid());
        emit window.browser()->tree()->activated(pair);
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 120000);
        auto* view = qobject_cast<SideBySideView*>(window.editorTabs()->currentWidget());
        QVERIFY(view);
        QCOMPARE(view->title(), QStringLiteral("rmsnorm ↔ batched_rmsnorm"));
        QVERIFY(
            view->side(SideBySideView::Left).path.endsWith(QStringLiteral("rmsnorm.cu.sm_80.ptx")));
        QVERIFY(view->side(SideBySideView::Left).text.contains(".entry rmsnorm("));
        QTRY_COMPARE_WITH_TIMEOUT(window.analysisScheduler()->pendingCount(), 0, 60000);
        // The screenshot shows the analyzer's badges of the RoPE pair in the browser.
        window.browser()->tree()->collapseAll();
        window.browser()->tree()->expand(model->index(0, 0));
        window.browser()->tree()->expand(rope);
        window.browser()->tree()->expand(ropePair);
        QTest::qWait(50);
        QVERIFY(window.grab().save(artifact("builtin_cuda_pair.png")));
    }

    void editsAreReanalysedAfterAPause() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("batched.ptx"));
        QVERIFY(QFile::copy(
            QStringLiteral(PTXWB_TEST_DATA "/analysis/rmsnorm_u64_shared/batched.ptx"), file));
        QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
        // A kernel set's file is editable: put a manifest beside it.
        QFile manifest(dir.filePath(QStringLiteral("kernelset.json")));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(R"({"name":"s","kernels":[{"name":"BatchedVectorizedRmsNormKernel",
            "op":"rmsnorm","variant":"batched","batch":"grid.y","source":"batched.ptx"}]})");
        manifest.close();
        MainWindow window(&gpu_);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(file));
        PtxTextView* view = window.currentEditor()->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->findingMarkerOnLine(79) >= 0, 20000);
        QVERIFY(!view->isReadOnly());
        // A second store through the same 64-bit address, typed above the first one. Until the
        // analyzer has run again after the pause, the editor only keeps the old marker on the
        // edited line; the moved store (now line 81) gets its marker from the new analysis.
        view->setCursorPosition({79, 0});
        view->insertText(QStringLiteral("\tst.shared.f32 \t[%rd16], %f18;\n"));
        QCOMPARE(view->findingMarkerOnLine(80), -1);
        QTRY_VERIFY_WITH_TIMEOUT(view->findingMarkerOnLine(80) >= 0, 20000);
        for (const int line : {79, 80})
            QCOMPARE(view->findings()[std::size_t(view->findingMarkerOnLine(line))].ruleId,
                     QStringLiteral("shared-address-64bit"));
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

    // packaging/run-workbench.sh starts `ptxwb-gui --demo MODEL`: the built-in kernel set (exported
    // by the CLI), its PTX kernel in an editor, and the model in the browser.
    void executableShowsTheDemo() {
        QTemporaryDir dir;
        ptxwb::gguf::GgufWriter w;
        w.setString("general.architecture", "llama");
        w.setU32("llama.block_count", 1);
        QVERIFY(w.addSparseTensor("token_embd.weight", ptxwb::gguf::GgmlType::F16, {64, 32}));
        const QString model = dir.filePath(QStringLiteral("demo.gguf"));
        QVERIFY(w.writeFile(model.toStdString()));
        QProcess gui;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("PTXWB_CLI"), QStringLiteral(PTXWB_CLI_PATH));
        gui.setProcessEnvironment(env);
        const QString shot = artifact("ptxwb_gui_demo.png");
        QFile::remove(shot);
        gui.start(QStringLiteral(PTXWB_GUI_PATH),
                  {QStringLiteral("--demo"), model, QStringLiteral("--screenshot"), shot});
        QVERIFY(gui.waitForFinished(60000));
        QVERIFY2(gui.exitCode() == 0, gui.readAllStandardError().constData());
        QVERIFY(QImage(shot).width() > 600);
        QVERIFY(QFileInfo::exists(dir.filePath(
            QStringLiteral("data/ptxwb/ptxwb-gui/builtin-kernels/rmsnorm_batched_u64.ptx"))));
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
