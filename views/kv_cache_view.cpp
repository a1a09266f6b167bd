#include "kv_cache_view.h"

#include "heatmap_legend.h"
#include "heatmap_view.h"
#include "kv_cache_margin.h"
#include "kv_cache_text.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace ptxwb::views {

namespace {

constexpr int kSidePanelWidth = 400;
/// Width the side panel's sentences wrap at (the panel less its margins and a scroll bar).
constexpr int kSideTextWidth = kSidePanelWidth - 12 - 16;

/// Sets a word-wrapped label's text and keeps its height at what the text needs at `width`:
/// a layout short of room would otherwise squeeze it to one clipped line.
void setWrappedText(QLabel* label, const QString& text, int width) {
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setText(text);
    label->setMinimumHeight(text.isEmpty() ? 0 : label->heightForWidth(width));
}

QLabel* swatchLabel(const QColor& colour, QWidget* parent) {
    QPixmap pixmap(14, 14);
    pixmap.fill(colour);
    QPainter p(&pixmap);
    p.setPen(QColor(0x61, 0x61, 0x61));
    p.drawRect(0, 0, 13, 13);
    auto* label = new QLabel(parent);
    label->setPixmap(pixmap);
    return label;
}

/// Swatches of the row marks, under the category legend.
QWidget* rowMarkLegend(QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(4, 0, 4, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(2);
    const std::pair<unsigned, QString> marks[] = {
        {kRowNeverWritten, KvCacheView::tr("never written")},
        {kRowWrittenTwice, KvCacheView::tr("written more than once")},
        {kRowWrittenBeyond, KvCacheView::tr("written past the prompt")},
        {kRowSerialUnwritten, KvCacheView::tr("unwritten by serial prefill")}};
    auto* title = new QLabel(KvCacheView::tr("Positions (row header)"), box);
    grid->addWidget(title, 0, 0, 1, 2);
    int row = 1;
    for (const auto& [mark, text] : marks) {
        grid->addWidget(swatchLabel(kvRowMarkColour(mark), box), row, 0);
        auto* label = new QLabel(text, box);
        label->setObjectName(QStringLiteral("rowMark%1").arg(mark));
        grid->addWidget(label, row++, 1);
    }
    grid->setColumnStretch(1, 1);
    return box;
}

} // namespace

KvCacheView::KvCacheView(QWidget* parent) : QWidget(parent) {
    buildUi();
}

KvCacheView::~KvCacheView() = default;

void KvCacheView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    title_ = new QLabel(tr("No run"), this);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    problems_ = new QLabel(this);
    problems_->setWordWrap(true);
    problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title_);
    layout->addWidget(problems_);

    auto* controls = new QHBoxLayout;
    layerCombo_ = new QComboBox(this);
    layerCombo_->setObjectName(QStringLiteral("layerCombo"));
    headCombo_ = new QComboBox(this);
    headCombo_->setObjectName(QStringLiteral("headCombo"));
    kButton_ = new QToolButton(this);
    kButton_->setText(QStringLiteral("K"));
    vButton_ = new QToolButton(this);
    vButton_->setText(QStringLiteral("V"));
    tensorGroup_ = new QButtonGroup(this);
    tensorGroup_->setExclusive(true);
    for (auto* b : {kButton_, vButton_}) {
        b->setCheckable(true);
        b->setMinimumWidth(32);
        tensorGroup_->addButton(b);
    }
    kButton_->setChecked(true);
    controls->addWidget(new QLabel(tr("Layer"), this));
    controls->addWidget(layerCombo_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("KV head"), this));
    controls->addWidget(headCombo_);
    controls->addSpacing(12);
    controls->addWidget(kButton_);
    controls->addWidget(vButton_);
    controls->addStretch(1);
    layout->addLayout(controls);

    auto* body = new QHBoxLayout;
    auto* mapLayout = new QHBoxLayout;
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->setSpacing(0);
    heatmap_ = new HeatmapView(this);
    margin_ = new KvCacheRowMargin(heatmap_, this);
    overlay_ = new KvCacheRowOverlay(heatmap_);
    mapLayout->addWidget(margin_);
    mapLayout->addWidget(heatmap_, 1);
    heatmap_->installEventFilter(this);
    auto* mapColumn = new QVBoxLayout;
    mapColumn->setSpacing(2);
    mapColumn->addLayout(mapLayout, 1);
    axisCaption_ = new QLabel(this);
    axisCaption_->setObjectName(QStringLiteral("axisCaption"));
    axisCaption_->setAlignment(Qt::AlignCenter);
    mapColumn->addWidget(axisCaption_);
    body->addLayout(mapColumn, 1);

    // The side panel scrolls rather than squeezing its wrapped sentences when the window is
    // short; its width is fixed so the sentences wrap the same way at every window size.
    auto* sideScroll = new QScrollArea(this);
    sideScroll->setWidgetResizable(true);
    sideScroll->setFrameShape(QFrame::NoFrame);
    sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sideScroll->setFixedWidth(kSidePanelWidth);
    auto* side = new QWidget(sideScroll);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 0, 6, 0);
    headSummary_ = new QLabel(side);
    headSummary_->setWordWrap(true);
    headSummary_->setObjectName(QStringLiteral("headSummary"));
    legend_ = new HeatmapLegend(side);
    sideLayout->addWidget(headSummary_);
    sideLayout->addWidget(legend_);
    sideLayout->addWidget(rowMarkLegend(side));
    auto* rule = new QFrame(side);
    rule->setFrameShape(QFrame::HLine);
    sideLayout->addWidget(rule);
    positionTitle_ = new QLabel(side);
    positionTitle_->setFont(bold);
    positionDetails_ = new QLabel(side);
    positionDetails_->setWordWrap(true);
    positionDetails_->setObjectName(QStringLiteral("positionDetails"));
    writers_ = new QListWidget(side);
    writers_->setObjectName(QStringLiteral("writerList"));
    writers_->setWordWrap(true);
    writers_->setAlternatingRowColors(true);
    writers_->setMinimumHeight(120);
    writers_->setToolTip(tr("Click a launch to show it in the trace"));
    sideLayout->addWidget(positionTitle_);
    sideLayout->addWidget(positionDetails_);
    sideLayout->addWidget(new QLabel(tr("Written by (click to show in the trace):"), side));
    sideLayout->addWidget(writers_, 1);
    sideScroll->setWidget(side);
    body->addWidget(sideScroll);
    layout->addLayout(body, 1);

    connect(legend_, &HeatmapLegend::categoryToggled, heatmap_, &HeatmapView::setCategoryVisible);
    connect(margin_, &KvCacheRowMargin::rowClicked, this, &KvCacheView::selectPosition);
    connect(layerCombo_, &QComboBox::currentIndexChanged, this, [this] { showCurrentHead(); });
    connect(headCombo_, &QComboBox::currentIndexChanged, this, [this] { showCurrentHead(); });
    connect(tensorGroup_, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
        if (on) showCurrentHead();
    });
    connect(writers_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QVariant seq = item->data(Qt::UserRole);
        if (seq.isValid() && model_) emit showLaunch(runUuid(), seq.value<quint32>());
    });
}

bool KvCacheView::openRun(std::shared_ptr<store::HistoryStore> history, const QString& runUuid) {
    history_ = std::move(history);
    model_.reset();
    current_ = nullptr;
    position_ = -1;
    error_.clear();
    auto model = KvCacheModel::load(*history_, runUuid.toStdString());
    if (!model) {
        showError(QString::fromStdString(model.error().format()));
        return false;
    }
    model_ = std::move(*model);
    const auto& run = model_->run();
    title_->setText(kvRunTitle(run));
    QStringList problems;
    for (std::size_t i = 0; i < model_->problems().size() && i < 3; ++i)
        problems << QString::fromStdString(model_->problems()[i]);
    if (model_->problems().size() > 3)
        problems << tr("… and %1 more").arg(model_->problems().size() - 3);
    setWrappedText(problems_, problems.join(QLatin1Char('\n')), problemsWidth());
    problems_->setVisible(!problems.isEmpty());
    fillCombos();
    showCurrentHead();
    return true;
}

QString KvCacheView::runUuid() const {
    return model_ ? QString::fromStdString(model_->runUuid()) : QString();
}

void KvCacheView::showError(const QString& text) {
    error_ = text;
    title_->setText(tr("KV cache"));
    setWrappedText(problems_, text, problemsWidth());
    problems_->setVisible(true);
    heatmap_->clear();
    margin_->setRows({});
    overlay_->setSelectedRow(-1);
    axisCaption_->clear();
    setWrappedText(headSummary_, QString(), kSideTextWidth);
    positionTitle_->clear();
    setWrappedText(positionDetails_, QString(), kSideTextWidth);
    writers_->clear();
}

int KvCacheView::problemsWidth() const {
    return std::max(200, width() - 12);
}

void KvCacheView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    setWrappedText(problems_, problems_->text(), problemsWidth());
}

void KvCacheView::fillCombos() {
    filling_ = true;
    layerCombo_->clear();
    headCombo_->clear();
    for (int layer : model_->layers())
        layerCombo_->addItem(tr("%1").arg(layer), layer);
    for (int head : model_->heads())
        headCombo_->addItem(tr("%1").arg(head), head);
    // Red entries: a layer with any failing head, a head failing in any layer or tensor.
    for (int i = 0; i < layerCombo_->count(); ++i) {
        const int layer = layerCombo_->itemData(i).toInt();
        for (const auto& e : model_->entries())
            if (e.layer == layer && store::isFailing(e.status))
                layerCombo_->setItemData(i, QColor(0xc6, 0x28, 0x28), Qt::ForegroundRole);
    }
    for (int i = 0; i < headCombo_->count(); ++i) {
        const int head = headCombo_->itemData(i).toInt();
        for (const auto& e : model_->entries())
            if (e.head == head && store::isFailing(e.status))
                headCombo_->setItemData(i, QColor(0xc6, 0x28, 0x28), Qt::ForegroundRole);
    }
    filling_ = false;
}

QString KvCacheView::currentTensor() const {
    return vButton_->isChecked() ? QStringLiteral("v") : QStringLiteral("k");
}

void KvCacheView::selectHead(int layer, const QString& tensor, int head) {
    filling_ = true;
    layerCombo_->setCurrentIndex(layerCombo_->findData(layer));
    headCombo_->setCurrentIndex(headCombo_->findData(head));
    (tensor == QLatin1String("v") ? vButton_ : kButton_)->setChecked(true);
    filling_ = false;
    showCurrentHead();
}

void KvCacheView::showCurrentHead() {
    if (filling_ || !model_) return;
    const int layer = layerCombo_->currentData().toInt();
    const int head = headCombo_->currentData().toInt();
    current_ = model_->find(layer, currentTensor().toStdString(), head);
    if (!current_) {
        heatmap_->clear();
        margin_->setRows({});
        axisCaption_->clear();
        setWrappedText(headSummary_,
                       tr("No map was recorded for layer %1 %2, KV head %3.")
                           .arg(layer)
                           .arg(currentTensor().toUpper())
                           .arg(head),
                       kSideTextWidth);
        selectPosition(-1);
        return;
    }
    auto map = model_->loadMap(*history_, *current_);
    if (!map) {
        showError(QString::fromStdString(map.error().format()));
        return;
    }
    heatmap_->setMap(std::move(*map), current_->firstMismatches);
    legend_->setCounts(current_->counts);
    std::vector<unsigned> marks;
    for (int row = 0; row < current_->positions; ++row)
        marks.push_back(KvCacheModel::rowMarks(*current_, row));
    margin_->setRows(std::move(marks));
    setWrappedText(headSummary_, kvHeadSummary(*current_), kSideTextWidth);
    axisCaption_->setText(tr("rows: cache positions 0–%1 (%2 prompt tokens) · columns: head "
                             "dimension 0–%3 · drag to pan, wheel to zoom, double-click to fit")
                              .arg(current_->positions - 1)
                              .arg(current_->tokens)
                              .arg(current_->headDim - 1));
    selectPosition(position_ >= 0 && position_ < current_->positions ? position_
                                                                     : suggestedPosition());
}

int KvCacheView::suggestedPosition() const {
    // The row most likely to explain the failure: written twice, then differing, then unwritten.
    for (const auto* rows : {&current_->writtenTwice, &current_->mismatched,
                             &current_->neverWritten, &current_->writtenBeyond}) {
        if (!rows->empty()) return rows->front();
    }
    return current_->positions > 0 ? 0 : -1;
}

void KvCacheView::selectPosition(int position) {
    const bool valid = current_ && position >= 0 && position < current_->positions;
    position_ = valid ? position : -1;
    margin_->setSelectedRow(position_);
    overlay_->setSelectedRow(position_);
    writers_->clear();
    if (!valid) {
        positionTitle_->clear();
        setWrappedText(positionDetails_, QString(), kSideTextWidth);
        return;
    }
    positionTitle_->setText(tr("Position %1").arg(position));
    setWrappedText(positionDetails_, kvPositionDetails(*current_, position, heatmap_->map()),
                   kSideTextWidth);
    for (auto seq : current_->writers.count(position) ? current_->writers.at(position)
                                                      : std::vector<std::uint32_t>{}) {
        const store::TraceLaunch* launch = model_->launch(seq);
        auto* item = new QListWidgetItem(kvWriterText(seq, launch), writers_);
        item->setData(Qt::UserRole, QVariant::fromValue<quint32>(seq));
        item->setToolTip(tr("Show launch #%1 in the trace").arg(seq));
    }
    if (writers_->count() == 0) {
        auto* item =
            new QListWidgetItem(tr("(no launch of the batched prefill wrote it)"), writers_);
        item->setFlags(Qt::NoItemFlags);
    }
    emit positionSelected(position);
}

void KvCacheView::keyPressEvent(QKeyEvent* event) {
    const int step = event->key() == Qt::Key_Up ? -1 : event->key() == Qt::Key_Down ? 1 : 0;
    if (step == 0 || !current_ || position_ < 0) {
        QWidget::keyPressEvent(event);
        return;
    }
    selectPosition(std::clamp(position_ + step, 0, current_->positions - 1));
}

bool KvCacheView::eventFilter(QObject* watched, QEvent* event) {
    // A click on the heatmap (press and release without a drag) selects the row under it; the
    // heatmap itself still pans on drags.
    if (watched == heatmap_ && event->type() == QEvent::MouseButtonPress) {
        pressPos_ = static_cast<QMouseEvent*>(event)->position();
    } else if (watched == heatmap_ && event->type() == QEvent::MouseButtonRelease) {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton &&
            (mouse->position() - pressPos_).manhattanLength() < 4 && heatmap_->hasMap()) {
            const QPointF e = heatmap_->elementAt(mouse->position());
            if (e.y() >= 0 && e.x() >= 0 && e.x() < heatmap_->map()->cols())
                selectPosition(int(std::floor(e.y())));
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ptxwb::views
