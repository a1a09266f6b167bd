#include "editor_theme.h"

namespace ptxwb::views {
namespace {

void setToken(EditorTheme& t, PtxTokenCategory c, QColor color, bool bold = false,
              bool italic = false) {
    t.tokens[static_cast<int>(c)] = TokenStyle{color, bold, italic};
}

} // namespace

EditorTheme EditorTheme::light() {
    EditorTheme t;
    t.isDark = false;
    t.background = QColor(0xfd, 0xfd, 0xfc);
    t.foreground = QColor(0x24, 0x29, 0x2e);
    t.gutterBackground = QColor(0xf3, 0xf3, 0xf1);
    t.gutterForeground = QColor(0x9a, 0xa0, 0xa6);
    t.gutterCurrentLine = QColor(0x24, 0x29, 0x2e);
    t.currentLine = QColor(0xf0, 0xf4, 0xfa);
    t.selection = QColor(0xc8, 0xdc, 0xf8);
    t.findHit = QColor(0xff, 0xe5, 0x8f);
    t.findHitCurrent = QColor(0xff, 0xb8, 0x3d);
    t.relatedRange = QColor(0xdd, 0xe8, 0xff);
    t.foldMarker = QColor(0x8a, 0x90, 0x96);
    t.error = QColor(0xd7, 0x3a, 0x49);
    t.warning = QColor(0xd9, 0x8a, 0x00);
    t.note = QColor(0x2f, 0x7d, 0xd1);
    for (auto& s : t.tokens)
        s = TokenStyle{t.foreground};
    setToken(t, PtxTokenCategory::Directive, QColor(0x8a, 0x3f, 0xb0), true);
    setToken(t, PtxTokenCategory::Opcode, QColor(0x00, 0x4d, 0xb3), true);
    setToken(t, PtxTokenCategory::Modifier, QColor(0x2f, 0x6f, 0xb8));
    setToken(t, PtxTokenCategory::Type, QColor(0x00, 0x80, 0x80));
    setToken(t, PtxTokenCategory::StateSpace, QColor(0xb3, 0x47, 0x00), true);
    setToken(t, PtxTokenCategory::Register16, QColor(0x5a, 0x7d, 0x1a));
    setToken(t, PtxTokenCategory::Register32, QColor(0x1f, 0x6f, 0x3f));
    setToken(t, PtxTokenCategory::Register64, QColor(0xb0, 0x24, 0x6a));
    setToken(t, PtxTokenCategory::RegisterPredicate, QColor(0x96, 0x5e, 0x00));
    setToken(t, PtxTokenCategory::SpecialRegister, QColor(0x6f, 0x42, 0xc1), false, true);
    setToken(t, PtxTokenCategory::Label, QColor(0xa3, 0x15, 0x15), true);
    setToken(t, PtxTokenCategory::Identifier, QColor(0x24, 0x29, 0x2e));
    setToken(t, PtxTokenCategory::Number, QColor(0x09, 0x86, 0x58));
    setToken(t, PtxTokenCategory::String, QColor(0xa3, 0x15, 0x15));
    setToken(t, PtxTokenCategory::Comment, QColor(0x6a, 0x73, 0x7d), false, true);
    setToken(t, PtxTokenCategory::Punctuation, QColor(0x58, 0x60, 0x69));
    setToken(t, PtxTokenCategory::Error, QColor(0xd7, 0x3a, 0x49), true);
    return t;
}

EditorTheme EditorTheme::dark() {
    EditorTheme t;
    t.isDark = true;
    t.background = QColor(0x1e, 0x21, 0x27);
    t.foreground = QColor(0xd4, 0xd7, 0xdd);
    t.gutterBackground = QColor(0x21, 0x25, 0x2b);
    t.gutterForeground = QColor(0x5c, 0x63, 0x70);
    t.gutterCurrentLine = QColor(0xc8, 0xcc, 0xd4);
    t.currentLine = QColor(0x2a, 0x2f, 0x38);
    t.selection = QColor(0x3e, 0x4f, 0x6b);
    t.findHit = QColor(0x61, 0x55, 0x2a);
    t.findHitCurrent = QColor(0x9c, 0x73, 0x1c);
    t.relatedRange = QColor(0x2f, 0x3f, 0x5c);
    t.foldMarker = QColor(0x7f, 0x86, 0x92);
    t.error = QColor(0xf0, 0x60, 0x6c);
    t.warning = QColor(0xe5, 0xb5, 0x4b);
    t.note = QColor(0x61, 0xaf, 0xef);
    for (auto& s : t.tokens)
        s = TokenStyle{t.foreground};
    setToken(t, PtxTokenCategory::Directive, QColor(0xc6, 0x78, 0xdd), true);
    setToken(t, PtxTokenCategory::Opcode, QColor(0x61, 0xaf, 0xef), true);
    setToken(t, PtxTokenCategory::Modifier, QColor(0x7f, 0xb8, 0xe8));
    setToken(t, PtxTokenCategory::Type, QColor(0x56, 0xb6, 0xc2));
    setToken(t, PtxTokenCategory::StateSpace, QColor(0xe5, 0x9a, 0x5b), true);
    setToken(t, PtxTokenCategory::Register16, QColor(0xb5, 0xcf, 0x7a));
    setToken(t, PtxTokenCategory::Register32, QColor(0x98, 0xc3, 0x79));
    setToken(t, PtxTokenCategory::Register64, QColor(0xf0, 0x7c, 0xb4));
    setToken(t, PtxTokenCategory::RegisterPredicate, QColor(0xe5, 0xc0, 0x7b));
    setToken(t, PtxTokenCategory::SpecialRegister, QColor(0xc6, 0x9c, 0xf0), false, true);
    setToken(t, PtxTokenCategory::Label, QColor(0xef, 0x83, 0x7a), true);
    setToken(t, PtxTokenCategory::Identifier, QColor(0xd4, 0xd7, 0xdd));
    setToken(t, PtxTokenCategory::Number, QColor(0xd1, 0x9a, 0x66));
    setToken(t, PtxTokenCategory::String, QColor(0x98, 0xc3, 0x79));
    setToken(t, PtxTokenCategory::Comment, QColor(0x7f, 0x84, 0x8e), false, true);
    setToken(t, PtxTokenCategory::Punctuation, QColor(0xab, 0xb2, 0xbf));
    setToken(t, PtxTokenCategory::Error, QColor(0xf0, 0x60, 0x6c), true);
    return t;
}

EditorTheme EditorTheme::forPalette(const QPalette& palette) {
    return palette.color(QPalette::Base).lightness() < 128 ? dark() : light();
}

} // namespace ptxwb::views
