// Keyboard, mouse and editing of PtxTextView. Every change goes through applyEdit(), the one
// primitive that updates the buffer, the highlighter's line states, folds, findings, search
// hits and the undo stack together.

#include "ptx_text_view.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>

namespace ptxwb::views {
using namespace Qt::StringLiterals;
namespace {

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c == u'_' || c == u'$' || c == u'%';
}

int shiftLine(int line, const LineEdit& e) {
    const int delta = e.insertedLines - e.removedLines;
    return line >= e.firstLine + e.removedLines ? line + delta : line;
}

} // namespace

// Editing ---------------------------------------------------------------------------------------

void PtxTextView::applyEdit(TextPosition from, TextPosition to, const QString& text,
                            bool recordUndo) {
    if (to < from) std::swap(from, to);
    const TextPosition before = cursor_;
    const QString removed = buffer_.text(from, to);
    const LineEdit e = buffer_.replace(from, to, text);
    highlighter_.linesChanged(e);

    const int lastTouched = e.firstLine + e.removedLines - 1;
    std::erase_if(folded_, [&](const auto& r) {
        return !(r.second < e.firstLine || r.first - 1 > lastTouched); // edit touches the fold
    });
    for (auto& r : folded_)
        r = {shiftLine(r.first, e), shiftLine(r.second, e)};
    for (auto& f : findings_) {
        f.range.begin.line = shiftLine(f.range.begin.line, e);
        f.range.end.line = shiftLine(f.range.end.line, e);
        for (auto& r : f.related)
            r = SourceRange{{shiftLine(r.begin.line, e), r.begin.column},
                            {shiftLine(r.end.line, e), r.end.column}};
    }
    std::erase_if(matches_, [&](const TextMatch& m) {
        return m.line >= e.firstLine && m.line <= lastTouched;
    });
    for (auto& m : matches_)
        m.line = shiftLine(m.line, e);
    currentMatch_ = -1;

    if (recordUndo) {
        redoStack_.clear();
        EditRecord* last = undoStack_.empty() ? nullptr : &undoStack_.back();
        // Typing a word is one undo step, as in every editor.
        const bool extendsTyping = last && removed.isEmpty() && last->removed.isEmpty() &&
                                   text.size() == 1 && text[0] != u'\n' &&
                                   last->insertedEnd == from && !last->inserted.contains(u'\n');
        if (extendsTyping) {
            last->inserted += text;
            last->insertedEnd = e.end;
        } else {
            undoStack_.push_back({from, removed, text, e.end, before});
        }
    }
    cursor_ = anchor_ = e.end;
    setModified(true);
    updateGutterGeometry();
    updateScrollRanges();
    updateScrollBarMarks();
    ensureCursorVisible();
    restartCaretBlink();
    viewport()->update();
    gutter_->update();
    outlineTimer_.start();
    emit textEdited();
    emit cursorPositionChanged(cursor_);
}

void PtxTextView::insertText(const QString& text) {
    if (readOnly_) return;
    QString normalized = text;
    normalized.replace(u"\r\n"_s, u"\n"_s);
    applyEdit(anchor_, cursor_, normalized, true);
}

bool PtxTextView::undo() {
    if (readOnly_ || undoStack_.empty()) return false;
    EditRecord record = undoStack_.back();
    undoStack_.pop_back();
    const TextPosition cursorAfterRedo = record.insertedEnd;
    applyEdit(record.from, record.insertedEnd, record.removed, false);
    record.insertedEnd = cursorAfterRedo;
    // After undo the removed text sits at [from, cursor_); redo replaces it with `inserted`.
    const TextPosition removedEnd = cursor_;
    redoStack_.push_back(record);
    redoStack_.back().cursorBefore = removedEnd;
    setCursorPosition(record.cursorBefore);
    return true;
}

bool PtxTextView::redo() {
    if (readOnly_ || redoStack_.empty()) return false;
    EditRecord record = redoStack_.back();
    redoStack_.pop_back();
    const TextPosition removedEnd = record.cursorBefore;
    const TextPosition cursorBefore = cursor_;
    applyEdit(record.from, removedEnd, record.inserted, false);
    undoStack_.push_back({record.from, record.removed, record.inserted, cursor_, cursorBefore});
    return true;
}

void PtxTextView::selectAll() {
    anchor_ = TextPosition{};
    cursor_ = buffer_.endPosition();
    viewport()->update();
    emit cursorPositionChanged(cursor_);
}

void PtxTextView::copy() const {
    if (hasSelection()) QApplication::clipboard()->setText(selectedText());
}

void PtxTextView::cut() {
    if (readOnly_ || !hasSelection()) return;
    copy();
    insertText(QString());
}

void PtxTextView::paste() {
    insertText(QApplication::clipboard()->text());
}

// Keyboard --------------------------------------------------------------------------------------

void PtxTextView::moveCursorByKey(QKeyEvent* event) {
    const bool select = event->modifiers() & Qt::ShiftModifier;
    const bool word = event->modifiers() & Qt::ControlModifier;
    TextPosition p = cursor_;
    const QString text = buffer_.line(p.line);
    const int pageRows = std::max(1, int(viewport()->height() / lineHeight_) - 1);
    auto verticalMove = [&](int rows) {
        if (preferredVisualColumn_ < 0) preferredVisualColumn_ = visualColumn(text, p.column);
        const int row = std::clamp(rowForLine(p.line) + rows, 0, visibleRowCount() - 1);
        const int line = lineForRow(row);
        p = {line, columnForVisual(buffer_.line(line), preferredVisualColumn_)};
    };
    bool vertical = false;
    switch (event->key()) {
    case Qt::Key_Left:
        if (!select && hasSelection() && !word) {
            p = std::min(anchor_, cursor_);
        } else if (p.column > 0) {
            --p.column;
            while (word && p.column > 0 && !isWordChar(text[p.column]))
                --p.column;
            while (word && p.column > 0 && isWordChar(text[p.column - 1]))
                --p.column;
        } else if (p.line > 0) {
            p = {lineForRow(rowForLine(p.line) - 1), 1 << 30};
        }
        break;
    case Qt::Key_Right:
        if (!select && hasSelection() && !word) {
            p = std::max(anchor_, cursor_);
        } else if (p.column < text.size()) {
            ++p.column;
            while (word && p.column < text.size() && isWordChar(text[p.column]))
                ++p.column;
        } else if (p.line + 1 < buffer_.lineCount()) {
            p = {nextVisibleLine(p.line), 0};
        }
        break;
    case Qt::Key_Up:
        vertical = true;
        verticalMove(-1);
        break;
    case Qt::Key_Down:
        vertical = true;
        verticalMove(1);
        break;
    case Qt::Key_PageUp:
        vertical = true;
        verticalMove(-pageRows);
        verticalScrollBar()->setValue(verticalScrollBar()->value() - pageRows);
        break;
    case Qt::Key_PageDown:
        vertical = true;
        verticalMove(pageRows);
        verticalScrollBar()->setValue(verticalScrollBar()->value() + pageRows);
        break;
    case Qt::Key_Home:
        if (word) {
            p = {};
        } else {
            // Smart home: first non-blank, then column 0.
            int first = 0;
            while (first < text.size() && text[first].isSpace())
                ++first;
            p.column = p.column == first ? 0 : first;
        }
        break;
    case Qt::Key_End:
        p = word ? buffer_.endPosition() : TextPosition{p.line, int(text.size())};
        break;
    default:
        return;
    }
    if (!vertical) preferredVisualColumn_ = -1;
    setCursorPosition(p, select);
}

void PtxTextView::keyPressEvent(QKeyEvent* event) {
    if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else if (event == QKeySequence::Undo) {
        undo();
    } else if (event == QKeySequence::Redo) {
        redo();
    } else if (event == QKeySequence::Paste) {
        paste();
    } else if (event == QKeySequence::Cut) {
        cut();
    } else if (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right ||
               event->key() == Qt::Key_Up || event->key() == Qt::Key_Down ||
               event->key() == Qt::Key_PageUp || event->key() == Qt::Key_PageDown ||
               event->key() == Qt::Key_Home || event->key() == Qt::Key_End) {
        if (event->modifiers() & Qt::AltModifier) {
            event->ignore(); // Alt+Left/Right belong to the history actions
            return;
        }
        moveCursorByKey(event);
    } else if (readOnly_) {
        event->ignore();
        return;
    } else if (event->key() == Qt::Key_Backspace) {
        if (!hasSelection() && cursor_ > TextPosition{})
            anchor_ = cursor_.column > 0 ? TextPosition{cursor_.line, cursor_.column - 1}
                                         : buffer_.clamp({cursor_.line - 1, 1 << 30});
        insertText(QString());
    } else if (event->key() == Qt::Key_Delete) {
        if (!hasSelection())
            anchor_ = cursor_.column < buffer_.line(cursor_.line).size()
                          ? TextPosition{cursor_.line, cursor_.column + 1}
                          : buffer_.clamp({cursor_.line + 1, 0});
        insertText(QString());
    } else if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        // Keep the indentation of the current line, as PTX bodies are tab-indented.
        const QString line = buffer_.line(cursor_.line);
        int indent = 0;
        while (indent < line.size() && line[indent].isSpace() && indent < cursor_.column)
            ++indent;
        insertText(u'\n' + line.left(indent));
    } else if (!event->text().isEmpty() && event->text()[0].isPrint()) {
        insertText(event->text());
    } else if (event->key() == Qt::Key_Tab) {
        insertText(QStringLiteral("\t"));
    } else {
        event->ignore();
        return;
    }
    event->accept();
}

// Mouse -------------------------------------------------------------------------------------------

void PtxTextView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QAbstractScrollArea::mousePressEvent(event);
    const TextPosition p = positionAt(event->position());
    if (event->modifiers() & Qt::ControlModifier) {
        if (goToDefinitionAt(p)) return;
    }
    preferredVisualColumn_ = -1;
    setCursorPosition(p, event->modifiers() & Qt::ShiftModifier);
    const auto hits = findingsAt(p);
    if (!hits.empty() && hits.front() != selectedFinding_) {
        selectedFinding_ = hits.front();
        viewport()->update();
        emit findingActivated(selectedFinding_);
    }
}

void PtxTextView::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) setCursorPosition(positionAt(event->position()), true);
}

void PtxTextView::mouseDoubleClickEvent(QMouseEvent* event) {
    const TextPosition p = positionAt(event->position());
    const QString text = buffer_.line(p.line);
    int begin = std::min(p.column, int(text.size()));
    int end = begin;
    while (begin > 0 && isWordChar(text[begin - 1]))
        --begin;
    while (end < text.size() && isWordChar(text[end]))
        ++end;
    setCursorPosition({p.line, begin});
    setCursorPosition({p.line, end}, true);
}

bool PtxTextView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const auto hits = findingsAt(positionAt(help->pos()));
        if (hits.empty()) {
            QToolTip::hideText();
        } else {
            QStringList parts;
            for (int i : hits)
                parts << findingToolTip(i);
            QToolTip::showText(help->globalPos(), parts.join(u"<hr>"_s), viewport());
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void PtxTextView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    const TextPosition p = positionAt(viewport()->mapFrom(this, event->pos()));
    const QString word = wordAt(p);
    if (!word.isEmpty() && !word.startsWith(u'%'))
        menu.addAction(tr("Go to Definition of %1").arg(word), this,
                       [this, p] { goToDefinitionAt(p); });
    for (int f : findingsAt(p))
        menu.addAction(tr("Rule Page: %1").arg(findings_[std::size_t(f)].ruleId), this,
                       [this, f] { emit rulePageRequested(f); });
    menu.addAction(tr("Copy"), this, &PtxTextView::copy)->setEnabled(hasSelection());
    if (!readOnly_) {
        menu.addAction(tr("Cut"), this, &PtxTextView::cut)->setEnabled(hasSelection());
        menu.addAction(tr("Paste"), this, &PtxTextView::paste);
    }
    menu.addAction(tr("Select All"), this, &PtxTextView::selectAll);
    menu.addSeparator();
    menu.addAction(tr("Fold All Functions"), this, &PtxTextView::foldAll);
    menu.addAction(tr("Unfold All"), this, &PtxTextView::unfoldAll);
    menu.exec(event->globalPos());
}

void PtxTextView::focusInEvent(QFocusEvent* event) {
    QAbstractScrollArea::focusInEvent(event);
    restartCaretBlink();
}

void PtxTextView::focusOutEvent(QFocusEvent* event) {
    QAbstractScrollArea::focusOutEvent(event);
    caretTimer_.stop();
    caretVisible_ = false;
    viewport()->update();
}

void PtxTextView::restartCaretBlink() {
    caretVisible_ = true;
    if (hasFocus()) caretTimer_.start();
}

} // namespace ptxwb::views
