// TextLineBuffer, the PTX outline scan and the navigation history.

#include "navigation_history.h"
#include "ptx_outline.h"
#include "qtest_main.h"
#include "text_line_buffer.h"

#include <QFile>

using namespace ptxwb::views;

class TextModelTest : public QObject {
    Q_OBJECT
private slots:
    void linesSplitOnLfAndCrLf() {
        TextLineBuffer b(QByteArrayLiteral("a\r\nbc\n\nd"));
        QCOMPARE(b.lineCount(), 4);
        QCOMPARE(b.line(0), QStringLiteral("a"));
        QCOMPARE(b.line(1), QStringLiteral("bc"));
        QCOMPARE(b.line(2), QString());
        QCOMPARE(b.line(3), QStringLiteral("d"));
        QCOMPARE(TextLineBuffer(QByteArrayLiteral("x\n")).lineCount(), 2);
        QCOMPARE(TextLineBuffer(QByteArray()).lineCount(), 1);
    }
    void replaceWithinOneLine() {
        TextLineBuffer b(QByteArrayLiteral("add.s32 %r1;\nret;"));
        const LineEdit e = b.replace({0, 4}, {0, 7}, u"u64");
        QCOMPARE(b.line(0), QStringLiteral("add.u64 %r1;"));
        QCOMPARE(e.firstLine, 0);
        QCOMPARE(e.removedLines, 1);
        QCOMPARE(e.insertedLines, 1);
        QCOMPARE(e.end, (TextPosition{0, 7}));
        QCOMPARE(b.line(1), QStringLiteral("ret;"));
    }
    void replaceAcrossLinesAndInsertLines() {
        TextLineBuffer b(QByteArrayLiteral("one\ntwo\nthree\nfour"));
        LineEdit e = b.replace({0, 2}, {2, 3}, u"X\nY");
        QCOMPARE(b.lineCount(), 3);
        QCOMPARE(b.line(0), QStringLiteral("onX"));
        QCOMPARE(b.line(1), QStringLiteral("Yee"));
        QCOMPARE(e.removedLines, 3);
        QCOMPARE(e.insertedLines, 2);
        QCOMPARE(e.end, (TextPosition{1, 1}));
        QCOMPARE(b.text({0, 1}, {2, 2}), QStringLiteral("nX\nYee\nfo"));
        QCOMPARE(b.toUtf8(), QByteArrayLiteral("onX\nYee\nfour"));
        QVERIFY(b.revision() > 0);
    }
    void nonAsciiColumnsAreUtf16() {
        TextLineBuffer b(QByteArrayLiteral("// é ü\nret;"));
        QCOMPARE(b.line(0).size(), 6);
        QCOMPARE(b.clamp({0, 100}), (TextPosition{0, 6}));
        QCOMPARE(b.clamp({9, 2}), (TextPosition{1, 2}));
    }
    void outlineOfTheFixture() {
        QFile f(QStringLiteral(PTXWB_VIEWS_TEST_DATA "/rmsnorm_pair.ptx"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        TextLineBuffer b(f.readAll());
        const PtxOutline outline = scanPtxOutline(b);
        QCOMPARE(outline.functions.size(), std::size_t(2));
        const auto& single = outline.functions[0];
        QCOMPARE(single.name, QStringLiteral("rmsnorm_f32"));
        QVERIFY(single.isEntry);
        QCOMPARE(single.headerLine + 1, 16); // 1-based lines as an editor shows them
        QCOMPARE(single.openLine + 1, 24);
        QCOMPARE(single.closeLine + 1, 65);
        QCOMPARE(outline.functions[1].name, QStringLiteral("batched_rmsnorm_f32"));
        QCOMPARE(outline.functions[1].headerLine + 1, 67);
        QCOMPARE(outline.functions[1].closeLine + 1, 107);
        QCOMPARE(outline.functionContaining(40), 0);
        QCOMPARE(outline.functionContaining(65), -1); // 0-based 65: the line between the two
        QCOMPARE(outline.functionNamed(u"batched_rmsnorm_f32"), 1);
        QCOMPARE(findLabelDefinition(b, u"$L__BB0_2", single.headerLine, single.closeLine) + 1, 43);
        QCOMPARE(findLabelDefinition(b, u"$L__BB1_2", single.headerLine, single.closeLine), -1);
    }
    void outlineSkipsPrototypesAndFuncReturnParams() {
        TextLineBuffer b(
            QByteArrayLiteral(".extern .func (.param .b32 r) helper(.param .b32 a);\n"
                              ".func (.param .b32 out) square(\n .param .b32 x\n)\n{\n ret;\n}\n"));
        const PtxOutline outline = scanPtxOutline(b);
        QCOMPARE(outline.functions.size(), std::size_t(1));
        QCOMPARE(outline.functions[0].name, QStringLiteral("square"));
        QVERIFY(!outline.functions[0].isEntry);
        QCOMPARE(outline.functions[0].openLine, 4);
        QCOMPARE(outline.functions[0].closeLine, 6);
    }
    void historyBackAndForward() {
        NavigationHistory h;
        QVERIFY(!h.canGoBack());
        h.recordJump({1, 0}, {50, 0});
        h.recordJump({52, 3}, {90, 0});
        QCOMPARE(h.back({91, 0}), (std::optional<TextPosition>(TextPosition{52, 3})));
        QCOMPARE(h.back({52, 3}), (std::optional<TextPosition>(TextPosition{1, 0})));
        QVERIFY(!h.back({1, 0}));
        QCOMPARE(h.forward({1, 0}), (std::optional<TextPosition>(TextPosition{52, 3})));
        QCOMPARE(h.forward({52, 3}), (std::optional<TextPosition>(TextPosition{91, 0})));
        QVERIFY(!h.canGoForward());
        // A new jump after going back drops the forward entries.
        h.back({91, 0});
        h.recordJump({52, 3}, {10, 0});
        QVERIFY(!h.canGoForward());
        QCOMPARE(h.back({10, 0}), (std::optional<TextPosition>(TextPosition{52, 3})));
    }
};
PTXWB_QTEST_CLASS(TextModelTest);

#include "text_model_test.moc"
