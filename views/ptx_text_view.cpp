#include "ptx_text_view.h"

#include "marker_scroll_bar.h"

#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStringMatcher>
#include <algorithm>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

/// The strip left of the text: finding icons, line numbers, fold markers.
class PtxGutter : public QWidget {
public:
    explicit PtxGutter(PtxTextView* view) : QWidget(view), view_(view) {
        setCursor(Qt::PointingHandCursor);
    }

protected:
    void paintEvent(QPaintEvent* event) override {
        QPainter painter(this);
        view_->paintGutter(painter, event->rect());
    }
    void mousePressEvent(QMouseEvent* event) override {
        const int row =
            view_->verticalScrollBar()->value() + int(event->position().y() / view_->lineHeight_);
        const int line = view_->lineForRow(row);
        if (line >= view_->buffer_.lineCount()) return;
        const int fn = view_->outline_.functionContaining(line);
        if (fn >= 0 && view_->outline_.functions[std::size_t(fn)].headerLine == line) {
            view_->isFunctionFolded(fn) ? view_->unfoldFunction(fn) : view_->foldFunction(fn);
            return;
        }
        if (const int f = view_->findingMarkerOnLine(line); f >= 0) {
            view_->selectFinding(f);
            emit view_->findingActivated(f);
            return;
        }
        view_->setCursorPosition({line, 0});
        view_->setCursorPosition({line + 1, 0}, true);
    }

private:
    PtxTextView* view_;
};

namespace {
constexpr int kMaxMatches = 200000;
constexpr int kOutlineDebounceMs = 400;
constexpr int kSynchronousOutlineLines = 50000; // ~2 MB of PTX: scanned in a few ms
} // namespace

PtxTextView::PtxTextView(QWidget* parent) : QAbstractScrollArea(parent) {
    scrollBar_ = new MarkerScrollBar(this);
    setVerticalScrollBar(scrollBar_);
    gutter_ = new PtxGutter(this);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setAutoFillBackground(false);
    setFrameShape(QFrame::NoFrame);
    font_ = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font_.setStyleHint(QFont::Monospace);
    if (font_.pointSizeF() < 10) font_.setPointSizeF(10);
    theme_ = EditorTheme::forPalette(palette());
    highlighter_.reset(&buffer_);
    caretTimer_.setInterval(530);
    connect(&caretTimer_, &QTimer::timeout, this, [this] {
        caretVisible_ = !caretVisible_;
        viewport()->update();
    });
    outlineTimer_.setSingleShot(true);
    outlineTimer_.setInterval(kOutlineDebounceMs);
    connect(&outlineTimer_, &QTimer::timeout, this, &PtxTextView::rescanOutline);
    updateFontMetrics();
}

PtxTextView::~PtxTextView() {
    if (outlineThread_) outlineThread_->wait();
}

QWidget* PtxTextView::gutterWidget() const {
    return gutter_;
}

void PtxTextView::setUtf8(QByteArray utf8) {
    buffer_ = TextLineBuffer(std::move(utf8));
    ++textGeneration_;
    outline_ = {};
    highlighter_.reset(&buffer_);
    folded_.clear();
    findings_.clear();
    selectedFinding_ = -1;
    matches_.clear();
    currentMatch_ = -1;
    undoStack_.clear();
    redoStack_.clear();
    history_.clear();
    cursor_ = anchor_ = TextPosition{};
    modified_ = false;
    rescanOutline();
    updateGutterGeometry();
    updateScrollRanges();
    updateScrollBarMarks();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void PtxTextView::setReadOnly(bool readOnly) {
    readOnly_ = readOnly;
    viewport()->update();
}

void PtxTextView::setModified(bool modified) {
    if (modified_ == modified) return;
    modified_ = modified;
    emit modificationChanged(modified);
}

void PtxTextView::updateFontMetrics() {
    const QFontMetricsF fm(font_, viewport());
    charWidth_ = fm.horizontalAdvance(u'M');
    lineHeight_ = std::ceil(fm.height() * 1.2);
    ascent_ = fm.ascent() + (lineHeight_ - fm.height()) / 2;
    updateGutterGeometry();
    updateScrollRanges();
}

int PtxTextView::gutterWidth() const {
    const int digits = int(QString::number(std::max(1, buffer_.lineCount())).size());
    return int(lineHeight_ + (digits + 1) * charWidth_ + lineHeight_ * 0.9 + 4);
}

void PtxTextView::updateGutterGeometry() {
    const int width = gutterWidth();
    setViewportMargins(width, 0, 0, 0);
    const QRect cr = contentsRect();
    gutter_->setGeometry(cr.left(), cr.top(), width, viewport()->height());
}

void PtxTextView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateGutterGeometry();
    updateScrollRanges();
}

void PtxTextView::scrollContentsBy(int, int) {
    viewport()->update();
    gutter_->update();
}

int PtxTextView::hiddenLineCount() const {
    int hidden = 0;
    for (const auto& [first, last] : folded_)
        hidden += last - first + 1;
    return hidden;
}

int PtxTextView::visibleRowCount() const {
    return buffer_.lineCount() - hiddenLineCount();
}

int PtxTextView::lineForRow(int row) const {
    int line = row;
    for (const auto& [first, last] : folded_) {
        if (first > line) break;
        line += last - first + 1;
    }
    return line;
}

int PtxTextView::rowForLine(int line) const {
    int row = line;
    for (const auto& [first, last] : folded_) {
        if (first > line) break;
        if (line <= last) return row - (line - first + 1); // hidden: the row of the fold's header
        row -= last - first + 1;
    }
    return row;
}

int PtxTextView::nextVisibleLine(int line) const {
    int next = line + 1;
    for (const auto& [first, last] : folded_)
        if (first <= next && next <= last) next = last + 1;
    return next;
}

bool PtxTextView::isLineVisible(int line) const {
    return std::none_of(folded_.begin(), folded_.end(),
                        [&](const auto& r) { return r.first <= line && line <= r.second; });
}

void PtxTextView::updateScrollRanges() {
    const int pageRows = std::max(1, int(viewport()->height() / lineHeight_));
    verticalScrollBar()->setRange(0, std::max(0, visibleRowCount() - pageRows + 1));
    verticalScrollBar()->setPageStep(pageRows);
    verticalScrollBar()->setSingleStep(1);
    const int contentWidth = int((buffer_.maxLineByteLength() + 8) * charWidth_);
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(int(charWidth_ * 4));
}

int PtxTextView::firstVisibleLine() const {
    return lineForRow(verticalScrollBar()->value());
}

void PtxTextView::scrollToLine(int line) {
    verticalScrollBar()->setValue(rowForLine(line));
}

int PtxTextView::visualColumn(const QString& line, int column) const {
    int visual = 0;
    const int end = std::min(column, int(line.size()));
    for (int i = 0; i < end; ++i)
        visual = line[i] == u'\t' ? (visual / tabWidth_ + 1) * tabWidth_ : visual + 1;
    return visual + std::max(0, column - end);
}

int PtxTextView::columnForVisual(const QString& line, int visual) const {
    int v = 0;
    for (int i = 0; i < line.size(); ++i) {
        const int next = line[i] == u'\t' ? (v / tabWidth_ + 1) * tabWidth_ : v + 1;
        if (visual < (v + next + 1) / 2) return i;
        v = next;
    }
    return int(line.size());
}

QPointF PtxTextView::pointForPosition(TextPosition p) const {
    const qreal x = 6 + visualColumn(buffer_.line(p.line), p.column) * charWidth_ -
                    horizontalScrollBar()->value();
    const qreal y = (rowForLine(p.line) - verticalScrollBar()->value()) * lineHeight_;
    return {x, y};
}

TextPosition PtxTextView::positionAt(QPointF point) const {
    const int row = verticalScrollBar()->value() + int(std::floor(point.y() / lineHeight_));
    const int line = std::clamp(lineForRow(std::max(0, row)), 0, buffer_.lineCount() - 1);
    const qreal x = point.x() - 6 + horizontalScrollBar()->value();
    const int visual = std::max(0, int(std::lround(x / charWidth_)));
    return {line, columnForVisual(buffer_.line(line), visual)};
}

// Cursor and navigation ---------------------------------------------------------------------------

QString PtxTextView::selectedText() const {
    return buffer_.text(anchor_, cursor_);
}

void PtxTextView::setCursorPosition(TextPosition p, bool keepAnchor) {
    p = buffer_.clamp(p);
    if (!isLineVisible(p.line)) unfoldFunction(outline_.functionContaining(p.line));
    cursor_ = p;
    if (!keepAnchor) anchor_ = p;
    ensureCursorVisible();
    restartCaretBlink();
    viewport()->update();
    gutter_->update();
    emit cursorPositionChanged(cursor_);
}

void PtxTextView::ensureCursorVisible() {
    const int row = rowForLine(cursor_.line);
    const int pageRows = std::max(1, int(viewport()->height() / lineHeight_));
    auto* v = verticalScrollBar();
    if (row < v->value())
        v->setValue(row);
    else if (row >= v->value() + pageRows)
        v->setValue(row - pageRows + 1);
    const qreal x = visualColumn(buffer_.line(cursor_.line), cursor_.column) * charWidth_;
    auto* h = horizontalScrollBar();
    if (x < h->value())
        h->setValue(int(x));
    else if (x + 3 * charWidth_ > h->value() + viewport()->width())
        h->setValue(int(x + 3 * charWidth_ - viewport()->width()));
}

void PtxTextView::jumpTo(TextPosition p) {
    const TextPosition from = cursor_;
    setCursorPosition(p);
    const int pageRows = std::max(1, int(viewport()->height() / lineHeight_));
    verticalScrollBar()->setValue(rowForLine(cursor_.line) - pageRows / 3);
    history_.recordJump(from, cursor_);
    emit historyChanged();
}

void PtxTextView::goToLine(int oneBasedLine) {
    jumpTo(TextPosition{std::clamp(oneBasedLine, 1, buffer_.lineCount()) - 1, 0});
}

bool PtxTextView::goBack() {
    const auto target = history_.back(cursor_);
    if (target) setCursorPosition(*target);
    emit historyChanged();
    return target.has_value();
}

bool PtxTextView::goForward() {
    const auto target = history_.forward(cursor_);
    if (target) setCursorPosition(*target);
    emit historyChanged();
    return target.has_value();
}

QString PtxTextView::wordAt(TextPosition p) const {
    const QString line = buffer_.line(std::clamp(p.line, 0, buffer_.lineCount() - 1));
    auto isWord = [](QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'$'; };
    int begin = std::clamp(p.column, 0, int(line.size()));
    int end = begin;
    while (begin > 0 && isWord(line[begin - 1]))
        --begin;
    while (end < line.size() && isWord(line[end]))
        ++end;
    if (begin > 0 && line[begin - 1] == u'%') --begin;
    return line.mid(begin, end - begin);
}

bool PtxTextView::goToDefinitionAt(TextPosition p) {
    const QString word = wordAt(p);
    if (word.isEmpty() || word.startsWith(u'%')) return false;
    if (const int fn = outline_.functionNamed(word); fn >= 0) {
        const int line = outline_.functions[std::size_t(fn)].headerLine;
        jumpTo({line, int(buffer_.line(line).indexOf(word))});
        return true;
    }
    // Labels are local to their function in PTX; outside a function search the whole text.
    const int fn = outline_.functionContaining(p.line);
    const int from = fn >= 0 ? outline_.functions[std::size_t(fn)].headerLine : 0;
    const int to =
        fn >= 0 ? outline_.functions[std::size_t(fn)].closeLine : buffer_.lineCount() - 1;
    const int line = findLabelDefinition(buffer_, word, from, to);
    if (line < 0) return false;
    jumpTo({line, int(buffer_.line(line).indexOf(word))});
    return true;
}

// Outline and folding -------------------------------------------------------------------------

void PtxTextView::rescanOutline() {
    if (buffer_.lineCount() < kSynchronousOutlineLines) {
        applyOutline(scanPtxOutline(buffer_), buffer_.revision(), textGeneration_);
        return;
    }
    if (outlineThread_) {
        outlineRescanPending_ = true;
        return;
    }
    // The copy shares the file bytes and edited lines (implicitly shared, immutable); only the
    // line index is copied, ~16 bytes per line.
    auto snapshot = std::make_shared<TextLineBuffer>(buffer_);
    auto result = std::make_shared<PtxOutline>();
    outlineThread_ = QThread::create([snapshot, result] { *result = scanPtxOutline(*snapshot); });
    connect(outlineThread_, &QThread::finished, this,
            [this, snapshot, result, generation = textGeneration_] {
                outlineThread_->deleteLater();
                outlineThread_ = nullptr;
                applyOutline(std::move(*result), snapshot->revision(), generation);
                if (outlineRescanPending_) {
                    outlineRescanPending_ = false;
                    rescanOutline();
                }
            });
    outlineThread_->start(QThread::LowPriority);
}

void PtxTextView::applyOutline(PtxOutline outline, std::uint64_t revision, int generation) {
    // A scan of an older text would put folds and outline entries on the wrong lines.
    if (revision != buffer_.revision() || generation != textGeneration_) return;
    outline_ = std::move(outline);
    gutter_->update();
    emit outlineChanged();
}

void PtxTextView::foldFunction(int index) {
    if (index < 0 || index >= int(outline_.functions.size()) || isFunctionFolded(index)) return;
    const auto& fn = outline_.functions[std::size_t(index)];
    if (fn.closeLine <= fn.headerLine) return;
    const std::pair<int, int> range{fn.headerLine + 1, fn.closeLine};
    folded_.insert(std::upper_bound(folded_.begin(), folded_.end(), range), range);
    if (range.first <= cursor_.line && cursor_.line <= range.second)
        cursor_ = anchor_ = TextPosition{fn.headerLine, 0};
    updateScrollRanges();
    updateScrollBarMarks();
    viewport()->update();
    gutter_->update();
}

void PtxTextView::unfoldFunction(int index) {
    if (index < 0 || index >= int(outline_.functions.size())) return;
    const int header = outline_.functions[std::size_t(index)].headerLine;
    std::erase_if(folded_, [&](const auto& r) { return r.first == header + 1; });
    updateScrollRanges();
    updateScrollBarMarks();
    viewport()->update();
    gutter_->update();
}

bool PtxTextView::isFunctionFolded(int index) const {
    if (index < 0 || index >= int(outline_.functions.size())) return false;
    const int header = outline_.functions[std::size_t(index)].headerLine;
    return std::any_of(folded_.begin(), folded_.end(),
                       [&](const auto& r) { return r.first == header + 1; });
}

void PtxTextView::foldAll() {
    for (int i = 0; i < int(outline_.functions.size()); ++i)
        foldFunction(i);
}

void PtxTextView::unfoldAll() {
    folded_.clear();
    updateScrollRanges();
    updateScrollBarMarks();
    viewport()->update();
    gutter_->update();
}

// Findings --------------------------------------------------------------------------------------

void PtxTextView::setFindings(std::vector<EditorFinding> findings) {
    findings_ = std::move(findings);
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const auto& a, const auto& b) { return a.range.begin < b.range.begin; });
    selectedFinding_ = -1;
    updateScrollBarMarks();
    viewport()->update();
    gutter_->update();
}

void PtxTextView::selectFinding(int index) {
    selectedFinding_ = (index >= 0 && index < int(findings_.size())) ? index : -1;
    if (selectedFinding_ >= 0) jumpTo(findings_[std::size_t(index)].range.begin);
    viewport()->update();
}

int PtxTextView::findingMarkerOnLine(int line) const {
    auto it =
        std::lower_bound(findings_.begin(), findings_.end(), line,
                         [](const EditorFinding& f, int l) { return f.range.begin.line < l; });
    int best = -1;
    for (; it != findings_.end() && it->range.begin.line == line; ++it)
        if (best < 0 || it->severity > findings_[std::size_t(best)].severity)
            best = int(it - findings_.begin());
    return best;
}

std::vector<int> PtxTextView::findingsAt(TextPosition p) const {
    std::vector<int> out;
    for (std::size_t i = 0; i < findings_.size(); ++i) {
        const auto& r = findings_[i].range;
        if (r.begin.line > p.line) break;
        if (r.begin <= p && (p < r.end || (r.begin == r.end && p.line == r.begin.line)))
            out.push_back(int(i));
    }
    return out;
}

QString PtxTextView::findingToolTip(int index) const {
    const auto& f = findings_[std::size_t(index)];
    QString html = u"<b>"_s + severityName(f.severity) + u": "_s + f.ruleTitle.toHtmlEscaped() +
                   u"</b> <span style='color:gray'>["_s + f.ruleId.toHtmlEscaped() +
                   u"]</span><br>"_s + f.message.toHtmlEscaped();
    if (!f.fixHint.isEmpty()) html += u"<br><i>Fix: "_s + f.fixHint.toHtmlEscaped() + u"</i>"_s;
    return html;
}

// Search ----------------------------------------------------------------------------------------

int PtxTextView::findAll(const FindQuery& query) {
    matches_.clear();
    currentMatch_ = -1;
    if (query.text.isEmpty()) {
        updateScrollBarMarks();
        viewport()->update();
        return 0;
    }
    const Qt::CaseSensitivity cs = query.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
    QRegularExpression regex;
    if (query.regularExpression || query.wholeWord) {
        QString pattern =
            query.regularExpression ? query.text : QRegularExpression::escape(query.text);
        if (query.wholeWord) pattern = u"(?<![\\w$%])(?:"_s + pattern + u")(?![\\w$])"_s;
        regex.setPattern(pattern);
        if (!query.caseSensitive)
            regex.setPatternOptions(QRegularExpression::CaseInsensitiveOption);
        if (!regex.isValid()) return 0;
    }
    const bool literal = !regex.isValid() || regex.pattern().isEmpty();
    const QStringMatcher matcher(query.text, cs);
    // Bytes first: most lines of a large file do not contain an ASCII needle, and checking the
    // raw UTF-8 avoids decoding them.
    const QByteArray needleUtf8 = query.text.toUtf8();
    const bool bytePrefilter = literal && query.caseSensitive;
    for (int l = 0; l < buffer_.lineCount() && int(matches_.size()) < kMaxMatches; ++l) {
        if (bytePrefilter && !buffer_.lineUtf8(l).contains(needleUtf8)) continue;
        const QString line = buffer_.line(l);
        if (literal) {
            for (qsizetype at = matcher.indexIn(line); at >= 0;
                 at = matcher.indexIn(line, at + query.text.size()))
                matches_.push_back({l, int(at), int(query.text.size())});
        } else {
            auto it = regex.globalMatch(line);
            while (it.hasNext()) {
                const auto m = it.next();
                if (m.capturedLength() > 0)
                    matches_.push_back({l, int(m.capturedStart()), int(m.capturedLength())});
            }
        }
    }
    updateScrollBarMarks();
    viewport()->update();
    return int(matches_.size());
}

void PtxTextView::clearFind() {
    matches_.clear();
    currentMatch_ = -1;
    updateScrollBarMarks();
    viewport()->update();
}

bool PtxTextView::findNext(bool backwards) {
    if (matches_.empty()) return false;
    const TextPosition from = hasSelection() ? std::min(anchor_, cursor_) : cursor_;
    auto key = [](const TextMatch& m) { return TextPosition{m.line, m.column}; };
    int index;
    if (!backwards) {
        auto it = std::upper_bound(matches_.begin(), matches_.end(), from,
                                   [&](TextPosition p, const TextMatch& m) { return p < key(m); });
        index = it == matches_.end() ? 0 : int(it - matches_.begin());
    } else {
        auto it = std::lower_bound(matches_.begin(), matches_.end(), from,
                                   [&](const TextMatch& m, TextPosition p) { return key(m) < p; });
        index = it == matches_.begin() ? int(matches_.size()) - 1 : int(it - matches_.begin()) - 1;
    }
    currentMatch_ = index;
    const TextMatch& m = matches_[std::size_t(index)];
    const TextPosition before = cursor_;
    setCursorPosition({m.line, m.column});
    setCursorPosition({m.line, m.column + m.length}, true);
    if (before.line != m.line) {
        history_.recordJump(before, cursor_);
        emit historyChanged();
    }
    return true;
}

void PtxTextView::updateScrollBarMarks() {
    const double rows = std::max(1, visibleRowCount() - 1);
    std::vector<ScrollBarMark> findingMarks;
    for (const auto& f : findings_) {
        const QColor c = f.severity == FindingSeverity::Error     ? theme_.error
                         : f.severity == FindingSeverity::Warning ? theme_.warning
                                                                  : theme_.note;
        findingMarks.push_back({rowForLine(f.range.begin.line) / rows, c});
    }
    std::vector<ScrollBarMark> hitMarks;
    hitMarks.reserve(std::min<std::size_t>(matches_.size(), 4096));
    int lastRow = -1;
    for (const auto& m : matches_) {
        const int row = rowForLine(m.line);
        if (row == lastRow) continue;
        lastRow = row;
        hitMarks.push_back({row / rows, theme_.findHitCurrent});
    }
    scrollBar_->setMarks(0, std::move(findingMarks));
    scrollBar_->setMarks(1, std::move(hitMarks));
}

// Theme -----------------------------------------------------------------------------------------

void PtxTextView::setThemeOverride(std::optional<bool> dark) {
    themeOverride_ = dark;
    theme_ = dark ? (*dark ? EditorTheme::dark() : EditorTheme::light())
                  : EditorTheme::forPalette(palette());
    updateScrollBarMarks();
    viewport()->update();
    gutter_->update();
}

void PtxTextView::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !themeOverride_) setThemeOverride(std::nullopt);
    if (event->type() == QEvent::FontChange) updateFontMetrics();
}

} // namespace ptxwb::views
