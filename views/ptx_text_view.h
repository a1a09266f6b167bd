#pragma once
// The PTX text widget: paints only the visible lines of a TextLineBuffer with token colours,
// a gutter (finding icons, line numbers, fold markers), findings underlined in place, search
// hits marked in the text and on the scroll bar. Read-only by default; editable for sources
// the user owns. Qt's QPlainTextEdit was measured at ~1 s to load 14 MB; this widget loads it
// in one memchr pass and paints in O(visible lines).

#include "editor_finding.h"
#include "editor_theme.h"
#include "navigation_history.h"
#include "ptx_highlighter.h"
#include "ptx_outline.h"
#include "text_line_buffer.h"

#include <QAbstractScrollArea>
#include <QThread>
#include <QTimer>
#include <optional>
#include <vector>

namespace ptxwb::views {

class MarkerScrollBar;

/// What to search for.
struct FindQuery {
    QString text;
    bool caseSensitive = false;
    bool wholeWord = false;
    bool regularExpression = false;
};

/// One search hit.
struct TextMatch {
    int line = 0;
    int column = 0;
    int length = 0;
};

/// Scrollable, foldable PTX text with inline findings.
class PtxTextView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit PtxTextView(QWidget* parent = nullptr);
    ~PtxTextView() override;

    /// Replaces the whole text (a newly opened file); clears folds, findings, history.
    void setUtf8(QByteArray utf8);
    const TextLineBuffer& buffer() const { return buffer_; }
    bool isReadOnly() const { return readOnly_; }
    void setReadOnly(bool readOnly);
    bool isModified() const { return modified_; }
    void setModified(bool modified);

    // Cursor and navigation -------------------------------------------------------------------
    TextPosition cursorPosition() const { return cursor_; }
    bool hasSelection() const { return anchor_ != cursor_; }
    QString selectedText() const;
    /// Moves the cursor (and scrolls it into view); `keepAnchor` extends the selection.
    void setCursorPosition(TextPosition p, bool keepAnchor = false);
    /// A recorded jump (Back returns here): centers the target line.
    void jumpTo(TextPosition p);
    void goToLine(int oneBasedLine);
    /// Jumps to the definition of the label or function named at `p`; false when none.
    bool goToDefinitionAt(TextPosition p);
    bool goBack();
    bool goForward();
    const NavigationHistory& history() const { return history_; }
    /// Word (identifier, label or register) at a position, or empty.
    QString wordAt(TextPosition p) const;

    // Outline and folding ---------------------------------------------------------------------
    const PtxOutline& outline() const { return outline_; }
    /// Hides the body of function `index` behind its header line.
    void foldFunction(int index);
    void unfoldFunction(int index);
    bool isFunctionFolded(int index) const;
    void foldAll();
    void unfoldAll();
    /// False when the line is inside a folded body.
    bool isLineVisible(int line) const;

    // Findings ----------------------------------------------------------------------------------
    void setFindings(std::vector<EditorFinding> findings);
    const std::vector<EditorFinding>& findings() const { return findings_; }
    /// Highlights the finding's related ranges and jumps to it; -1 clears.
    void selectFinding(int index);
    int selectedFinding() const { return selectedFinding_; }
    /// Index of the most severe finding starting on `line`, or -1.
    int findingMarkerOnLine(int line) const;
    /// Indices of findings whose range covers `p`.
    std::vector<int> findingsAt(TextPosition p) const;
    /// Rich-text tooltip of one finding.
    QString findingToolTip(int index) const;

    // Search --------------------------------------------------------------------------------------
    /// Finds every hit (up to a limit) and marks them; returns how many.
    int findAll(const FindQuery& query);
    void clearFind();
    const std::vector<TextMatch>& matches() const { return matches_; }
    int currentMatch() const { return currentMatch_; }
    /// Moves to the next/previous hit from the cursor (wrapping); false when there is none.
    bool findNext(bool backwards = false);

    // Editing -----------------------------------------------------------------------------------
    /// Replaces the selection (or inserts at the cursor); ignored when read-only.
    void insertText(const QString& text);
    bool undo();
    bool redo();
    void selectAll();
    void copy() const;
    void cut();
    void paste();

    // Geometry and theme (also for tests) -------------------------------------------------------
    const EditorTheme& theme() const { return theme_; }
    /// Pins the theme; std::nullopt follows the palette again.
    void setThemeOverride(std::optional<bool> dark);
    qreal lineHeight() const { return lineHeight_; }
    qreal characterWidth() const { return charWidth_; }
    int gutterWidth() const;
    int firstVisibleLine() const;
    void scrollToLine(int line);
    /// The rectangle of a finding's gutter icon in gutter-widget coordinates (empty if hidden).
    QRectF gutterMarkerRect(int line) const;
    /// Top-left of a text position in viewport coordinates.
    QPointF pointForPosition(TextPosition p) const;
    TextPosition positionAt(QPointF viewportPoint) const;
    PtxHighlighter& highlighter() { return highlighter_; }
    QWidget* gutterWidget() const;
    MarkerScrollBar* markerScrollBar() const { return scrollBar_; }

signals:
    void cursorPositionChanged(ptxwb::views::TextPosition position);
    void textEdited();
    void outlineChanged();
    void findingActivated(int index);
    /// The user asked for the documentation page of finding `index`'s rule.
    void rulePageRequested(int index);
    void modificationChanged(bool modified);
    void historyChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    friend class PtxGutter;
    struct EditRecord {
        TextPosition from;
        QString removed;
        QString inserted;
        TextPosition insertedEnd;
        TextPosition cursorBefore;
    };

    void updateFontMetrics();
    void updateScrollRanges();
    void updateGutterGeometry();
    void updateScrollBarMarks();
    /// Small texts are scanned at once; large ones on a background thread over a snapshot of
    /// the buffer, so neither opening nor a pause in typing stalls the GUI thread.
    void rescanOutline();
    void applyOutline(PtxOutline outline, std::uint64_t revision, int generation);
    void applyEdit(TextPosition from, TextPosition to, const QString& text, bool recordUndo);
    void ensureCursorVisible();
    void restartCaretBlink();
    int visibleRowCount() const;
    int rowForLine(int line) const;
    int lineForRow(int row) const;
    int nextVisibleLine(int line) const;
    int visualColumn(const QString& line, int column) const;
    int columnForVisual(const QString& line, int visual) const;
    void paintGutter(QPainter& painter, const QRect& rect);
    void paintLine(QPainter& painter, int line, qreal y);
    void paintLineBackground(QPainter& painter, int line, const QString& text, qreal y);
    void moveCursorByKey(QKeyEvent* event);
    int hiddenLineCount() const;

    TextLineBuffer buffer_;
    PtxHighlighter highlighter_;
    PtxOutline outline_;
    EditorTheme theme_;
    std::optional<bool> themeOverride_;
    QFont font_;
    qreal charWidth_ = 8;
    qreal lineHeight_ = 16;
    qreal ascent_ = 12;
    int tabWidth_ = 4;
    TextPosition cursor_;
    TextPosition anchor_;
    int preferredVisualColumn_ = -1;
    bool readOnly_ = true;
    bool modified_ = false;
    bool caretVisible_ = true;
    QTimer caretTimer_;
    QTimer outlineTimer_;
    QThread* outlineThread_ = nullptr;        ///< a background scan in flight
    bool outlineRescanPending_ = false;       ///< the text changed while it ran
    int textGeneration_ = 0;                  ///< counts setUtf8(): a new text, not an edit
    std::vector<std::pair<int, int>> folded_; ///< hidden line ranges [first, last], sorted
    std::vector<EditorFinding> findings_;     ///< sorted by range.begin
    int selectedFinding_ = -1;
    std::vector<TextMatch> matches_;
    int currentMatch_ = -1;
    std::vector<EditRecord> undoStack_;
    std::vector<EditRecord> redoStack_;
    NavigationHistory history_;
    MarkerScrollBar* scrollBar_ = nullptr;
    QWidget* gutter_ = nullptr;
};

} // namespace ptxwb::views
