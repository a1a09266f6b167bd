// The PTX editor widget: painted highlight and gutter markers, navigation, folding, search,
// editing, laziness of the highlighter. Runs offscreen; screenshots go to the build tree.

#include "marker_scroll_bar.h"
#include "ptx_editor.h"
#include "qtest_main.h"

#include <QDir>
#include <QImage>

using namespace ptxwb::views;

namespace {

QString fixture() {
    return QStringLiteral(PTXWB_VIEWS_TEST_DATA "/rmsnorm_pair.ptx");
}

// "editor_finding.png", or "editor_finding@2x.png" when run with QT_SCALE_FACTOR=2.
QString artifact(const char* name) {
    const qreal dpr = qApp->devicePixelRatio();
    const QString suffix = dpr > 1 ? QStringLiteral("@%1x").arg(dpr) : QString();
    return QDir(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR))
        .filePath(QString::fromLatin1(name) + suffix + QStringLiteral(".png"));
}

bool near(QColor a, QColor b, int tolerance) {
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
               std::abs(a.blue() - b.blue()) <=
           tolerance;
}

// Count of pixels in `rect` within `tolerance` of `color`.
int pixelsNear(const QImage& image, QRectF rect, QColor color, int tolerance) {
    const qreal dpr = image.devicePixelRatio();
    int count = 0;
    const QRect device(QPoint(int(rect.left() * dpr), int(rect.top() * dpr)),
                       QPoint(int(rect.right() * dpr), int(rect.bottom() * dpr)));
    for (int y = std::max(0, device.top()); y <= std::min(image.height() - 1, device.bottom()); ++y)
        for (int x = std::max(0, device.left()); x <= std::min(image.width() - 1, device.right());
             ++x)
            if (near(image.pixelColor(x, y), color, tolerance)) ++count;
    return count;
}

EditorFinding sharedAddressFinding() {
    EditorFinding f;
    f.severity = FindingSeverity::Error;
    f.ruleId = QStringLiteral("shared-address-64");
    f.ruleTitle = QStringLiteral("64-bit address into shared memory");
    f.message = QStringLiteral("st.shared uses the 64-bit generic address %rd11");
    f.fixHint = QStringLiteral("Use a 32-bit shared window address (cvta.to.shared.u32)");
    f.kernel = QStringLiteral("batched_rmsnorm_f32");
    f.file = fixture();
    f.range = {{102, 16}, {102, 23}};
    f.related = {{{99, 1}, {99, 8}}};
    return f;
}

} // namespace

class EditorTest : public QObject {
    Q_OBJECT
    PtxEditor* editor_ = nullptr;
    PtxTextView* view() { return editor_->view(); }

private slots:
    void init() {
        editor_ = new PtxEditor;
        QCOMPARE(editor_->loadFile(fixture()), QString());
        editor_->resize(1000, 640);
        editor_->show();
        QVERIFY(QTest::qWaitForWindowExposed(editor_));
        view()->setThemeOverride(false);
    }
    void cleanup() {
        delete editor_;
        editor_ = nullptr;
    }

    void compilerPtxOpensReadOnly() {
        QVERIFY(view()->isReadOnly());
        QCOMPARE(view()->buffer().lineCount(), 108);
        QTest::keyClicks(view(), QStringLiteral("xyz"));
        QCOMPARE(view()->buffer().line(0), QStringLiteral("//"));
    }

    void registersArePaintedInTheirWidthColour() {
        view()->jumpTo({102, 0});
        const QImage image = view()->viewport()->grab().toImage();
        const QString line = view()->buffer().line(102); // "\tst.shared.f32 \t[%rd11], %f15;"
        const int rd = int(line.indexOf(u"%rd11"));
        const int f = int(line.indexOf(u"%f15"));
        const QPointF rdAt = view()->pointForPosition({102, rd});
        const QPointF fAt = view()->pointForPosition({102, f});
        const qreal h = view()->lineHeight();
        const qreal w = view()->characterWidth();
        const QColor reg64 = view()->theme().style(PtxTokenCategory::Register64).color;
        const QColor reg32 = view()->theme().style(PtxTokenCategory::Register32).color;
        QVERIFY(pixelsNear(image, QRectF(rdAt, QSizeF(5 * w, h)), reg64, 60) > 5);
        QCOMPARE(pixelsNear(image, QRectF(rdAt, QSizeF(5 * w, h)), reg32, 30), 0);
        QVERIFY(pixelsNear(image, QRectF(fAt, QSizeF(4 * w, h)), reg32, 60) > 5);
        QCOMPARE(pixelsNear(image, QRectF(fAt, QSizeF(4 * w, h)), reg64, 30), 0);
    }

    void gutterMarkerOnTheFindingLine() {
        view()->setFindings({sharedAddressFinding()});
        view()->jumpTo({102, 0});
        QCOMPARE(view()->findingMarkerOnLine(102), 0);
        QCOMPARE(view()->findingMarkerOnLine(101), -1);
        const QImage gutter = view()->gutterWidget()->grab().toImage();
        const QColor error = view()->theme().error;
        const QRectF marker = view()->gutterMarkerRect(102);
        const QRectF above = view()->gutterMarkerRect(101);
        QVERIFY(!marker.isEmpty());
        QVERIFY(pixelsNear(gutter, marker, error, 30) > int(marker.width() * marker.height() / 3));
        QCOMPARE(pixelsNear(gutter, above, error, 30), 0);
        // The finding is also marked on the scroll bar.
        QCOMPARE(view()->markerScrollBar()->marks(0).size(), std::size_t(1));
        QVERIFY(view()->findingToolTip(0).contains(u"Fix: Use a 32-bit shared window address"));
        QVERIFY(view()->findingToolTip(0).contains(u"64-bit address into shared memory"));
        QCOMPARE(view()->findingsAt({102, 18}), std::vector<int>{0});
        QVERIFY(view()->findingsAt({102, 2}).empty());
        QTest::qWait(1);
        QVERIFY(editor_->grab().save(artifact("editor_finding")));
    }

    void goToLineDefinitionAndBack() {
        view()->goToLine(96);
        QCOMPARE(view()->cursorPosition(), (TextPosition{95, 0}));
        // Ctrl+click on the branch target in "@%p2 bra $L__BB0_2;" (line 50).
        view()->jumpTo({49, 0});
        const int col = int(view()->buffer().line(49).indexOf(u"$L__BB0_2")) + 3;
        const QPointF at =
            view()->pointForPosition({49, col}) + QPointF(1, view()->lineHeight() / 2);
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, Qt::ControlModifier, at.toPoint());
        QCOMPARE(view()->cursorPosition().line, 42);
        QCOMPARE(view()->cursorPosition().column, 0);
        // A function name goes to its header.
        QVERIFY(!view()->goToDefinitionAt({0, 0})); // "//" is no name
        view()->insertText({});                     // read-only: ignored
        QVERIFY(view()->goBack());
        QCOMPARE(view()->cursorPosition().line, 49);
        QVERIFY(view()->goBack());
        QCOMPARE(view()->cursorPosition().line, 95);
        QVERIFY(view()->goForward());
        QCOMPARE(view()->cursorPosition().line, 49);
    }

    void labelsResolveWithinTheirFunction() {
        // "$L__BB1_2" exists only in the batched kernel; from there it resolves to line 99.
        const int col = int(view()->buffer().line(91).indexOf(u"$L__BB1_2"));
        QVERIFY(view()->goToDefinitionAt({91, col + 1}));
        QCOMPARE(view()->cursorPosition().line, 98);
    }

    void foldingHidesTheBody() {
        QCOMPARE(view()->outline().functions.size(), std::size_t(2));
        view()->foldFunction(0);
        QVERIFY(view()->isFunctionFolded(0));
        QVERIFY(view()->isLineVisible(15));
        QVERIFY(!view()->isLineVisible(16));
        QVERIFY(!view()->isLineVisible(64));
        QVERIFY(view()->isLineVisible(65));
        view()->scrollToLine(0);
        view()->jumpTo({66, 0});
        // Jumping into a folded body unfolds it.
        view()->jumpTo({40, 0});
        QVERIFY(!view()->isFunctionFolded(0));
        view()->foldAll();
        QVERIFY(view()->isFunctionFolded(0) && view()->isFunctionFolded(1));
        QVERIFY(view()->grab().save(artifact("editor_folded")));
        view()->unfoldAll();
        QVERIFY(view()->isLineVisible(40));
    }

    void findMarksHitsAndWalksThem() {
        QCOMPARE(view()->findAll({QStringLiteral("%rd11"), true}), 2);
        QCOMPARE(view()->matches()[0].line, 101);
        QCOMPARE(view()->matches()[1].line, 102);
        QCOMPARE(view()->matches()[1].column, 17);
        QCOMPARE(view()->markerScrollBar()->marks(1).size(), std::size_t(2));
        QVERIFY(view()->findNext());
        QCOMPARE(view()->cursorPosition(), (TextPosition{101, 15}));
        QCOMPARE(view()->selectedText(), QStringLiteral("%rd11"));
        QVERIFY(view()->findNext());
        QCOMPARE(view()->cursorPosition().line, 102);
        QVERIFY(view()->findNext()); // wraps
        QCOMPARE(view()->cursorPosition().line, 101);
        FindQuery whole{QStringLiteral("%rd1"), true, true};
        QCOMPARE(view()->findAll(whole), 2); // %rd1 alone, not %rd10/%rd11
        FindQuery regex{QStringLiteral("bra\\s+\\$L__BB0_\\d"), false, false, true};
        QCOMPARE(view()->findAll(regex), 2);
        view()->clearFind();
        QVERIFY(view()->matches().empty());
    }

    void editingUndoRedo() {
        view()->setReadOnly(false);
        view()->setFocus();
        view()->setCursorPosition({11, 0});
        QTest::keyClicks(view(), QStringLiteral("abc"));
        QCOMPARE(view()->buffer().line(11), QStringLiteral("abc"));
        QTest::keyClick(view(), Qt::Key_Return);
        QCOMPARE(view()->buffer().line(12), QString());
        QCOMPARE(view()->buffer().lineCount(), 109);
        QVERIFY(view()->isModified());
        QVERIFY(view()->undo());
        QCOMPARE(view()->buffer().lineCount(), 108);
        QVERIFY(view()->undo()); // "abc" was one typing step
        QCOMPARE(view()->buffer().line(11), QString());
        QVERIFY(view()->redo());
        QCOMPARE(view()->buffer().line(11), QStringLiteral("abc"));
        QTest::keyClick(view(), Qt::Key_Backspace);
        QCOMPARE(view()->buffer().line(11), QStringLiteral("ab"));
        // The outline follows edits after its debounce.
        view()->setCursorPosition({0, 0});
        view()->insertText(QStringLiteral("\n\n"));
        QTRY_COMPARE(view()->outline().functions[0].headerLine, 17);
    }

    void typingInALargeFileLexesOnlyVisibleLines() {
        QByteArray big;
        for (int i = 0; i < 200000; ++i)
            big += "\tld.global.nc.f32 \t%f6, [%rd8];\n";
        view()->setUtf8(big);
        view()->setReadOnly(false);
        view()->viewport()->grab();
        view()->jumpTo({150000, 0});
        view()->viewport()->grab();
        const std::uint64_t before = view()->highlighter().linesLexed();
        QVERIFY(before < 400);
        view()->setFocus();
        QTest::keyClicks(view(), QStringLiteral("add"));
        view()->viewport()->grab();
        QVERIFY(view()->highlighter().linesLexed() - before < 400);
        QCOMPARE(view()->buffer().line(150000).left(3), QStringLiteral("add"));
    }

    void largeTextsGetTheirOutlineFromABackgroundScan() {
        QByteArray big;
        for (int i = 0; i < 80000; ++i)
            big += "\tadd.s32 \t%r1, %r2, %r3;\n";
        big += ".visible .entry tail_kernel()\n{\n\tret;\n}\n";
        view()->setUtf8(big);
        QVERIFY(view()->outline().functions.empty()); // not yet: the scan runs off-thread
        QTRY_COMPARE(view()->outline().functions.size(), std::size_t(1));
        QCOMPARE(view()->outline().functions[0].headerLine, 80000);
        view()->setReadOnly(false);
        view()->setCursorPosition({0, 0});
        view()->insertText(QStringLiteral("\n"));
        QTRY_COMPARE(view()->outline().functions[0].headerLine, 80001);
    }

    void themeFollowsThePalette() {
        view()->setThemeOverride(std::nullopt);
        QPalette dark = view()->palette();
        dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
        view()->setPalette(dark);
        QVERIFY(view()->theme().isDark);
        QPalette light = view()->palette();
        light.setColor(QPalette::Base, Qt::white);
        view()->setPalette(light);
        QVERIFY(!view()->theme().isDark);
    }
};
PTXWB_QTEST_CLASS(EditorTest);

#include "editor_test.moc"
