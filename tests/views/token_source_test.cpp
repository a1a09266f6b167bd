// The highlighter's token categories for given PTX lines: exact spans.

#include "ptx_highlighter.h"
#include "ptx_token_source.h"
#include "qtest_main.h"

using namespace ptxwb::views;
using C = PtxTokenCategory;

namespace {
// "ld(opcode) .global(stateSpace) ..." for compact comparisons.
QString describe(QStringView line, PtxLineState entry = PtxLineState::Normal) {
    std::vector<PtxTokenSpan> spans;
    tokenizePtxLine(line, entry, spans);
    QStringList parts;
    for (const auto& s : spans)
        parts << line.sliced(s.start, s.length).toString() + u'(' +
                     QString::fromLatin1(ptxTokenCategoryName(s.category)) + u')';
    return parts.join(u' ');
}
} // namespace

class TokenSourceTest : public QObject {
    Q_OBJECT
private slots:
    void instructionWithModifiersTypesAndRegisters() {
        QCOMPARE(describe(u"\tld.global.nc.f32 \t%f6, [%rd8];"),
                 QStringLiteral("ld(opcode) .global(stateSpace) .nc(modifier) .f32(type) "
                                "%f6(register32) ,(punctuation) [(punctuation) %rd8(register64) "
                                "](punctuation) ;(punctuation)"));
    }
    void sharedStoreThroughA64BitRegisterStandsOut() {
        std::vector<PtxTokenSpan> spans;
        const QString line = QStringLiteral("\tst.shared.f32 \t[%rd11], %f15;");
        tokenizePtxLine(line, PtxLineState::Normal, spans);
        // The address register: category and exact position.
        const auto it = std::find_if(spans.begin(), spans.end(),
                                     [](const auto& s) { return s.category == C::Register64; });
        QVERIFY(it != spans.end());
        QCOMPARE(it->start, 17);
        QCOMPARE(it->length, 5);
    }
    void guardedBranchToLabel() {
        QCOMPARE(describe(u"\t@%p1 bra \t$L__BB0_3;"),
                 QStringLiteral("@(punctuation) %p1(registerPredicate) bra(opcode) "
                                "$L__BB0_3(label) ;(punctuation)"));
    }
    void labelDefinition() {
        QCOMPARE(describe(u"$L__BB0_2:"), QStringLiteral("$L__BB0_2(label) :(punctuation)"));
    }
    void directivesAndNumbers() {
        QCOMPARE(describe(u".reg .b64 \t%rd<12>;"),
                 QStringLiteral(".reg(stateSpace) .b64(type) %rd(register64) <(punctuation) "
                                "12(number) >(punctuation) ;(punctuation)"));
        QCOMPARE(describe(u"mov.f32 %f15, 0f3F800000;"),
                 QStringLiteral("mov(opcode) .f32(type) %f15(register32) ,(punctuation) "
                                "0f3F800000(number) ;(punctuation)"));
    }
    void specialRegisterWithComponent() {
        QCOMPARE(describe(u"mov.u32 %r1, %tid.x;"),
                 QStringLiteral("mov(opcode) .u32(type) %r1(register32) ,(punctuation) "
                                "%tid(specialRegister) .x(modifier) ;(punctuation)"));
    }
    void commentsAndBlockCommentState() {
        QCOMPARE(describe(u"ret; // done"),
                 QStringLiteral("ret(opcode) ;(punctuation) // done(comment)"));
        std::vector<PtxTokenSpan> spans;
        QCOMPARE(tokenizePtxLine(u"add.s32 %r1, %r2, 1; /* starts", PtxLineState::Normal, spans),
                 PtxLineState::InBlockComment);
        QCOMPARE(describe(u"   still comment", PtxLineState::InBlockComment),
                 QStringLiteral("   still comment(comment)"));
        QCOMPARE(describe(u" end */ ret;", PtxLineState::InBlockComment),
                 QStringLiteral(" end */(comment) ret(opcode) ;(punctuation)"));
    }
    void unknownCharacterIsAnErrorSpanNotACrash() {
        QCOMPARE(describe(u"add # 1"), QStringLiteral("add(opcode) #(error) 1(number)"));
    }
    void highlighterCarriesBlockCommentAcrossLines() {
        TextLineBuffer buffer(QByteArrayLiteral("/* a\nb\n*/ ret;\nret;"));
        PtxHighlighter highlighter(&buffer);
        QCOMPARE(highlighter.spans(1).size(), std::size_t(1));
        QCOMPARE(highlighter.spans(1)[0].category, C::Comment);
        QCOMPARE(highlighter.spans(2)[1].category, C::Opcode);
        QCOMPARE(highlighter.entryState(3), PtxLineState::Normal);
    }
    void cudaSourcesArePlainText() {
        TextLineBuffer buffer(QByteArrayLiteral("float ss = 0.0f; // not PTX"));
        PtxHighlighter highlighter(&buffer);
        QCOMPARE(highlighter.spans(0).size() > 1, true);
        highlighter.setPlainText(true);
        QCOMPARE(highlighter.spans(0), (std::vector<PtxTokenSpan>{{0, 27, C::Text}}));
    }
    void highlighterLexesNothingUntilAsked() {
        QByteArray big;
        for (int i = 0; i < 50000; ++i)
            big += "\tadd.s32 \t%r1, %r2, %r3;\n";
        TextLineBuffer buffer(big);
        PtxHighlighter highlighter(&buffer);
        highlighter.spans(40000);
        // No "/*" in the file: no line-state pass, exactly one line lexed.
        QCOMPARE(highlighter.linesLexed(), std::uint64_t(1));
    }
};
PTXWB_QTEST_CLASS(TokenSourceTest);

#include "token_source_test.moc"
