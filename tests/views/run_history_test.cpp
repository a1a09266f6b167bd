// The run history: the runs model under QAbstractItemModelTester, the filter agreeing with
// HistoryStore::listRuns (what `ptxwb history list` shows) for every filter field, and the
// history panel: listing, filter boxes, selecting by UUID prefix, comparing two runs, and
// refusing damaged or foreign database files with a message while leaving them untouched.

#include "history_fixture.h"
#include "qtest_main.h"
#include "run_history_filter.h"
#include "run_history_model.h"
#include "run_history_panel.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QMenu>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <set>
#include <sqlite3.h>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;
using namespace Qt::StringLiterals;

namespace {

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

std::set<std::string> shownUuids(const RunHistoryFilterModel& proxy) {
    std::set<std::string> out;
    for (int r = 0; r < proxy.rowCount(); ++r)
        out.insert(proxy.index(r, 0).data(RunHistoryModel::UuidRole).toString().toStdString());
    return out;
}

} // namespace

class RunHistoryTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    HistoryFixture runs_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        db_ = dir_.filePath(QStringLiteral("history.sqlite"));
        QString error;
        runs_ = writeHistoryFixture(db_, &error);
        QVERIFY2(!runs_.failing.empty(), qPrintable(error));
    }

    void modelShowsEachRunAndPassesTheTester() {
        auto history =
            store::HistoryStore::open(db_.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(history);
        auto listed = history->listRuns();
        QVERIFY(listed);
        RunHistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns(*listed);
        QCOMPARE(model.rowCount(), 4);
        const int row = model.rowOf(QString::fromStdString(runs_.failing));
        QVERIFY(row >= 0);
        const auto cell = [&](int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(cell(RunHistoryModel::StartedColumn), QStringLiteral("2025-11-24 17:00:00"));
        QCOMPARE(cell(RunHistoryModel::StatusColumn), QStringLiteral("failed"));
        QCOMPARE(cell(RunHistoryModel::CommandColumn), QStringLiteral("parity"));
        QCOMPARE(cell(RunHistoryModel::GpuColumn), QStringLiteral("NVIDIA H100 80GB HBM3"));
        QCOMPARE(cell(RunHistoryModel::ArchColumn), QStringLiteral("sm_90"));
        QCOMPARE(cell(RunHistoryModel::DriverColumn), QStringLiteral("555.42.02"));
        QCOMPARE(cell(RunHistoryModel::ToolkitColumn), QStringLiteral("12.4"));
        QVERIFY(cell(RunHistoryModel::KernelSetColumn).startsWith(QStringLiteral("builtin (")));
        QCOMPARE(cell(RunHistoryModel::ChecksColumn), QStringLiteral("13"));
        QCOMPARE(cell(RunHistoryModel::FailedColumn), QStringLiteral("2"));
        QCOMPARE(cell(RunHistoryModel::UuidColumn), QString::fromStdString(runs_.failing));
        QVERIFY(model.index(row, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("ptxwb parity --kernel-set builtin --seed 2")));
        QCOMPARE(model.index(row, RunHistoryModel::StatusColumn)
                     .data(Qt::BackgroundRole)
                     .value<QColor>(),
                 RunHistoryModel::statusColour(store::RunStatus::Failed));
        QCOMPARE(model.distinctValues(RunHistoryModel::ArchColumn),
                 (QStringList{QStringLiteral("sm_89"), QStringLiteral("sm_90")}));
        QCOMPARE(model.distinctValues(RunHistoryModel::DriverColumn),
                 (QStringList{QStringLiteral("550.54.15"), QStringLiteral("555.42.02")}));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void filterListsTheSameRunsAsTheStore() {
        auto history =
            store::HistoryStore::open(db_.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(history);
        RunHistoryModel model;
        model.setRuns(*history->listRuns());
        RunHistoryFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::string hashPrefix = model.run(model.rowOf(QString::fromStdString(runs_.passing)))
                                           .environment.kernelSetHash.substr(0, 6);
        const auto f = [](auto setter) {
            store::RunFilter filter;
            setter(filter);
            return filter;
        };
        const std::vector<std::pair<store::RunFilter, std::size_t>> cases = {
            {{}, 4},
            {f([](auto& x) { x.gpu = "h100"; }), 2},
            {f([](auto& x) { x.gpu = "L40"; }), 1},
            {f([](auto& x) { x.arch = "sm_89"; }), 2},
            {f([](auto& x) { x.arch = "sm_8"; }), 0}, // exact, not a prefix
            {f([](auto& x) { x.driver = "550"; }), 2},
            {f([](auto& x) { x.driver = "55"; }), 0}, // a prefix ends at a dot
            {f([](auto& x) { x.driver = "555.42"; }), 2},
            {f([](auto& x) { x.toolkit = "12"; }), 3},
            {f([](auto& x) { x.kernelSet = "builtin"; }), 3},
            {f([&](auto& x) { x.kernelSet = hashPrefix; }), 1},
            {f([](auto& x) { x.status = store::RunStatus::Failed; }), 3},
            {f([](auto& x) {
                 x.status = store::RunStatus::Failed;
                 x.arch = "sm_90";
             }),
             1},
        };
        for (const auto& [filter, expected] : cases) {
            proxy.setRunFilter(filter);
            const auto listed = history->listRuns(filter);
            QVERIFY(listed);
            std::set<std::string> fromStore;
            for (const auto& run : *listed)
                fromStore.insert(run.uuid);
            QCOMPARE(shownUuids(proxy), fromStore);
            QCOMPARE(fromStore.size(), expected);
        }
    }

    void panelListsFiltersAndSelects() {
        RunHistoryPanel panel;
        QSignalSpy activated(&panel, &RunHistoryPanel::runActivated);
        QCOMPARE(panel.setDatabasePath(db_), QString());
        QVERIFY(panel.history());
        QCOMPARE(panel.notice(), QString());
        QCOMPARE(panel.model()->rowCount(), 4);
        // Newest first.
        QCOMPARE(panel.table()->model()->index(0, 0).data(RunHistoryModel::UuidRole).toString(),
                 QString::fromStdString(runs_.l40s));

        store::RunFilter filter;
        filter.driver = "555";
        filter.status = store::RunStatus::Failed;
        panel.setRunFilter(filter);
        QCOMPARE(panel.filterModel()->rowCount(), 2);
        QCOMPARE(panel.runFilter().driver, std::string("555"));
        QCOMPARE(panel.runFilter().status, std::optional(store::RunStatus::Failed));

        // A prefix selects the run; the filter that hides it is cleared.
        QVERIFY(panel.showRun(QString::fromStdString(runs_.passing.substr(0, 8))));
        QCOMPARE(panel.filterModel()->rowCount(), 4);
        QCOMPARE(panel.currentRun(), QString::fromStdString(runs_.passing));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.last().at(0).toString(), QString::fromStdString(runs_.passing));
        // Reading the database again keeps the current run without activating it again (which
        // would reload its results page).
        panel.reload();
        QCOMPARE(panel.currentRun(), QString::fromStdString(runs_.passing));
        QCOMPARE(activated.size(), 1);
        QVERIFY(!panel.showRun(QStringLiteral("ffffffff")));

        // Two selected runs compare older (baseline) against newer, whatever the click order.
        QSignalSpy compare(&panel, &RunHistoryPanel::compareRequested);
        auto* selection = panel.table()->selectionModel();
        selection->clearSelection();
        for (const std::string& uuid : {runs_.l40s, runs_.passing}) {
            const int row = panel.model()->rowOf(QString::fromStdString(uuid));
            selection->select(panel.filterModel()->mapFromSource(panel.model()->index(row, 0)),
                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        QCOMPARE(panel.selectedRuns(), (QStringList{QString::fromStdString(runs_.passing),
                                                    QString::fromStdString(runs_.l40s)}));
        panel.compareSelected();
        QCOMPARE(compare.size(), 1);
        // The context menu: every action of the selection, and they do what they say.
        std::unique_ptr<QMenu> menu(panel.makeRunMenu(nullptr));
        QStringList texts;
        for (QAction* a : menu->actions())
            if (!a->isSeparator()) texts << a->text();
        QCOMPARE(texts,
                 (QStringList{u"Show &Results"_s, u"&Compare Selected Runs"_s, u"&Export Report…"_s,
                              u"Copy as &Issue Text"_s, u"Copy Run &UUID"_s}));
        const QString current = panel.currentRun();
        QSignalSpy copyIssue(&panel, &RunHistoryPanel::copyIssueTextRequested);
        for (QAction* a : menu->actions()) {
            QVERIFY(a->isSeparator() || a->isEnabled());
            if (a->text() == u"Copy as &Issue Text"_s || a->text() == u"Copy Run &UUID"_s ||
                a->text() == u"&Compare Selected Runs"_s)
                a->trigger();
        }
        QCOMPARE(copyIssue.size(), 1);
        QCOMPARE(copyIssue.last().at(0).toString(), current);
        QCOMPARE(QGuiApplication::clipboard()->text(), current);
        QCOMPARE(compare.size(), 2);
        QCOMPARE(compare.last().at(0).toString(), QString::fromStdString(runs_.passing));
        QCOMPARE(compare.last().at(1).toString(), QString::fromStdString(runs_.l40s));
    }

    void reloadSeesRunsRecordedMeanwhile() {
        const QString path = dir_.filePath(QStringLiteral("growing.sqlite"));
        RunHistoryPanel panel;
        QCOMPARE(panel.setDatabasePath(path), QString()); // missing: an empty history
        QVERIFY(panel.notice().startsWith(QStringLiteral("No runs recorded yet in ")));
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!QFileInfo::exists(path)); // the GUI does not create it
        const HistoryFixture written = writeHistoryFixture(path);
        QVERIFY(!written.failing.empty());
        panel.reload();
        QCOMPARE(panel.model()->rowCount(), 4);
        QCOMPARE(panel.notice(), QString());
        // What the lead's Run dock calls after recording a run: select it.
        QVERIFY(panel.showRun(QString::fromStdString(written.hostile)));
        QCOMPARE(panel.currentRun(), QString::fromStdString(written.hostile));
    }

    void anEmptyFileIsAnEmptyHistoryAndStaysEmpty() {
        // SQLite reads a zero-byte file as an empty database; read-only, it stays zero bytes.
        const QString path = dir_.filePath(QStringLiteral("empty.sqlite"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        RunHistoryPanel panel;
        QCOMPARE(panel.setDatabasePath(path), QString());
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.notice(), path + QStringLiteral(" holds no runs yet."));
        QCOMPARE(QFileInfo(path).size(), 0);
    }

    void damagedOrForeignFilesAreRefusedAndLeftUntouched_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("text") << QByteArray("text")
                              << QStringLiteral("not a ptxwb history database (no SQLite header); "
                                                "it was left as is");
        QTest::newRow("other sqlite")
            << QByteArray("other")
            << QStringLiteral("an SQLite database, but not a ptxwb run history");
        QTest::newRow("corrupt pages") << QByteArray("corrupt") << QStringLiteral("malformed");
    }

    void damagedOrForeignFilesAreRefusedAndLeftUntouched() {
        QFETCH(QByteArray, kind);
        QFETCH(QString, message);
        const QString path = dir_.filePath(QString::fromLatin1(kind) + QStringLiteral(".sqlite"));
        QFile::remove(path);
        if (kind == "text") {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("this is a shopping list, not a database\n").repeated(100));
        } else if (kind == "other") {
            auto db = store::SqliteConnection::open(path.toStdString(),
                                                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
            QVERIFY(db);
            QVERIFY(db->exec("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES('x')"));
        } else {
            QVERIFY(QFile::copy(db_, path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 8192);
            f.seek(4096); // keep the header page; every page after it is noise
            f.write(QByteArray(int(f.size() - 4096), '\xab'));
        }
        const QByteArray before = fileHash(path);
        const qint64 sizeBefore = QFileInfo(path).size();

        RunHistoryPanel panel;
        QSignalSpy opened(&panel, &RunHistoryPanel::databaseOpened);
        const QString error = panel.setDatabasePath(path);
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error)); // says which file
        QCOMPARE(panel.notice(), error);
        QVERIFY(!panel.history());
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.last().at(1).toString(), error);
        panel.reload(); // and again: still refused, still no crash
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(fileHash(path), before);
        QCOMPARE(QFileInfo(path).size(), sizeBefore);
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")) ||
                QFileInfo(path + QStringLiteral("-wal")).size() == 0);
    }
};
PTXWB_QTEST_CLASS(RunHistoryTest);

#include "run_history_test.moc"
