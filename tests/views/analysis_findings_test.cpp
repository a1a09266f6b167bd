// The analyzer in the views: analysis::Finding → EditorFinding coordinates, runAnalysis over
// in-memory text (what the editor holds), parse failures, and the debounced scheduler.

#include "analysis/finding.h"
#include "analysis_findings.h"
#include "analysis_scheduler.h"
#include "qtest_main.h"

#include <QFile>
#include <QSignalSpy>

using namespace ptxwb::views;

namespace {
QString batchedFixture() {
    return QStringLiteral(PTXWB_TEST_DATA "/analysis/rmsnorm_u64_shared/batched.ptx");
}
QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
const EditorFinding* firstOf(const std::vector<EditorFinding>& list, const char* rule) {
    for (const auto& f : list)
        if (f.ruleId == QLatin1String(rule)) return &f;
    return nullptr;
}
} // namespace

class AnalysisFindingsTest : public QObject {
    Q_OBJECT
private slots:
    void convertsOneBasedInclusiveToEditorRanges() {
        ptxwb::analysis::Finding f;
        f.ruleId = "shared-address-64bit";
        f.severity = ptxwb::analysis::Severity::Error;
        f.kernel = "k";
        f.location = {"a.ptx", 0, 7, 80, 17, 80, 23, "\tst.shared.f32 \t[%rd16], %f18;"};
        f.related.push_back({{"a.ptx", 0, 3, 41, 2, 41, 8, ""}, "formed here"});
        f.related.push_back({{"other.ptx", 0, 3, 5, 1, 5, 3, ""}, "elsewhere"});
        f.message = "msg";
        f.fixHint = "hint";
        const EditorFinding e = toEditorFinding(f);
        QCOMPARE(e.severity, FindingSeverity::Error);
        QCOMPARE(e.range.begin, (TextPosition{79, 16}));
        QCOMPARE(e.range.end, (TextPosition{79, 23}));
        QCOMPARE(e.related.size(), std::size_t(1)); // only ranges in the same file
        QCOMPARE(e.related[0].begin, (TextPosition{40, 1}));
        QCOMPARE(e.ruleTitle, QStringLiteral("Shared memory addressed through a 64-bit register"));
        QCOMPARE(e.fixHint, QStringLiteral("hint"));
    }

    void analysesTheEditorsTextNotTheDisk() {
        AnalysisRequest request;
        request.files.push_back({QStringLiteral("edited.ptx"), readAll(batchedFixture())});
        AnalysisOutcome outcome = runAnalysis(request);
        QCOMPARE(outcome.analysedFiles, QStringList{QStringLiteral("edited.ptx")});
        const EditorFinding* shared = firstOf(outcome.findings, "shared-address-64bit");
        QVERIFY(shared);
        QCOMPARE(shared->file, QStringLiteral("edited.ptx"));
        QCOMPARE(shared->range.begin, (TextPosition{79, 16}));
        QCOMPARE(shared->kernel, QStringLiteral("BatchedVectorizedRmsNormKernel"));

        // Two lines inserted above: the finding moves with the text.
        request.files[0].text.prepend("// one\n// two\n");
        outcome = runAnalysis(request);
        shared = firstOf(outcome.findings, "shared-address-64bit");
        QVERIFY(shared);
        QCOMPARE(shared->range.begin.line, 81);
    }

    void unparsableTextIsReportedWithItsLocation() {
        AnalysisRequest request;
        request.files.push_back(
            {QStringLiteral("bad.ptx"),
             QByteArrayLiteral(".version 8.0\n.target sm_80\n.address_size 64\n"
                               ".visible .entry k()\n{\n\tmov.u32 %r1 %tid.x;\n}\n")});
        const AnalysisOutcome outcome = runAnalysis(request);
        QCOMPARE(outcome.failedFiles, QStringList{QStringLiteral("bad.ptx")});
        QVERIFY(outcome.analysedFiles.isEmpty());
        QCOMPARE(outcome.problems.size(), 1);
        QVERIFY2(outcome.problems[0].startsWith(QStringLiteral("bad.ptx:6:")),
                 qPrintable(outcome.problems[0]));
    }

    void schedulerDebouncesAndKeepsTheNewest() {
        AnalysisScheduler scheduler;
        QSignalSpy spy(&scheduler, &AnalysisScheduler::analysed);
        const QByteArray text = readAll(batchedFixture());
        for (int i = 0; i < 5; ++i) {
            AnalysisRequest request;
            // Each request shifts the text by i lines: only the last one may come back.
            request.files.push_back({QStringLiteral("k.ptx"), QByteArray(i, '\n') + text});
            scheduler.schedule(QStringLiteral("k.ptx"), std::move(request), 50);
        }
        QCOMPARE(scheduler.pendingCount(), 1);
        QTRY_COMPARE(spy.size(), 1);
        QTest::qWait(100);
        QCOMPARE(spy.size(), 1);
        const auto outcome = spy.at(0).at(1).value<AnalysisOutcome>();
        const EditorFinding* shared = firstOf(outcome.findings, "shared-address-64bit");
        QVERIFY(shared);
        QCOMPARE(shared->range.begin.line, 79 + 4);
        QCOMPARE(scheduler.pendingCount(), 0);

        // A cancelled key reports nothing.
        AnalysisRequest request;
        request.files.push_back({QStringLiteral("k.ptx"), text});
        scheduler.schedule(QStringLiteral("k.ptx"), std::move(request), 0);
        scheduler.cancel(QStringLiteral("k.ptx"));
        QTest::qWait(200);
        scheduler.waitForIdle();
        QCoreApplication::processEvents();
        QCOMPARE(spy.size(), 1);
    }
};

PTXWB_QTEST_CLASS(AnalysisFindingsTest);
#include "analysis_findings_test.moc"
