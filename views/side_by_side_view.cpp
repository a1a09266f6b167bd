#include "side_by_side_view.h"

#include "diff_overview_strip.h"
#include "ptx_text_view.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {

QColor rowColor(const EditorTheme& theme, const AlignedRow& row, int line) {
    if (line < 0) return theme.diffFiller;
    if (!row.instruction) return {};
    switch (row.kind) {
    case ptx::DiffKind::Same:
        return {};
    case ptx::DiffKind::Changed:
        return theme.diffChanged;
    case ptx::DiffKind::OnlyLeft:
        return theme.diffOnlyLeft;
    case ptx::DiffKind::OnlyRight:
        return theme.diffOnlyRight;
    }
    return {};
}

QList<QByteArray> splitLines(const QByteArray& text) {
    QList<QByteArray> lines = text.split('\n');
    for (QByteArray& l : lines)
        if (l.endsWith('\r')) l.chop(1);
    return lines;
}

} // namespace

SideBySideView::SideBySideView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    summary_ = new QLabel(this);
    summary_->setObjectName(u"diffSummary"_s);
    summary_->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(summary_);

    auto* body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    for (int s = 0; s < 2; ++s) {
        // Each side's file and function sit right above its own pane, whatever the split.
        auto* column = new QWidget(splitter);
        auto* columnLayout = new QVBoxLayout(column);
        columnLayout->setContentsMargins(0, 0, 0, 0);
        columnLayout->setSpacing(0);
        headers_[s] = new QLabel(column);
        headers_[s]->setTextFormat(Qt::PlainText);
        headers_[s]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        headers_[s]->setContentsMargins(6, 2, 6, 2);
        QFont bold = headers_[s]->font();
        bold.setBold(true);
        headers_[s]->setFont(bold);
        panes_[s] = new PtxTextView(column);
        panes_[s]->setObjectName(s == Left ? u"leftPane"_s : u"rightPane"_s);
        panes_[s]->setFoldingEnabled(false);
        columnLayout->addWidget(headers_[s]);
        columnLayout->addWidget(panes_[s], 1);
        splitter->addWidget(column);
        connect(panes_[s]->verticalScrollBar(), &QScrollBar::valueChanged, this,
                [this, s] { syncScroll(Side(s)); });
    }
    splitter->setSizes({1000, 1000}); // equal halves, not the panes' size hints
    overview_ = new DiffOverviewStrip(this);
    body->addWidget(splitter, 1);
    body->addWidget(overview_);
    layout->addLayout(body, 1);
    connect(overview_, &DiffOverviewStrip::rowRequested, this, [this](int row) {
        const int rows = panes_[Left]->viewport()->height() / int(panes_[Left]->lineHeight());
        panes_[Left]->scrollToLine(std::max(0, row - rows / 2));
    });
}

QString SideBySideView::setSides(CompareSide left, CompareSide right) {
    auto aligned = alignFunctions(left.path.toStdString(), left.text.toStdString(),
                                  left.function.toStdString(), right.path.toStdString(),
                                  right.text.toStdString(), right.function.toStdString());
    if (!aligned) return QString::fromStdString(aligned.error().format());
    alignment_ = std::move(*aligned);
    sides_[Left] = std::move(left);
    sides_[Right] = std::move(right);

    for (int s = 0; s < 2; ++s) {
        const QList<QByteArray> lines = splitLines(sides_[s].text);
        const int first = s == Left ? alignment_.leftFirstLine : alignment_.rightFirstLine;
        const int last = s == Left ? alignment_.leftLastLine : alignment_.rightLastLine;
        firstRowOfLine_[s].assign(std::size_t(std::max(0, last - first + 1)), -1);
        QByteArray paneText;
        std::vector<int> numbers;
        numbers.reserve(alignment_.rows.size());
        for (std::size_t r = 0; r < alignment_.rows.size(); ++r) {
            const int line = s == Left ? alignment_.rows[r].left : alignment_.rows[r].right;
            if (r > 0) paneText += '\n';
            if (line >= 0 && line < lines.size()) paneText += lines[line];
            numbers.push_back(line + 1);
            if (line >= first && line <= last && firstRowOfLine_[s][std::size_t(line - first)] < 0)
                firstRowOfLine_[s][std::size_t(line - first)] = int(r);
        }
        panes_[s]->setUtf8(paneText);
        panes_[s]->setDisplayedLineNumbers(std::move(numbers));
        headers_[s]->setText(
            u"%1 — %2"_s.arg(QFileInfo(sides_[s].path).fileName(), sides_[s].function));
        headers_[s]->setToolTip(sides_[s].path);
    }
    summary_->setText(summary());
    refreshColors();
    return {};
}

void SideBySideView::refreshColors() {
    std::vector<QColor> colors[2];
    std::vector<QColor> strip;
    for (const AlignedRow& row : alignment_.rows) {
        colors[Left].push_back(rowColor(panes_[Left]->theme(), row, row.left));
        colors[Right].push_back(rowColor(panes_[Right]->theme(), row, row.right));
        strip.push_back(row.instruction && row.kind != ptx::DiffKind::Same
                            ? rowColor(panes_[Right]->theme(), row, 0)
                            : QColor());
    }
    panes_[Left]->setLineBackgrounds(std::move(colors[Left]));
    panes_[Right]->setLineBackgrounds(std::move(colors[Right]));
    overview_->setRowColors(std::move(strip));
    updateOverviewFrame();
}

void SideBySideView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    // The panes pick their theme from the palette; the shading follows once they have.
    if (event->type() == QEvent::PaletteChange)
        QTimer::singleShot(0, this, &SideBySideView::refreshColors);
}

void SideBySideView::setFindings(Side s, const std::vector<EditorFinding>& findings) {
    auto toPane = [&](TextPosition p, bool& ok) {
        const int row = rowForLine(s, p.line);
        ok = row >= 0;
        return TextPosition{row, p.column};
    };
    std::vector<EditorFinding> shown;
    for (const EditorFinding& f : findings) {
        bool ok = false, okEnd = false;
        EditorFinding mapped = f;
        mapped.range.begin = toPane(f.range.begin, ok);
        mapped.range.end = toPane(f.range.end, okEnd);
        if (!ok) continue;
        if (!okEnd) mapped.range.end = mapped.range.begin;
        mapped.related.clear();
        for (const SourceRange& r : f.related) {
            bool a = false, b = false;
            SourceRange m{toPane(r.begin, a), toPane(r.end, b)};
            if (a && b) mapped.related.push_back(m);
        }
        shown.push_back(std::move(mapped));
    }
    panes_[s]->setFindings(std::move(shown));
}

int SideBySideView::rowForLine(Side s, int fileLine) const {
    const int first = s == Left ? alignment_.leftFirstLine : alignment_.rightFirstLine;
    const int index = fileLine - first;
    if (index < 0 || index >= int(firstRowOfLine_[s].size())) return -1;
    return firstRowOfLine_[s][std::size_t(index)];
}

int SideBySideView::lineForRow(Side s, int row) const {
    if (row < 0 || row >= int(alignment_.rows.size())) return -1;
    return s == Left ? alignment_.rows[std::size_t(row)].left
                     : alignment_.rows[std::size_t(row)].right;
}

QString SideBySideView::summary() const {
    if (alignment_.changed == 0 && alignment_.onlyLeft == 0 && alignment_.onlyRight == 0)
        return tr("equivalent up to register and label renaming (%n line(s))", nullptr,
                  int(alignment_.same));
    return tr("%1 changed · %2 only left · %3 only right · %4 same")
        .arg(alignment_.changed)
        .arg(alignment_.onlyLeft)
        .arg(alignment_.onlyRight)
        .arg(alignment_.same);
}

QString SideBySideView::title() const {
    return u"%1 ↔ %2"_s.arg(sides_[Left].function, sides_[Right].function);
}

void SideBySideView::syncScroll(Side from) {
    if (syncing_) return;
    syncing_ = true;
    // Both panes have the same rows (fillers included), so equal scroll values align them.
    const int value = panes_[from]->verticalScrollBar()->value();
    panes_[from == Left ? Right : Left]->verticalScrollBar()->setValue(value);
    syncing_ = false;
    updateOverviewFrame();
}

void SideBySideView::updateOverviewFrame() {
    const int rows = int(panes_[Left]->viewport()->height() / panes_[Left]->lineHeight());
    overview_->setVisibleRows(panes_[Left]->verticalScrollBar()->value(), rows);
}

} // namespace ptxwb::views
