// End to end, offscreen: the workbench window opens a history database holding a failing parity
// run (written with core/store's writer), shows the run, opens its failing check, and the
// heatmap draws the known mismatching elements in their colours, the tooltip describes a known
// element with both values and bit patterns, the trend chart has a series per driver/arch, two
// runs compare with their PTX side by side, and reports export. Also the default history
// (XDG_DATA_HOME), `ptxwb-gui --db`, and refusing a file that is not a history.
// Screenshots: build/tests/gui/artifacts/history_*.png.

#include "check_trend_chart.h"
#include "heatmap_legend.h"
#include "heatmap_panel.h"
#include "heatmap_tile_cache.h"
#include "heatmap_view.h"
#include "history_fixture.h"
#include "log_view.h"
#include "main_window.h"
#include "run_compare_model.h"
#include "run_compare_view.h"
#include "run_history_filter.h"
#include "run_history_model.h"
#include "run_history_panel.h"
#include "run_results_page.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCryptographicHash>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QItemSelectionModel>
#include <QLineSeries>
#include <QProcess>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;
using namespace Qt::StringLiterals;

namespace {

/// build/tests/gui/artifacts/NAME, "@2x" before the extension when run at device pixel ratio 2.
QString artifact(const char* name) {
    QString file = QString::fromLatin1(name);
    if (qApp->devicePixelRatio() > 1) file.insert(file.lastIndexOf(u'.'), u"@2x"_s);
    return QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/") + file;
}

QString hex(QRgb c) {
    return QStringLiteral("#%1").arg(c & 0xffffff, 6, 16, QLatin1Char('0'));
}

/// The colour at the centre of element (row, col) in a grab of the heatmap.
QRgb colourAt(const HeatmapView& view, const QImage& image, double row, double col) {
    const QPointF p = view.positionOf(row + 0.5, col + 0.5) * image.devicePixelRatio();
    return image.pixel(int(p.x()), int(p.y())) | 0xff000000u;
}

QByteArray fileHash(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
               : QByteArray();
}

} // namespace

class HistoryEndToEndTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString defaultDb_;
    QString db_;
    HistoryFixture runs_;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(u"config"_s));
        QCoreApplication::setOrganizationName(QStringLiteral("ptxwb-test"));
        QCoreApplication::setApplicationName(QStringLiteral("ptxwb-gui-history-test"));
        // The default history is $XDG_DATA_HOME/ptxwb/history.sqlite: never the user's here.
        qputenv("XDG_DATA_HOME", dir_.filePath(QStringLiteral("data")).toUtf8());
        defaultDb_ = dir_.filePath(QStringLiteral("data/ptxwb/history.sqlite"));
        db_ = dir_.filePath(QStringLiteral("fixture.sqlite"));
        QString error;
        runs_ = writeHistoryFixture(db_, &error);
        QVERIFY2(!runs_.failing.empty(), qPrintable(error));
    }

    void opensTheUsersDefaultHistory() {
        {
            MainWindow window;
            QCOMPARE(window.historyPanel()->databasePath(), defaultDb_);
            QCOMPARE(window.historyPanel()->model()->rowCount(), 0);
            QVERIFY(window.historyPanel()->notice().startsWith(u"No runs recorded yet in "_s));
        }
        QVERIFY(QDir().mkpath(dir_.filePath(QStringLiteral("data/ptxwb"))));
        QVERIFY(QFile::copy(db_, defaultDb_));
        MainWindow window;
        QCOMPARE(window.historyPanel()->model()->rowCount(), 4);
        QVERIFY(
            window.log()->toPlainText().contains(u"Run history "_s + defaultDb_ + u": 4 run(s)"_s));
    }

    void failingRunFromHistoryToHeatmap() {
        MainWindow window;
        window.resize(1500, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openHistoryDatabase(db_));
        RunHistoryPanel* history = window.historyPanel();
        QCOMPARE(history->model()->rowCount(), 4);
        QVERIFY(!window.dock(u"resultsDock"_s)->visibleRegion().isEmpty()); // raised
        QVERIFY(window.grab().save(artifact("history_dock.png")));

        // Selecting the run in the history opens its results tab.
        QVERIFY(history->showRun(QString::fromStdString(runs_.failing.substr(0, 8))));
        auto* page = qobject_cast<RunResultsPage*>(window.editorTabs()->currentWidget());
        QVERIFY(page);
        QCOMPARE(page->runUuid(), QString::fromStdString(runs_.failing));
        QCOMPARE(window.editorTabs()->tabText(window.editorTabs()->currentIndex()),
                 u"Run "_s + QString::fromStdString(runs_.failing.substr(0, 8)) + u" (failed)"_s);

        QVERIFY(page->selectCheck(QString::fromLatin1(kFailingCheck)));
        QCOMPARE(page->openedCheck(), QString::fromLatin1(kFailingCheck));
        HeatmapView* heat = page->heatmap()->heatmap();
        QVERIFY(heat->hasMap());
        QCOMPARE(heat->map()->rows(), 4u);
        QCOMPARE(heat->map()->cols(), 4096u);
        QVERIFY(window.grab().save(artifact("history_results_fit.png")));

        // Zoom about the first bad element until every element is several pixels wide.
        while (heat->pixelsPerColumn() < 12)
            heat->zoomAt(heat->positionOf(1.5, 80.5), 2.0);
        QCOMPARE(heat->levelShifts(), std::make_pair(0u, 0u));
        QApplication::processEvents();
        const QImage image = heat->grab().toImage();
        QVERIFY(image.save(artifact("history_heatmap_zoomed.png")));
        const store::MismatchMap& map = *heat->map();
        // Rows 1..3 of sub-block 5 (columns 80..95) are wrong; row 0 and column 96 are not.
        for (const auto& [row, col] : {std::pair{1u, 80u}, {1u, 81u}, {2u, 85u}, {3u, 95u}}) {
            QCOMPARE(map.category(row, col), store::ElementCategory::Mismatch);
            QCOMPARE(
                hex(colourAt(*heat, image, row, col)),
                hex(heatmapCategoryColour(store::ElementCategory::Mismatch, map.ulp(row, col))));
        }
        const QRgb identical = heatmapCategoryColour(store::ElementCategory::Identical);
        QCOMPARE(hex(colourAt(*heat, image, 0, 80)), hex(identical));
        QCOMPARE(hex(colourAt(*heat, image, 1, 96)), hex(identical));

        QCOMPARE(heat->toolTipAt(heat->positionOf(1.5, 80.5)),
                 QStringLiteral("row 1, col 80 (index 4176)\n"
                                "category: mismatch\n"
                                "ULP distance: 32768\n"
                                "expected: 0.125  (f32 bits 0x3e000000)\n"
                                "actual: 0.0625  (f32 bits 0x3d800000)"));

        // Unticking "mismatch" in the legend hides those elements.
        page->heatmap()->legend()->checkBox(store::ElementCategory::Mismatch)->click();
        QVERIFY(!heat->isCategoryVisible(store::ElementCategory::Mismatch));
        QCOMPARE(hex(colourAt(*heat, heat->grab().toImage(), 1, 80)), hex(heatmapHiddenColour()));
        page->heatmap()->legend()->checkBox(store::ElementCategory::Mismatch)->click();

        // Export as PNG writes what is shown.
        const QString png = artifact("history_heatmap_export.png");
        QFile::remove(png);
        QVERIFY(heat->exportPng(png));
        QCOMPARE(QImage(png).size(), heat->grab().size());

        // The trend across runs: one max-ULP series (and its dashed twin) per driver/arch.
        QCOMPARE(page->trend()->maxUlpSeries().size(), std::size_t(3));
        QCOMPARE(page->trend()->chart()->series().size(), 6);
        page->detailTabs()->setCurrentWidget(page->trend());
        QVERIFY(window.grab().save(artifact("history_trend.png")));
        page->detailTabs()->setCurrentWidget(page->heatmap());
        heat->fitToWindow();

        // The dequant probe's tooltip places an element in its Q6_K block.
        QVERIFY(page->selectCheck(u"BatchedQ6KGemvKernel dequant probe 256x4096"_s));
        QVERIFY(heat->map()->probeLayout);
        while (heat->pixelsPerColumn() < 4)
            heat->zoomAt(heat->positionOf(0.5, 88.5), 2.0);
        QCOMPARE(heat->toolTipAt(heat->positionOf(0.5, 88.5)).section(u'\n', 0, 3),
                 QStringLiteral("row 0, col 88 (index 88)\ncategory: mismatch\nULP distance: "
                                "%1\nQ6_K: super-block 0, sub-block 5, quant 8")
                     .arg(heat->map()->ulp(0, 88)));
        QVERIFY(page->selectCheck(QString::fromLatin1(kFailingCheck)));
        QVERIFY(window.grab().save(artifact("history_results.png")));

        // The results splitter's layout is remembered.
        emit page->splitter()->splitterMoved(200, 1);
        QVERIFY(QSettings().contains(u"history/resultsSplitter"_s));
    }

    void twoRunsCompareWithTheirPtxSideBySide() {
        MainWindow window;
        window.resize(1500, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openHistoryDatabase(db_));
        RunHistoryPanel* history = window.historyPanel();
        auto* selection = history->table()->selectionModel();
        for (const std::string& uuid : {runs_.failing, runs_.passing}) {
            const int row = history->model()->rowOf(QString::fromStdString(uuid));
            selection->select(
                history->filterModel()->mapFromSource(history->model()->index(row, 0)),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        history->compareSelected();
        auto* compare = qobject_cast<RunCompareView*>(window.editorTabs()->currentWidget());
        QVERIFY(compare);
        QCOMPARE(compare->comparison().a.uuid, runs_.passing);
        QCOMPARE(compare->checksModel()->rowCount(), 2);
        compare->checksTable()->setCurrentIndex(compare->checksModel()->index(0, 0));
        QCOMPARE(compare->ptxMessage(), QString());
        QVERIFY(window.grab().save(artifact("history_compare.png")));
    }

    void exportAndIssueText() {
        MainWindow window;
        QVERIFY(window.openHistoryDatabase(db_));
        QDialog* dialog = window.showReportExport(QString::fromStdString(runs_.failing));
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->close();
        QVERIFY(window.copyRunIssueText(QString::fromStdString(runs_.failing)));
        QVERIFY(QApplication::clipboard()->text().contains(QString::fromLatin1(kFailingCheck)));
        QVERIFY(!window.copyRunIssueText(QString()));
    }

    void historyActionsHaveShortcuts() {
        MainWindow window;
        QStringList shortcuts;
        for (QAction* a : window.findChildren<QAction*>())
            if (!a->shortcut().isEmpty()) shortcuts << a->shortcut().toString();
        for (const char* key : {"Ctrl+Shift+O", "Ctrl+Shift+H", "Ctrl+Alt+R", "Ctrl+Alt+D",
                                "Ctrl+Shift+E", "Ctrl+Alt+C"})
            QCOMPARE(shortcuts.count(QString::fromLatin1(key)), 1);
    }

    void aFileThatIsNotAHistoryIsRefusedAndUntouched() {
        const QString path = dir_.filePath(QStringLiteral("notes.sqlite"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("SQLite format 2\0 but not really", 31);
        }
        const QByteArray before = fileHash(path);
        MainWindow window;
        QVERIFY(!window.openHistoryDatabase(path));
        QVERIFY(
            window.historyPanel()->notice().startsWith(u"Cannot open the run history: "_s + path));
        QVERIFY(window.log()->toPlainText().contains(path));
        QCOMPARE(window.historyPanel()->model()->rowCount(), 0);
        QCOMPARE(fileHash(path), before);
        QVERIFY(!window.copyRunIssueText(QString::fromStdString(runs_.failing)));
    }

    void theExecutableTakesDb() {
        QProcess gui;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, dir_.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, dir_.filePath(u"data"_s));
        gui.setProcessEnvironment(env);
        const QString shot = artifact("history_gui_db.png");
        QFile::remove(shot); // a screenshot left by an earlier run must not pass for this one
        gui.start(QStringLiteral(PTXWB_GUI_PATH), {u"--db"_s, db_, u"--screenshot"_s, shot});
        QVERIFY(gui.waitForFinished(60000));
        QCOMPARE(gui.exitCode(), 0);
        QVERIFY(QImage(shot).width() > 600);
        const QString notHistory = dir_.filePath(QStringLiteral("notes.txt"));
        QFile f(notHistory);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("shopping list\n");
        f.close();
        gui.start(QStringLiteral(PTXWB_GUI_PATH), {u"--db"_s, notHistory, u"--screenshot"_s, shot});
        QVERIFY(gui.waitForFinished(60000));
        QCOMPARE(gui.exitCode(), 3);
        // --run opens a run's results by the uuid prefix the CLI prints; an unknown one is an
        // error.
        const QString runShot = artifact("history_gui_run.png");
        QFile::remove(runShot);
        gui.start(QStringLiteral(PTXWB_GUI_PATH),
                  {u"--db"_s, db_, u"--run"_s, QString::fromStdString(runs_.failing).left(8),
                   u"--screenshot"_s, runShot});
        QVERIFY(gui.waitForFinished(60000));
        QCOMPARE(gui.exitCode(), 0);
        QVERIFY(QImage(runShot).width() > 600);
        gui.start(QStringLiteral(PTXWB_GUI_PATH),
                  {u"--db"_s, db_, u"--run"_s, u"ffffffff"_s, u"--screenshot"_s, runShot});
        QVERIFY(gui.waitForFinished(60000));
        QCOMPARE(gui.exitCode(), 3);
        QVERIFY(gui.readAllStandardError().contains("no run ffffffff in the history"));
    }
};

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    HistoryEndToEndTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "history_e2e_test.moc"
