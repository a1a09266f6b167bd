#pragma once
// Colours of the PTX editor. Two palettes (light, dark); which one applies follows the widget
// palette, so a system in dark mode gets the dark editor without a setting.

#include "ptx_token_source.h"

#include <QColor>
#include <QPalette>
#include <array>

namespace ptxwb::views {

/// How one token category is drawn.
struct TokenStyle {
    QColor color;
    bool bold = false;
    bool italic = false;
};

/// Every colour the editor paints with.
struct EditorTheme {
    bool isDark = false;
    QColor background;
    QColor foreground;
    QColor gutterBackground;
    QColor gutterForeground;
    QColor gutterCurrentLine;
    QColor currentLine;
    QColor selection;
    QColor findHit;
    QColor findHitCurrent;
    QColor relatedRange;
    QColor foldMarker;
    QColor error; ///< finding severity colours, also used on the scrollbar and in the table
    QColor warning;
    QColor note;
    std::array<TokenStyle, kPtxTokenCategoryCount> tokens;

    const TokenStyle& style(PtxTokenCategory c) const { return tokens[static_cast<int>(c)]; }

    static EditorTheme light();
    static EditorTheme dark();
    /// Dark when the palette's base colour is dark.
    static EditorTheme forPalette(const QPalette& palette);
};

} // namespace ptxwb::views
