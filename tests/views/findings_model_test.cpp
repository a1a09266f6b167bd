// The findings table model and its sort/filter proxy, checked by QAbstractItemModelTester.

#include "findings_filter_model.h"
#include "findings_table_model.h"
#include "qtest_main.h"

#include <QAbstractItemModelTester>

using namespace ptxwb::views;

namespace {
EditorFinding finding(FindingSeverity s, const char* rule, const char* kernel, int line,
                      const char* message) {
    EditorFinding f;
    f.severity = s;
    f.ruleId = QString::fromLatin1(rule);
    f.kernel = QString::fromLatin1(kernel);
    f.file = QStringLiteral("/k/rmsnorm.ptx");
    f.range = {{line, 0}, {line, 4}};
    f.message = QString::fromLatin1(message);
    return f;
}
std::vector<EditorFinding> sample() {
    return {finding(FindingSeverity::Warning, "uncoalesced-load", "rmsnorm_f32", 45, "stride 4096"),
            finding(FindingSeverity::Error, "shared-address-64", "batched_rmsnorm_f32", 102,
                    "64-bit address into shared memory"),
            finding(FindingSeverity::Note, "register-pressure", "rmsnorm_f32", 9, "40 registers"),
            finding(FindingSeverity::Warning, "missing-bounds-check", "batched_rmsnorm_f32", 100,
                    "row index not checked against M")};
}
} // namespace

class FindingsModelTest : public QObject {
    Q_OBJECT
private slots:
    void modelPassesTheTesterThroughResets() {
        FindingsTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFindings(sample());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.index(1, FindingsTableModel::SeverityColumn).data().toString(),
                 QStringLiteral("Error"));
        QCOMPARE(model.index(1, FindingsTableModel::LocationColumn).data().toString(),
                 QStringLiteral("rmsnorm.ptx:103"));
        QCOMPARE(model.headerData(FindingsTableModel::MessageColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Message"));
        const auto counts = model.countsBySeverity();
        QCOMPARE(counts[0], 1);
        QCOMPARE(counts[1], 2);
        QCOMPARE(counts[2], 1);
        model.setFindings({});
        QCOMPARE(model.rowCount(), 0);
    }
    void proxySortsBySeverityAndLine() {
        FindingsTableModel model;
        FindingsFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFindings(sample());
        proxy.sort(FindingsTableModel::SeverityColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, FindingsTableModel::RuleColumn).data().toString(),
                 QStringLiteral("shared-address-64"));
        QCOMPARE(proxy.index(3, FindingsTableModel::RuleColumn).data().toString(),
                 QStringLiteral("register-pressure"));
        // Line 9 before line 45 before 100 before 102: numeric, not "102" < "45".
        proxy.sort(FindingsTableModel::LocationColumn, Qt::AscendingOrder);
        QStringList order;
        for (int r = 0; r < proxy.rowCount(); ++r)
            order << proxy.index(r, FindingsTableModel::LocationColumn).data().toString();
        QCOMPARE(order, (QStringList{
                            QStringLiteral("rmsnorm.ptx:10"), QStringLiteral("rmsnorm.ptx:46"),
                            QStringLiteral("rmsnorm.ptx:101"), QStringLiteral("rmsnorm.ptx:103")}));
    }
    void proxyFiltersBySeverityAndText() {
        FindingsTableModel model;
        FindingsFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFindings(sample());
        proxy.setMinimumSeverity(FindingSeverity::Warning);
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setMinimumSeverity(FindingSeverity::Error);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setMinimumSeverity(FindingSeverity::Note);
        proxy.setText(QStringLiteral("BATCHED"));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setText(QStringLiteral("shared memory"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.mapToSource(proxy.index(0, 0)).row(), 1);
        proxy.setText(QStringLiteral("no such thing"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setText({});
        QCOMPARE(proxy.rowCount(), 4);
    }
};
PTXWB_QTEST_CLASS(FindingsModelTest);

#include "findings_model_test.moc"
