// The Run dock against the real ptxwb CLI (this machine may have no GPU): the arguments each
// command gets, the CLI's jsonl events parsed from arbitrary chunks, an analysis that runs to
// completion and lands in a temporary history (uuid signal and the row in the store), a parity
// run that reports the missing driver in red without hanging, and Cancel ending a job that
// ignores cancellation (and its worker) within 2 s.

#include "qtest_main.h"
#include "run_dock.h"
#include "run_event_parser.h"
#include "run_form.h"
#include "run_request.h"
#include "store/history_store.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBlock>
#include <csignal>

using namespace ptxwb::views;
using namespace Qt::StringLiterals;

namespace {

QString fixturePtx() {
    return QStringLiteral(PTXWB_VIEWS_TEST_DATA "/rmsnorm_pair.ptx");
}

/// Children of `pid` (Linux /proc), e.g. the CLI's worker.
QList<qint64> childProcesses(qint64 pid) {
    QFile file(u"/proc/%1/task/%1/children"_s.arg(pid));
    QList<qint64> children;
    if (!file.open(QIODevice::ReadOnly)) return children;
    for (const QByteArray& id : file.readAll().simplified().split(' '))
        if (!id.isEmpty()) children << id.toLongLong();
    return children;
}

bool processAlive(qint64 pid) {
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly)) return false;
    return !status.readAll().contains("State:\tZ"); // a zombie has stopped running
}

/// The log's lines drawn in `colour`.
QStringList linesInColour(const QPlainTextEdit* log, const QColor& colour) {
    QStringList lines;
    for (QTextBlock b = log->document()->firstBlock(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().foreground().color() == colour) {
                lines << b.text();
                break;
            }
    return lines;
}

} // namespace

class RunDockTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(u"ptxwb-test"_s);
        QCoreApplication::setApplicationName(u"RunDockTest"_s);
        qputenv("XDG_CONFIG_HOME", configDir_.path().toUtf8());
    }

    void argumentsAreWhatAPersonWouldType() {
        RunOptions o;
        o.command = RunCommand::Parity;
        o.pairs = u" GemvQ4K , GemvQ6K"_s;
        o.batchSizes = u"1, 2,4"_s;
        o.device = 1;
        QString error;
        auto args = buildRunArguments(o, u"/tmp/h.sqlite"_s, &error);
        QVERIFY2(args, qPrintable(error));
        QCOMPARE(*args, (QStringList{u"--db"_s, u"/tmp/h.sqlite"_s, u"--progress-format"_s,
                                     u"jsonl"_s, u"--device"_s, u"1"_s, u"parity"_s, u"--pairs"_s,
                                     u"GemvQ4K,GemvQ6K"_s, u"--m"_s, u"1,2,4"_s}));

        o = {};
        o.command = RunCommand::KvValidation;
        o.model = u"m.gguf"_s;
        o.inject = u"stale-position-buf"_s;
        o.tokens = u"1,2,3"_s;
        o.kernelSet = u"ks"_s;
        args = buildRunArguments(o, {}, &error);
        QVERIFY2(args, qPrintable(error));
        QCOMPARE(*args, (QStringList{u"--progress-format"_s, u"jsonl"_s, u"--device"_s, u"0"_s,
                                     u"qa"_s, u"--kernel-set"_s, u"ks"_s, u"--validate-kv-cache"_s,
                                     u"--model"_s, u"m.gguf"_s, u"--tokens"_s, u"1,2,3"_s,
                                     u"--inject"_s, u"stale-position-buf"_s}));

        o = {};
        o.command = RunCommand::Probe;
        QVERIFY(!buildRunArguments(o, {}, &error));
        QCOMPARE(error, u"the dequant probe needs a GEMV kernel name"_s);
        o.command = RunCommand::Parity;
        o.batchSizes = u"1,two"_s;
        QVERIFY(!buildRunArguments(o, {}, &error));
        QCOMPARE(error, u"batch sizes must be integers separated by commas, got '1,two'"_s);
        o.command = RunCommand::Trace;
        QVERIFY(!buildRunArguments(o, {}, &error));
        QCOMPARE(error, u"Trace needs a GGUF model"_s);
        QCOMPARE(runCommandFromName(u"qa"_s), RunCommand::KvValidation);
        QVERIFY(!runCommandFromName(u"history"_s));
    }

    void eventsAreParsedAcrossChunks() {
        RunEventParser parser;
        auto events = parser.feed("{\"done\":3,\"event\":\"progr");
        QVERIFY(events.empty());
        events = parser.feed("ess\",\"phase\":\"parity Q6K M=4\",\"total\":40}\nptxwb: error: "
                             "boom\nplain");
        QCOMPARE(events.size(), std::size_t(2));
        QCOMPARE(events[0].kind, RunEvent::Kind::Progress);
        QCOMPARE(events[0].done, 3);
        QCOMPARE(events[0].total, 40);
        QCOMPARE(events[0].text, u"parity Q6K M=4"_s);
        QCOMPARE(events[1].kind, RunEvent::Kind::Error);
        QCOMPARE(events[1].text, u"ptxwb: error: boom"_s);
        events = parser.flush();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].kind, RunEvent::Kind::Text);
        QCOMPARE(events[0].text, u"plain"_s);
        const RunEvent recorded = RunEventParser::classify(
            "{\"command\":\"trace\",\"db\":\"/h.sqlite\",\"event\":\"recorded\",\"status\":"
            "\"error\",\"uuid\":\"abc\"}");
        QCOMPARE(recorded.kind, RunEvent::Kind::Recorded);
        QCOMPARE(recorded.uuid, u"abc"_s);
        QCOMPARE(recorded.status, u"error"_s);
        QCOMPARE(RunEventParser::classify("{\"event\": broken").kind, RunEvent::Kind::Text);
        QCOMPARE(RunEventParser::classify("ptxwb: warning: w").kind, RunEvent::Kind::Warning);
        QCOMPARE(RunEventParser::classify("\r\033[K[  3/40] parity").text, u"[  3/40] parity"_s);
    }

    void analysisRunsToCompletionAndIsRecorded() {
        QTemporaryDir dir;
        RunDock dock;
        dock.setCliPath(QStringLiteral(PTXWB_CLI_PATH));
        dock.setHistoryDatabase(dir.filePath(u"history.sqlite"_s));
        dock.resize(1100, 360);
        dock.show();
        QSignalSpy recorded(&dock, &RunDock::runRecorded);
        QSignalSpy finished(&dock, &RunDock::runFinished);
        QSignalSpy traces(&dock, &RunDock::traceRunRecorded);
        QSignalSpy kvRuns(&dock, &RunDock::kvRunRecorded);
        RunOptions o;
        o.command = RunCommand::Analyze;
        o.files = {fixturePtx()};
        dock.form()->setOptions(o);
        QTest::mouseClick(dock.runButton(), Qt::LeftButton);
        QVERIFY(dock.isRunning());
        QVERIFY(!dock.runButton()->isEnabled());
        QVERIFY(dock.cancelButton()->isEnabled());
        QVERIFY(finished.wait(60000));
        QCOMPARE(dock.lastExitCode(), 0); // two warnings and notes, no error
        QCOMPARE(recorded.count(), 1);
        const QString uuid = recorded.at(0).at(0).toString();
        QCOMPARE(uuid.size(), 36);
        QCOMPARE(dock.lastRunUuid(), uuid);
        QCOMPARE(traces.count(), 0); // an analysis records no launches
        QCOMPARE(kvRuns.count(), 0); // nor KV-cache maps
        QVERIFY(dock.runButton()->isEnabled());
        QCOMPARE(dock.progressBar()->value(), dock.progressBar()->maximum());
        const QString log = dock.logView()->toPlainText();
        QVERIFY2(log.contains(u"Recorded run "_s + uuid + u" (analyze, passed) in "_s),
                 qPrintable(log));
        QVERIFY2(log.contains(u"[pair-divergence]"_s), qPrintable(log));
        QVERIFY2(log.contains(u"Analyse finished: exit 0 (ok) — run "_s + uuid), qPrintable(log));

        auto history =
            ptxwb::store::HistoryStore::open(dir.filePath(u"history.sqlite"_s).toStdString(),
                                             ptxwb::store::HistoryStore::OpenMode::ReadOnly);
        QVERIFY(bool(history));
        auto run = history->loadRun(uuid.toStdString());
        QVERIFY2(bool(run), run ? "" : run.error().format().c_str());
        QCOMPARE(QString::fromStdString(run->command), u"analyze"_s);
        // The history holds every finding the CLI reported ("E error(s), W warning(s), N note(s)").
        const QRegularExpression counts(
            u"(\\d+) error\\(s\\), (\\d+) warning\\(s\\), (\\d+) note\\(s\\)"_s);
        const auto m = counts.match(log);
        QVERIFY2(m.hasMatch(), qPrintable(log));
        QCOMPARE(m.captured(1).toInt(), 0);
        QVERIFY(run->findings.size() > 0);
        QCOMPARE(run->findings.size(), std::size_t(m.captured(1).toInt() + m.captured(2).toInt() +
                                                   m.captured(3).toInt()));
        QVERIFY(dock.grab().save(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/run_dock_analyze.png")));
    }

    void parityWithoutGpuReportsTheEnvironmentInRed() {
        QTemporaryDir dir;
        RunDock dock;
        dock.setCliPath(QStringLiteral(PTXWB_CLI_PATH));
        dock.setHistoryDatabase(dir.filePath(u"history.sqlite"_s));
        dock.resize(1100, 360);
        dock.show();
        QSignalSpy recorded(&dock, &RunDock::runRecorded);
        QSignalSpy finished(&dock, &RunDock::runFinished);
        RunOptions o;
        o.command = RunCommand::Parity;
        o.batchSizes = u"1,4"_s;
        QVERIFY(dock.start(o));
        QVERIFY(finished.wait(60000));
        const int exitCode = dock.lastExitCode();
        if (exitCode == 0 || exitCode == 1) QSKIP("this machine has a GPU: parity ran");
        QCOMPARE(exitCode, 4);
        QCOMPARE(recorded.count(), 0); // nothing ran, nothing recorded
        const QStringList red = linesInColour(dock.logView(), QColor(0xe0, 0x3c, 0x3c));
        QVERIFY2(!red.isEmpty() && red.first().startsWith(u"ptxwb: error: no CUDA driver"_s),
                 qPrintable(red.join(u'\n')));
        QVERIFY2(
            red.last().startsWith(
                u"Parity finished: exit 4 (environment: no GPU, driver or NVRTC) — nothing recorded"_s),
            qPrintable(red.last()));
        QTest::qWait(50); // let the layout take the wrapped status line
        QVERIFY(dock.grab().save(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR "/run_dock_no_gpu.png")));

        // The dock keeps working: the next run starts a fresh CLI (and worker).
        o.command = RunCommand::Analyze;
        o.files = {fixturePtx()};
        QVERIFY(dock.start(o));
        QVERIFY(finished.wait(60000));
        QCOMPARE(dock.lastExitCode(), 0);
    }

    void jsonlProgressDrivesTheProgressBar() {
        RunDock dock;
        dock.setCliPath(QStringLiteral(PTXWB_CLI_PATH));
        QSignalSpy finished(&dock, &RunDock::runFinished);
        QList<QPair<int, int>> seen; // (value, maximum) at each change
        QProgressBar* bar = dock.progressBar();
        connect(bar, &QProgressBar::valueChanged, this, [&seen, bar](int value) {
            seen.append({value, bar->maximum()});
        });
        QVERIFY(dock.startArguments({u"--progress-format"_s, u"jsonl"_s, u"run-job"_s,
                                     u"test.progress"_s, u"--params"_s, u"{\"steps\": 7}"_s},
                                    u"Steps"_s));
        QCOMPARE(dock.progressBar()->maximum(), 0); // busy until the CLI says how much
        QVERIFY(finished.wait(30000));
        QCOMPARE(dock.lastExitCode(), 0);
        QVERIFY2(seen.contains(QPair<int, int>(7, 7)), qPrintable(QDebug::toString(seen)));
        // The worker's log lines reach the log; progress events do not.
        const QString log = dock.logView()->toPlainText();
        QVERIFY2(log.contains(u"finished step 7"_s), qPrintable(log));
        QVERIFY2(!log.contains(u"\"event\""_s), qPrintable(log));
    }

    void aCrashedWorkerIsAFaultInRedAndTheDockKeepsWorking() {
        QTemporaryDir dir;
        RunDock dock;
        dock.setCliPath(QStringLiteral(PTXWB_CLI_PATH));
        QSignalSpy finished(&dock, &RunDock::runFinished);
        // test.abort crashes the worker, as a kernel's fault poisoning the process does.
        QVERIFY(dock.startArguments(
            {u"--db"_s, dir.filePath(u"h.sqlite"_s), u"run-job"_s, u"test.abort"_s}, u"Abort"_s));
        QVERIFY(finished.wait(30000));
        QCOMPARE(dock.lastExitCode(), 5);
        const QStringList red = linesInColour(dock.logView(), QColor(0xe0, 0x3c, 0x3c));
        QVERIFY2(!red.isEmpty() && red.last().startsWith(u"Abort finished: exit 5 (GPU fault, "
                                                         u"cancel or internal error)"_s),
                 qPrintable(red.join(u'\n')));
        QVERIFY2(dock.logView()->toPlainText().contains(u"worker killed by signal 6"_s),
                 qPrintable(dock.logView()->toPlainText()));
        QVERIFY(dock.startArguments({u"run-job"_s, u"test.echo"_s}, u"Echo"_s));
        QVERIFY(finished.wait(30000));
        QCOMPARE(dock.lastExitCode(), 0);
    }

    void cancelStopsAJobThatIgnoresItWithinTwoSeconds() {
        QTemporaryDir dir;
        RunDock dock;
        dock.setCliPath(QStringLiteral(PTXWB_CLI_PATH));
        QSignalSpy finished(&dock, &RunDock::runFinished);
        // test.sleep ignores cancellation, as a hung kernel does: only killing its worker ends it.
        QVERIFY(dock.startArguments({u"--db"_s, dir.filePath(u"h.sqlite"_s), u"--progress-format"_s,
                                     u"jsonl"_s, u"run-job"_s, u"test.sleep"_s, u"--params"_s,
                                     u"{\"seconds\": 60}"_s},
                                    u"Sleep"_s));
        // Wait until the CLI has started its worker.
        const qint64 cli = dock.findChild<RunProcess*>()->pid();
        QTRY_VERIFY_WITH_TIMEOUT(!childProcesses(cli).isEmpty(), 10000);
        const qint64 worker = childProcesses(cli).first();
        QTest::qWait(200); // the worker has the job
        QElapsedTimer clock;
        clock.start();
        QTest::keyClick(dock.cancelButton(), Qt::Key_Space);
        QVERIFY(finished.wait(5000));
        QVERIFY2(clock.elapsed() < 2000, qPrintable(u"took %1 ms"_s.arg(clock.elapsed())));
        QCOMPARE(finished.at(0).at(1).value<RunEnd>(), RunEnd::Cancelled);
        QCOMPARE(dock.lastExitCode(), 5);
        QVERIFY2(!processAlive(worker), "the CLI left its worker running");
        const QString log = dock.logView()->toPlainText();
        QVERIFY2(log.contains(u"did not stop within 1000 ms of the cancel; worker killed"_s),
                 qPrintable(log));
        QVERIFY2(log.contains(u"Sleep cancelled (ptxwb exited with 5)"_s), qPrintable(log));
    }

private:
    QTemporaryDir configDir_;
};

PTXWB_QTEST_CLASS(RunDockTest);
#include "run_dock_test.moc"
