// Painting of PtxTextView: text area and gutter. Everything is drawn in device-independent
// coordinates with antialiased vector shapes, so a 2x screen gets crisp icons and squiggles.

#include "marker_scroll_bar.h"
#include "ptx_text_view.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <algorithm>

namespace ptxwb::views {
namespace {

constexpr qreal kTextLeftPadding = 6;

QColor severityColor(const EditorTheme& theme, FindingSeverity s) {
    switch (s) {
    case FindingSeverity::Error:
        return theme.error;
    case FindingSeverity::Warning:
        return theme.warning;
    case FindingSeverity::Note:
        break;
    }
    return theme.note;
}

void drawWavyUnderline(QPainter& painter, qreal x0, qreal x1, qreal y, const QColor& color) {
    QPainterPath path;
    const qreal amplitude = 1.5;
    const qreal half = 2.0;
    path.moveTo(x0, y);
    bool up = true;
    for (qreal x = x0 + half; x < x1 + half; x += half, up = !up)
        path.lineTo(std::min(x, x1), up ? y - amplitude : y + amplitude * 0.0);
    painter.setPen(QPen(color, 1.2));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
}

// A severity icon: error = red disc with a cross, warning = amber triangle with "!",
// note = blue disc with "i". Shapes, not glyphs, so they scale with the device pixel ratio.
void drawSeverityIcon(QPainter& painter, const QRectF& r, FindingSeverity s, const QColor& color) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    const qreal w = r.width();
    QPen glyph(Qt::white, std::max(1.2, w * 0.13), Qt::SolidLine, Qt::RoundCap);
    if (s == FindingSeverity::Warning) {
        QPainterPath triangle;
        triangle.moveTo(r.center().x(), r.top());
        triangle.lineTo(r.right(), r.bottom());
        triangle.lineTo(r.left(), r.bottom());
        triangle.closeSubpath();
        painter.drawPath(triangle);
        painter.setPen(glyph);
        painter.drawLine(QPointF(r.center().x(), r.top() + w * 0.35),
                         QPointF(r.center().x(), r.top() + w * 0.68));
        painter.drawPoint(QPointF(r.center().x(), r.top() + w * 0.84));
    } else {
        painter.drawEllipse(r);
        painter.setPen(glyph);
        const QPointF c = r.center();
        const qreal d = w * 0.2;
        if (s == FindingSeverity::Error) {
            painter.drawLine(c + QPointF(-d, -d), c + QPointF(d, d));
            painter.drawLine(c + QPointF(-d, d), c + QPointF(d, -d));
        } else {
            painter.drawLine(c + QPointF(0, -d * 0.2), c + QPointF(0, d * 1.4));
            painter.drawPoint(c + QPointF(0, -d * 1.3));
        }
    }
    painter.restore();
}

QString expandTabs(QStringView text, int visualStart, int tabWidth) {
    QString out;
    int visual = visualStart;
    for (QChar c : text) {
        if (c == u'\t') {
            const int next = (visual / tabWidth + 1) * tabWidth;
            out += QString(next - visual, u' ');
            visual = next;
        } else {
            out += c;
            ++visual;
        }
    }
    return out;
}

} // namespace

void PtxTextView::paintEvent(QPaintEvent* event) {
    QPainter painter(viewport());
    painter.fillRect(event->rect(), theme_.background);
    painter.setFont(font_);
    const int firstRow = verticalScrollBar()->value();
    const int rows = int(viewport()->height() / lineHeight_) + 2;
    int line = lineForRow(firstRow);
    for (int r = 0; r < rows && line < buffer_.lineCount(); ++r) {
        paintLine(painter, line, r * lineHeight_);
        line = nextVisibleLine(line);
    }
}

void PtxTextView::paintLineBackground(QPainter& painter, int line, const QString& text, qreal y) {
    const qreal x0 = kTextLeftPadding - horizontalScrollBar()->value();
    auto colX = [&](int column) { return x0 + visualColumn(text, column) * charWidth_; };
    const qreal width = viewport()->width();
    if (line == cursor_.line && !hasSelection())
        painter.fillRect(QRectF(0, y, width, lineHeight_), theme_.currentLine);
    if (selectedFinding_ >= 0) {
        const auto& f = findings_[std::size_t(selectedFinding_)];
        for (const auto& r : f.related)
            if (r.containsLine(line)) {
                const int b = r.begin.line == line ? r.begin.column : 0;
                const int e = r.end.line == line ? r.end.column : int(text.size());
                painter.fillRect(
                    QRectF(colX(b), y, std::max(charWidth_, colX(e) - colX(b)), lineHeight_),
                    theme_.relatedRange);
            }
    }
    auto it = std::lower_bound(matches_.begin(), matches_.end(), line,
                               [](const TextMatch& m, int l) { return m.line < l; });
    for (; it != matches_.end() && it->line == line; ++it) {
        const bool current = currentMatch_ == int(it - matches_.begin());
        painter.fillRect(QRectF(colX(it->column), y + 1,
                                colX(it->column + it->length) - colX(it->column), lineHeight_ - 2),
                         current ? theme_.findHitCurrent : theme_.findHit);
    }
    if (hasSelection()) {
        const TextPosition from = std::min(anchor_, cursor_);
        const TextPosition to = std::max(anchor_, cursor_);
        if (from.line <= line && line <= to.line) {
            const qreal a = from.line == line ? colX(from.column) : x0;
            const qreal b = to.line == line ? colX(to.column) : colX(int(text.size())) + charWidth_;
            painter.fillRect(QRectF(a, y, b - a, lineHeight_), theme_.selection);
        }
    }
}

void PtxTextView::paintLine(QPainter& painter, int line, qreal y) {
    const QString text = buffer_.line(line);
    paintLineBackground(painter, line, text, y);
    const qreal x0 = kTextLeftPadding - horizontalScrollBar()->value();
    const qreal right = viewport()->width();
    const qreal baseline = y + ascent_;

    int index = 0;
    int visual = 0;
    auto advanceTo = [&](int target) {
        for (; index < target && index < text.size(); ++index)
            visual = text[index] == u'\t' ? (visual / tabWidth_ + 1) * tabWidth_ : visual + 1;
    };
    QFont styled = font_;
    for (const PtxTokenSpan& span : highlighter_.spans(line)) {
        advanceTo(span.start);
        const qreal x = x0 + visual * charWidth_;
        if (x > right) break;
        const QStringView piece = QStringView(text).sliced(span.start, span.length);
        const int startVisual = visual;
        advanceTo(span.start + span.length);
        if (x0 + visual * charWidth_ < 0) continue;
        const TokenStyle& style = theme_.style(span.category);
        if (styled.bold() != style.bold || styled.italic() != style.italic) {
            styled.setBold(style.bold);
            styled.setItalic(style.italic);
            painter.setFont(styled);
        }
        painter.setPen(style.color);
        painter.drawText(QPointF(x, baseline), expandTabs(piece, startVisual, tabWidth_));
    }
    painter.setFont(font_);

    // Findings: a squiggle under the range (or under the line's text for a point finding).
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    // Findings are sorted by start; ranges longer than kMaxFindingSpan lines are not expected
    // from the analyzer, so painting stays O(visible findings) even with 100k findings.
    constexpr int kMaxFindingSpan = 256;
    auto first =
        std::lower_bound(findings_.begin(), findings_.end(), line - kMaxFindingSpan,
                         [](const EditorFinding& f, int l) { return f.range.begin.line < l; });
    for (auto it = first; it != findings_.end(); ++it) {
        const EditorFinding& f = *it;
        if (f.range.begin.line > line) break;
        if (!f.range.containsLine(line)) continue;
        int b = f.range.begin.line == line ? f.range.begin.column : 0;
        int e = f.range.end.line == line ? f.range.end.column : int(text.size());
        if (e <= b) {
            b = 0;
            while (b < text.size() && text[b].isSpace())
                ++b;
            e = int(text.size());
        }
        const qreal xa = x0 + visualColumn(text, b) * charWidth_;
        const qreal xb = x0 + visualColumn(text, e) * charWidth_;
        drawWavyUnderline(painter, xa, std::max(xb, xa + charWidth_), y + lineHeight_ - 2,
                          severityColor(theme_, f.severity));
    }
    painter.restore();

    // A folded function shows a "{ … }" box after its header.
    const int fn = outline_.functionContaining(line);
    if (fn >= 0 && outline_.functions[std::size_t(fn)].headerLine == line && isFunctionFolded(fn)) {
        const qreal xa = x0 + (visualColumn(text, int(text.size())) + 1) * charWidth_;
        const QRectF box(xa, y + 2, charWidth_ * 5, lineHeight_ - 4);
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(theme_.foldMarker, 1));
        painter.setBrush(theme_.currentLine);
        painter.drawRoundedRect(box, 3, 3);
        painter.drawText(box, Qt::AlignCenter, QStringLiteral("{…}"));
        painter.restore();
    }

    if (line == cursor_.line && hasFocus() && caretVisible_) {
        const qreal x = x0 + visualColumn(text, cursor_.column) * charWidth_;
        painter.fillRect(QRectF(x - 0.5, y + 1, readOnly_ ? 1.5 : 2.0, lineHeight_ - 2),
                         readOnly_ ? theme_.gutterForeground : theme_.foreground);
    }
}

QRectF PtxTextView::gutterMarkerRect(int line) const {
    if (!isLineVisible(line)) return {};
    const qreal y = (rowForLine(line) - verticalScrollBar()->value()) * lineHeight_;
    const qreal size = std::round(lineHeight_ * 0.7);
    return QRectF(4, y + (lineHeight_ - size) / 2, size, size);
}

void PtxTextView::paintGutter(QPainter& painter, const QRect& rect) {
    const qreal width = gutter_->width();
    painter.fillRect(rect, theme_.gutterBackground);
    painter.setPen(QPen(theme_.gutterForeground.lighter(theme_.isDark ? 80 : 130), 1));
    painter.drawLine(QPointF(width - 0.5, rect.top()), QPointF(width - 0.5, rect.bottom() + 1));
    painter.setFont(font_);
    QFont bold = font_;
    bold.setBold(true);

    const qreal foldWidth = lineHeight_ * 0.9;
    const qreal numberRight = width - foldWidth - 2;
    const int firstRow = verticalScrollBar()->value();
    const int rows = int(gutter_->height() / lineHeight_) + 2;
    int line = lineForRow(firstRow);
    for (int r = 0; r < rows && line < buffer_.lineCount(); ++r) {
        const qreal y = r * lineHeight_;
        const bool current = line == cursor_.line;
        painter.setFont(current ? bold : font_);
        painter.setPen(current ? theme_.gutterCurrentLine : theme_.gutterForeground);
        painter.drawText(QRectF(0, y, numberRight, lineHeight_), Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(line + 1));
        if (const int f = findingMarkerOnLine(line); f >= 0) {
            const FindingSeverity s = findings_[std::size_t(f)].severity;
            drawSeverityIcon(painter, gutterMarkerRect(line), s, severityColor(theme_, s));
        }
        const int fn = outline_.functionContaining(line);
        if (fn >= 0 && outline_.functions[std::size_t(fn)].headerLine == line) {
            const bool folded = isFunctionFolded(fn);
            const QPointF c(width - foldWidth / 2 - 1, y + lineHeight_ / 2);
            const qreal s = lineHeight_ * 0.22;
            QPainterPath arrow;
            if (folded) {
                arrow.moveTo(c + QPointF(-s * 0.6, -s));
                arrow.lineTo(c + QPointF(s * 0.9, 0));
                arrow.lineTo(c + QPointF(-s * 0.6, s));
            } else {
                arrow.moveTo(c + QPointF(-s, -s * 0.6));
                arrow.lineTo(c + QPointF(s, -s * 0.6));
                arrow.lineTo(c + QPointF(0, s * 0.9));
            }
            arrow.closeSubpath();
            painter.save();
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(Qt::NoPen);
            painter.setBrush(theme_.foldMarker);
            painter.drawPath(arrow);
            painter.restore();
        }
        line = nextVisibleLine(line);
    }
}

} // namespace ptxwb::views
