// Report export from the GUI: every format byte for byte what `ptxwb report` writes (Markdown
// with its heatmap PNGs), "Copy as Issue Text", and the export dialog's format, baseline and
// error handling.

#include "history_fixture.h"
#include "qtest_main.h"
#include "report_export.h"
#include "report_export_dialog.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;

namespace {

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class ReportExportTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    HistoryFixture runs_;
    std::shared_ptr<store::HistoryStore> history_;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           dir_.filePath(QStringLiteral("config")));
        db_ = dir_.filePath(QStringLiteral("history.sqlite"));
        QString error;
        runs_ = writeHistoryFixture(db_, &error);
        QVERIFY2(!runs_.failing.empty(), qPrintable(error));
        auto opened =
            store::HistoryStore::open(db_.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(opened);
        history_ = std::make_shared<store::HistoryStore>(std::move(*opened));
    }

    void everyFormatIsWhatTheCliWrites_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("markdown") << int(reports::ReportFormat::Markdown) << QStringLiteral("r.md");
        QTest::newRow("html") << int(reports::ReportFormat::Html) << QStringLiteral("r.html");
        QTest::newRow("json") << int(reports::ReportFormat::Json) << QStringLiteral("r.json");
        QTest::newRow("junit") << int(reports::ReportFormat::Junit) << QStringLiteral("r.xml");
        QTest::newRow("sarif") << int(reports::ReportFormat::Sarif) << QStringLiteral("r.sarif");
    }

    void everyFormatIsWhatTheCliWrites() {
        QFETCH(int, format);
        QFETCH(QString, fileName);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        QDir root(dir_.path());
        QVERIFY(root.mkpath(tag + QStringLiteral("/gui")) &&
                root.mkpath(tag + QStringLiteral("/cli")));
        const QString guiDir = root.filePath(tag + QStringLiteral("/gui"));
        const QString cliDir = root.filePath(tag + QStringLiteral("/cli"));

        ReportRequest request{runs_.failing, runs_.passing,
                              static_cast<reports::ReportFormat>(format),
                              QDir(guiDir).filePath(fileName).toStdString()};
        auto written = exportRunReport(*history_, request);
        QVERIFY2(written, written ? "" : written.error().format().c_str());

        QProcess cli;
        cli.start(QStringLiteral(PTXWB_CLI_PATH),
                  {QStringLiteral("--db"), db_, QStringLiteral("report"),
                   QString::fromStdString(runs_.failing), QStringLiteral("--against"),
                   QString::fromStdString(runs_.passing), QStringLiteral("-o"),
                   QDir(cliDir).filePath(fileName)});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

        const QStringList guiFiles = QDir(guiDir).entryList(QDir::Files, QDir::Name);
        QCOMPARE(guiFiles, QDir(cliDir).entryList(QDir::Files, QDir::Name));
        QCOMPARE(guiFiles.size(), int(written->size()));
        if (format == int(reports::ReportFormat::Markdown))
            QVERIFY(guiFiles.size() >= 3); // the report and the two failing checks' heatmaps
        for (const QString& f : guiFiles) {
            const QByteArray gui = contents(QDir(guiDir).filePath(f));
            QVERIFY(!gui.isEmpty());
            QVERIFY2(gui == contents(QDir(cliDir).filePath(f)), qPrintable(f));
        }
    }

    void issueTextIsTheMarkdownWithoutImages() {
        auto text = runIssueText(*history_, runs_.failing);
        QVERIFY(text);
        const QString markdown = QString::fromStdString(*text);
        QVERIFY(markdown.contains(QString::fromLatin1(kFailingCheck)));
        QVERIFY(markdown.contains(QString::fromStdString(runs_.failing)));
        QVERIFY(!markdown.contains(QStringLiteral(".png")));
        QVERIFY(!runIssueText(*history_, "not-a-run"));
    }

    void dialogExportsCopiesAndSaysWhatWentWrong() {
        auto listed = history_->listRuns();
        QVERIFY(listed);
        ReportExportDialog dialog(history_, runs_.failing, *listed);
        QVERIFY(dialog.outputPath().endsWith(
            QStringLiteral("ptxwb-report-%1.md")
                .arg(QString::fromStdString(runs_.failing.substr(0, 8)))));
        dialog.setOutputPath(dir_.filePath(QStringLiteral("dialog/report.md")));
        QVERIFY(QDir(dir_.path()).mkpath(QStringLiteral("dialog")));
        dialog.setFormat(reports::ReportFormat::Html);
        QCOMPARE(dialog.outputPath(), dir_.filePath(QStringLiteral("dialog/report.html")));
        QVERIFY(!dialog.setBaseline(QString::fromStdString(runs_.failing))); // not itself
        QVERIFY(dialog.setBaseline(QString::fromStdString(runs_.passing)));
        QCOMPARE(dialog.baseline(), QString::fromStdString(runs_.passing));
        const QStringList written = dialog.exportNow();
        QCOMPARE(written, QStringList{dir_.filePath(QStringLiteral("dialog/report.html"))});
        QCOMPARE(dialog.message(), QStringLiteral("Wrote 1 file(s):\n") + written.front());
        // The next export starts in the folder of this one.
        ReportExportDialog next(history_, runs_.passing, *listed);
        QCOMPARE(QFileInfo(next.outputPath()).absolutePath(),
                 dir_.filePath(QStringLiteral("dialog")));
        // The comparison section (the stylesheet names "newly_failing" in every HTML report).
        QVERIFY(contents(written.front()).contains("<p>Newly failing: <b>"));

        // Under a plain file: no folder can be made there.
        const QString blocked = dir_.filePath(QStringLiteral("history.sqlite/sub/report.html"));
        dialog.setOutputPath(blocked);
        QVERIFY(dialog.exportNow().isEmpty());
        QCOMPARE(dialog.message(),
                 QStringLiteral("Export failed: ") +
                     dir_.filePath(QStringLiteral("history.sqlite/sub")) +
                     QStringLiteral(": cannot create directory: Not a directory"));
        dialog.setOutputPath(QString());
        QVERIFY(dialog.exportNow().isEmpty());
        QCOMPARE(dialog.message(), QStringLiteral("Choose an output file."));

        QVERIFY(dialog.copyIssueText());
        const QString clipboard = QGuiApplication::clipboard()->text();
        auto expected = runIssueText(*history_, runs_.failing, runs_.passing);
        QVERIFY(expected);
        QCOMPARE(clipboard, QString::fromStdString(*expected));
        QVERIFY(dialog.message().startsWith(QStringLiteral("Copied the Markdown report")));
    }
};
PTXWB_QTEST_CLASS(ReportExportTest);

#include "report_export_test.moc"
