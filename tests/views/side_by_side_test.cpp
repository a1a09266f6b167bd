// The side-by-side view: rows aligned by the normalised diff (a synthetic pair whose alignment
// is known line by line, and the seed's RMSNorm pair), filler rows, shading, synchronised
// scrolling, the overview strip and findings mapped into the panes. Screenshots in light and
// dark go to the build tree.

#include "compare_dialog.h"
#include "diff_overview_strip.h"
#include "ptx_text_view.h"
#include "qtest_main.h"
#include "side_by_side_view.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QScrollBar>
#include <set>

using namespace ptxwb::views;
using ptxwb::ptx::DiffKind;

namespace {

// Same kernel twice: registers renamed, one extra instruction and one declaration on the right,
// and an add whose second operand is another register (same shape, operands differ beyond
// renaming: Changed). A changed constant would change the shape: only-left + only-right. Line
// numbers (0-based) are what the test asserts.
const char* kLeft = R"(.version 8.0
.target sm_80
.address_size 64

.visible .entry scale(.param .u64 scale_p)
{
	.reg .b32 	%r<4>;
	mov.u32 	%r1, %tid.x;
	add.s32 	%r2, %r1, %r1;
	ret;
}
)";
const char* kRight = R"(.version 8.0
.target sm_80
.address_size 64

.visible .entry batched_scale(.param .u64 batched_scale_p)
{
	.reg .b32 	%q<9>;
	.reg .b64 	%rd<2>;
	mov.u32 	%q5, %tid.x;
	mov.u32 	%q6, %ctaid.y;
	add.s32 	%q7, %q5, %q6;
	ret;
}
)";

QString seedFixture(const char* name) {
    return QStringLiteral(PTXWB_TEST_DATA "/analysis/rmsnorm_u64_shared/") +
           QString::fromLatin1(name);
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString artifact(const char* name) {
    return QDir(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR)).filePath(QString::fromLatin1(name));
}

} // namespace

class SideBySideTest : public QObject {
    Q_OBJECT

private slots:
    void alignsAKnownPairRowByRow() {
        SideBySideView view;
        QCOMPARE(
            view.setSides({QStringLiteral("left.ptx"), kLeft, QStringLiteral("scale")},
                          {QStringLiteral("right.ptx"), kRight, QStringLiteral("batched_scale")}),
            QString());
        const FunctionAlignment& a = view.alignment();
        QCOMPARE(a.leftFirstLine, 4);
        QCOMPARE(a.leftLastLine, 10);
        QCOMPARE(a.rightFirstLine, 4);
        QCOMPARE(a.rightLastLine, 12);
        struct Expected {
            int left, right;
            DiffKind kind;
            bool instruction;
        };
        const Expected expected[] = {
            {4, 4, DiffKind::Same, false},      // .entry header
            {5, 5, DiffKind::Same, false},      // {
            {6, 6, DiffKind::Same, false},      // .reg .b32
            {-1, 7, DiffKind::Same, false},     // .reg .b64 only on the right: filler left
            {7, 8, DiffKind::Same, true},       // mov %tid.x, registers renamed
            {-1, 9, DiffKind::OnlyRight, true}, // mov %ctaid.y
            {8, 10, DiffKind::Changed, true},   // add %r1, %r1 vs add %q5, %q6
            {9, 11, DiffKind::Same, true},      // ret
            {10, 12, DiffKind::Same, false},    // }
        };
        QCOMPARE(a.rows.size(), std::size(expected));
        for (std::size_t i = 0; i < a.rows.size(); ++i) {
            const AlignedRow& r = a.rows[i];
            const QString where = QStringLiteral("row %1").arg(i);
            QVERIFY2(r.left == expected[i].left, qPrintable(where));
            QVERIFY2(r.right == expected[i].right, qPrintable(where));
            QVERIFY2(r.kind == expected[i].kind, qPrintable(where));
            QVERIFY2(r.instruction == expected[i].instruction, qPrintable(where));
        }
        QCOMPARE(a.same, 2u);
        QCOMPARE(a.changed, 1u);
        QCOMPARE(a.onlyRight, 1u);
        QCOMPARE(view.summary(), QStringLiteral("1 changed · 0 only left · 1 only right · 2 same"));
        QCOMPARE(view.title(), QStringLiteral("scale ↔ batched_scale"));

        // Both panes have one line per row; the gutter shows file line numbers, none on fillers.
        PtxTextView* left = view.pane(SideBySideView::Left);
        PtxTextView* right = view.pane(SideBySideView::Right);
        QCOMPARE(left->buffer().lineCount(), int(a.rows.size()));
        QCOMPARE(right->buffer().lineCount(), int(a.rows.size()));
        QCOMPARE(left->buffer().line(4), QStringLiteral("\tmov.u32 \t%r1, %tid.x;"));
        QCOMPARE(right->buffer().line(4), QStringLiteral("\tmov.u32 \t%q5, %tid.x;"));
        QCOMPARE(left->buffer().line(3), QString());
        QCOMPARE(left->displayedLineNumber(3), 0);
        QCOMPARE(left->displayedLineNumber(4), 8);
        QCOMPARE(right->displayedLineNumber(5), 10);
        QCOMPARE(view.rowForLine(SideBySideView::Right, 9), 5);
        // Folding one pane would shift its rows against the other's.
        left->foldAll();
        QVERIFY(left->isLineVisible(5));
        QCOMPARE(view.lineForRow(SideBySideView::Left, 5), -1);

        // Shading: fillers, only-right and changed rows; same rows keep the background.
        const EditorTheme& theme = left->theme();
        QCOMPARE(left->lineBackground(3), theme.diffFiller);
        QCOMPARE(left->lineBackground(5), theme.diffFiller);
        QCOMPARE(right->lineBackground(5), theme.diffOnlyRight);
        QCOMPARE(left->lineBackground(6), theme.diffChanged);
        QCOMPARE(right->lineBackground(6), theme.diffChanged);
        QVERIFY(!left->lineBackground(4).isValid());
    }

    void unknownFunctionIsAnErrorNamingIt() {
        SideBySideView view;
        const QString error =
            view.setSides({QStringLiteral("left.ptx"), kLeft, QStringLiteral("scale")},
                          {QStringLiteral("right.ptx"), kRight, QStringLiteral("missing")});
        QVERIFY2(error.contains(QStringLiteral("right.ptx: no function 'missing' with a body")),
                 qPrintable(error));
    }

    void seedPairShowsEveryLineOnceInOrder() {
        const QByteArray single = readAll(seedFixture("single.ptx"));
        const QByteArray batched = readAll(seedFixture("batched.ptx"));
        QVERIFY(!single.isEmpty() && !batched.isEmpty());
        SideBySideView view;
        QCOMPARE(view.setSides(
                     {seedFixture("single.ptx"), single, QStringLiteral("VectorizedRmsNormKernel")},
                     {seedFixture("batched.ptx"), batched,
                      QStringLiteral("BatchedVectorizedRmsNormKernel")}),
                 QString());
        const FunctionAlignment& a = view.alignment();
        for (int side = 0; side < 2; ++side) {
            std::vector<int> shown;
            for (const AlignedRow& r : a.rows)
                if ((side == 0 ? r.left : r.right) >= 0)
                    shown.push_back(side == 0 ? r.left : r.right);
            const int first = side == 0 ? a.leftFirstLine : a.rightFirstLine;
            const int last = side == 0 ? a.leftLastLine : a.rightLastLine;
            QCOMPARE(int(shown.size()), last - first + 1);
            for (std::size_t i = 0; i < shown.size(); ++i)
                QCOMPARE(shown[i], first + int(i));
        }
        // The batched kernel's row selection has no counterpart in the single kernel. The
        // shared store's address differs in register width, which is part of an instruction's
        // shape: the single kernel's 32-bit address computation and store are only-left, the
        // batched kernel's 64-bit ones only-right, in one hunk.
        const int ctaid = view.rowForLine(SideBySideView::Right, 32); // mov.u32 %r6, %ctaid.y
        QCOMPARE(a.rows[std::size_t(ctaid)].kind, DiffKind::OnlyRight);
        const int store = view.rowForLine(SideBySideView::Right, 79); // st.shared.f32 [%rd16]
        QCOMPARE(a.rows[std::size_t(store)].kind, DiffKind::OnlyRight);
        const int singleStore = view.rowForLine(SideBySideView::Left, 68); // st.shared [%r22]
        QCOMPARE(a.rows[std::size_t(singleStore)].kind, DiffKind::OnlyLeft);
        QVERIFY(singleStore < store && store - singleStore <= 4);
        for (int r = singleStore; r <= store; ++r)
            QVERIFY(a.rows[std::size_t(r)].kind != DiffKind::Same);
    }

    void panesScrollTogetherAndTheStripFollows() {
        SideBySideView view;
        view.resize(900, 300);
        const QByteArray single = readAll(seedFixture("single.ptx"));
        const QByteArray batched = readAll(seedFixture("batched.ptx"));
        QCOMPARE(view.setSides(
                     {seedFixture("single.ptx"), single, QStringLiteral("VectorizedRmsNormKernel")},
                     {seedFixture("batched.ptx"), batched,
                      QStringLiteral("BatchedVectorizedRmsNormKernel")}),
                 QString());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QScrollBar* left = view.pane(SideBySideView::Left)->verticalScrollBar();
        QScrollBar* right = view.pane(SideBySideView::Right)->verticalScrollBar();
        QVERIFY(right->maximum() > 20);
        QCOMPARE(left->maximum(), right->maximum());
        right->setValue(20);
        QCOMPARE(left->value(), 20);
        left->setValue(7);
        QCOMPARE(right->value(), 7);
        // A click on the strip at a difference's band scrolls both panes to it.
        DiffOverviewStrip* strip = view.overview();
        const int store = view.rowForLine(SideBySideView::Right, 79);
        const QRectF band = strip->bandRect(store);
        QCOMPARE(strip->rowAt(band.center().y()), store);
        QTest::mouseClick(strip, Qt::LeftButton, {}, band.center().toPoint());
        QVERIFY(left->value() <= store && store < left->value() + 20);
        QCOMPARE(right->value(), left->value());
    }

    void findingsLandOnTheirRows() {
        SideBySideView view;
        QCOMPARE(
            view.setSides({QStringLiteral("left.ptx"), kLeft, QStringLiteral("scale")},
                          {QStringLiteral("right.ptx"), kRight, QStringLiteral("batched_scale")}),
            QString());
        EditorFinding f;
        f.severity = FindingSeverity::Warning;
        f.ruleId = QStringLiteral("batched-row-selection");
        f.file = QStringLiteral("right.ptx");
        f.range = {{9, 1}, {9, 8}}; // mov.u32 %q6, %ctaid.y
        f.related = {{{8, 1}, {8, 8}}};
        EditorFinding outside = f;
        outside.range = {{1, 0}, {1, 4}}; // .target: not in the function, not shown
        view.setFindings(SideBySideView::Right, {f, outside});
        PtxTextView* right = view.pane(SideBySideView::Right);
        QCOMPARE(right->findings().size(), std::size_t(1));
        QCOMPARE(right->findings()[0].range.begin, (TextPosition{5, 1}));
        QCOMPARE(right->findings()[0].related.at(0).begin, (TextPosition{4, 1}));
        QCOMPARE(right->findingMarkerOnLine(5), 0);
        QVERIFY(view.pane(SideBySideView::Left)->findings().empty());
    }

    void compareDialogListsFunctionsOfBothFiles() {
        CompareDialog dialog;
        QVERIFY(!dialog.problem().isEmpty()); // nothing chosen yet: Compare is disabled
        dialog.setFile(0, seedFixture("single.ptx"));
        // The right side starts as the same file; pick the batched one.
        QCOMPARE(dialog.file(1), seedFixture("single.ptx"));
        dialog.setFile(1, seedFixture("batched.ptx"));
        QCOMPARE(dialog.function(0), QStringLiteral("VectorizedRmsNormKernel"));
        QCOMPARE(dialog.function(1), QStringLiteral("BatchedVectorizedRmsNormKernel"));
        QCOMPARE(dialog.problem(), QString());
        dialog.setFile(1, QStringLiteral("/nonexistent/x.ptx"));
        QCOMPARE(dialog.problem(), QStringLiteral("/nonexistent/x.ptx: no such file"));
    }

    void screenshotsInLightAndDark() {
        const QByteArray single = readAll(seedFixture("single.ptx"));
        const QByteArray batched = readAll(seedFixture("batched.ptx"));
        for (const bool dark : {false, true}) {
            SideBySideView view;
            view.resize(1300, 700);
            for (int s = 0; s < 2; ++s)
                view.pane(SideBySideView::Side(s))->setThemeOverride(dark);
            QCOMPARE(view.setSides({seedFixture("single.ptx"), single,
                                    QStringLiteral("VectorizedRmsNormKernel")},
                                   {seedFixture("batched.ptx"), batched,
                                    QStringLiteral("BatchedVectorizedRmsNormKernel")}),
                     QString());
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            view.pane(SideBySideView::Left)->scrollToLine(28);
            // The filler colour is painted across the pane on a filler row.
            PtxTextView* left = view.pane(SideBySideView::Left);
            int fillerRow = -1;
            for (int r = 28; r < left->buffer().lineCount() && fillerRow < 0; ++r)
                if (view.lineForRow(SideBySideView::Left, r) < 0) fillerRow = r;
            QVERIFY(fillerRow >= 0);
            const QImage image = left->viewport()->grab().toImage();
            const int y = int((fillerRow - left->firstVisibleLine() + 0.5) * left->lineHeight() *
                              image.devicePixelRatio());
            // The filler colour fills the row (between the hatch lines).
            int filler = 0;
            for (int x = 0; x < image.width(); ++x)
                filler += image.pixelColor(x, y) == left->theme().diffFiller ? 1 : 0;
            QVERIFY2(filler > image.width() / 2, qPrintable(QString::number(filler)));
            QVERIFY(view.grab().save(
                artifact(dark ? "side_by_side_dark.png" : "side_by_side_light.png")));
        }
    }
};

PTXWB_QTEST_CLASS(SideBySideTest);
#include "side_by_side_test.moc"
