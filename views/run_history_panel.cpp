#include "run_history_panel.h"

#include "run_history_filter.h"
#include "run_history_model.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace ptxwb::views {

namespace {

QComboBox* filterBox(QWidget* parent, const QString& placeholder, const QString& tip) {
    auto* box = new QComboBox(parent);
    box->setEditable(true);
    box->setInsertPolicy(QComboBox::NoInsert);
    box->lineEdit()->setPlaceholderText(placeholder);
    box->lineEdit()->setClearButtonEnabled(true);
    box->setToolTip(tip);
    box->setMinimumContentsLength(8);
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    return box;
}

std::string text(const QComboBox* box) {
    return box->currentText().trimmed().toStdString();
}

} // namespace

RunHistoryPanel::RunHistoryPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    notice_ = new QLabel(this);
    notice_->setObjectName(QStringLiteral("historyNotice"));
    notice_->setWordWrap(true);
    notice_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    notice_->hide();
    layout->addWidget(notice_);

    auto* filters = new QHBoxLayout();
    gpu_ = filterBox(this, tr("GPU"), tr("Part of the GPU name, any case"));
    arch_ = filterBox(this, tr("arch"), tr("SM architecture, exactly (sm_90)"));
    driver_ = filterBox(this, tr("driver"), tr("Driver version or a prefix of it (550)"));
    toolkit_ = filterBox(this, tr("toolkit"), tr("CUDA toolkit version or a prefix of it (12)"));
    kernelSet_ =
        filterBox(this, tr("kernel set"), tr("Kernel-set name, or a prefix of its content hash"));
    status_ = new QComboBox(this);
    status_->addItem(tr("any status"), QString());
    for (auto s : {store::RunStatus::Passed, store::RunStatus::Failed, store::RunStatus::Error})
        status_->addItem(QString::fromLatin1(store::runStatusName(s)),
                         QString::fromLatin1(store::runStatusName(s)));
    auto* clearButton = new QPushButton(tr("Clear"), this);
    clearButton->setToolTip(tr("Show every run"));
    for (QWidget* w : std::initializer_list<QWidget*>{gpu_, arch_, driver_, toolkit_, kernelSet_})
        filters->addWidget(w, 1);
    filters->addWidget(status_);
    filters->addWidget(clearButton);
    layout->addLayout(filters);

    model_ = new RunHistoryModel(this);
    proxy_ = new RunHistoryFilterModel(this);
    proxy_->setSourceModel(model_);
    table_ = new QTableView(this);
    table_->setObjectName(QStringLiteral("runHistoryTable"));
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(RunHistoryModel::StartedColumn, Qt::DescendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    layout->addWidget(table_, 1);

    auto* bottom = new QHBoxLayout();
    count_ = new QLabel(this);
    count_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    compare_ = new QPushButton(tr("Compare Selected"), this);
    compare_->setToolTip(tr("Select two runs: the older is the baseline"));
    export_ = new QPushButton(tr("Export Report…"), this);
    bottom->addWidget(count_, 1);
    bottom->addWidget(compare_);
    bottom->addWidget(export_);
    layout->addLayout(bottom);

    for (QComboBox* box : {gpu_, arch_, driver_, toolkit_, kernelSet_})
        connect(box, &QComboBox::currentTextChanged, this, &RunHistoryPanel::applyFilter);
    connect(status_, &QComboBox::currentIndexChanged, this, &RunHistoryPanel::applyFilter);
    connect(clearButton, &QPushButton::clicked, this, [this] { setRunFilter({}); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid() && !restoringCurrent_)
                    emit runActivated(current.data(RunHistoryModel::UuidRole).toString());
            });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunHistoryPanel::updateButtons);
    connect(compare_, &QPushButton::clicked, this, &RunHistoryPanel::compareSelected);
    connect(export_, &QPushButton::clicked, this, [this] {
        if (const QString run = currentRun(); !run.isEmpty()) emit exportRequested(run);
    });
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        if (!table_->indexAt(at).isValid()) return;
        QMenu* menu = makeRunMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(table_->viewport()->mapToGlobal(at));
    });
    updateButtons();
}

QMenu* RunHistoryPanel::makeRunMenu(QWidget* parent) {
    auto* menu = new QMenu(parent);
    const QString run = currentRun();
    const bool two = selectedRuns().size() == 2;
    menu->addAction(tr("Show &Results"), this, [this, run] { emit runActivated(run); })
        ->setEnabled(!run.isEmpty());
    menu->addAction(tr("&Compare Selected Runs"), this, &RunHistoryPanel::compareSelected)
        ->setEnabled(two);
    menu->addSeparator();
    menu->addAction(tr("&Export Report…"), this, [this, run] { emit exportRequested(run); })
        ->setEnabled(!run.isEmpty());
    menu->addAction(tr("Copy as &Issue Text"), this,
                    [this, run] { emit copyIssueTextRequested(run); })
        ->setEnabled(!run.isEmpty());
    menu->addAction(tr("Copy Run &UUID"), this, [run] { QApplication::clipboard()->setText(run); })
        ->setEnabled(!run.isEmpty());
    return menu;
}

QString RunHistoryPanel::notice() const {
    return notice_->isHidden() ? QString() : notice_->text();
}

void RunHistoryPanel::setNotice(const QString& text, bool error) {
    notice_->setText(text);
    notice_->setStyleSheet(error ? QStringLiteral("QLabel { color: #c62828; font-weight: bold; }")
                                 : QString());
    notice_->setVisible(!text.isEmpty());
}

QString RunHistoryPanel::setDatabasePath(const QString& path) {
    path_ = path;
    history_.reset();
    model_->clear();
    reload();
    const QString error = history_ || !QFileInfo::exists(path) ? QString() : notice();
    emit databaseOpened(path, error);
    return error;
}

void RunHistoryPanel::reload() {
    const QString keep = currentRun();
    if (path_.isEmpty()) {
        setNotice(tr("No history database open (File → Open History Database…)."), false);
        return;
    }
    if (!QFileInfo::exists(path_)) {
        history_.reset();
        model_->clear();
        setNotice(tr("No runs recorded yet in %1. `ptxwb parity` and the Run dock record runs "
                     "there.")
                      .arg(path_),
                  false);
        refillFilterChoices();
        updateButtons();
        return;
    }
    // Re-opened each time: runs another process recorded since are listed, and a file that was
    // replaced by something else is noticed. ReadOnly never writes the file.
    auto opened =
        store::HistoryStore::open(path_.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
    if (!opened) {
        history_.reset();
        model_->clear();
        setNotice(tr("Cannot open the run history: %1")
                      .arg(QString::fromStdString(opened.error().format())),
                  true);
        refillFilterChoices();
        updateButtons();
        return;
    }
    auto store = std::make_shared<store::HistoryStore>(std::move(*opened));
    auto runs = store->listRuns();
    if (!runs) {
        history_.reset();
        model_->clear();
        setNotice(tr("Cannot list the runs: %1").arg(QString::fromStdString(runs.error().format())),
                  true);
        refillFilterChoices();
        updateButtons();
        return;
    }
    history_ = std::move(store);
    setNotice(runs->empty() ? tr("%1 holds no runs yet.").arg(path_) : QString(), false);
    model_->setRuns(std::move(*runs));
    refillFilterChoices();
    table_->resizeColumnsToContents();
    if (!keep.isEmpty()) {
        const int row = model_->rowOf(keep);
        if (row >= 0) {
            const QModelIndex index = proxy_->mapFromSource(model_->index(row, 0));
            // Putting the current run back is not the user choosing it: no runActivated, which
            // would reload its results page and drop the check open there.
            restoringCurrent_ = true;
            if (index.isValid()) table_->setCurrentIndex(index);
            restoringCurrent_ = false;
        }
    }
    applyFilter();
}

void RunHistoryPanel::refillFilterChoices() {
    settingFilter_ = true;
    const std::pair<QComboBox*, RunHistoryModel::Column> boxes[] = {
        {gpu_, RunHistoryModel::GpuColumn},
        {arch_, RunHistoryModel::ArchColumn},
        {driver_, RunHistoryModel::DriverColumn},
        {toolkit_, RunHistoryModel::ToolkitColumn},
        {kernelSet_, RunHistoryModel::KernelSetColumn}};
    for (const auto& [box, column] : boxes) {
        const QString typed = box->currentText();
        box->clear();
        box->addItem(QString());
        box->addItems(model_->distinctValues(column));
        box->setEditText(typed);
    }
    settingFilter_ = false;
}

void RunHistoryPanel::setRunFilter(const store::RunFilter& filter) {
    settingFilter_ = true;
    gpu_->setEditText(QString::fromStdString(filter.gpu));
    arch_->setEditText(QString::fromStdString(filter.arch));
    driver_->setEditText(QString::fromStdString(filter.driver));
    toolkit_->setEditText(QString::fromStdString(filter.toolkit));
    kernelSet_->setEditText(QString::fromStdString(filter.kernelSet));
    status_->setCurrentIndex(
        filter.status ? status_->findData(QString::fromLatin1(store::runStatusName(*filter.status)))
                      : 0);
    settingFilter_ = false;
    applyFilter();
}

store::RunFilter RunHistoryPanel::runFilter() const {
    store::RunFilter f;
    f.gpu = text(gpu_);
    f.arch = text(arch_);
    f.driver = text(driver_);
    f.toolkit = text(toolkit_);
    f.kernelSet = text(kernelSet_);
    f.status = store::parseRunStatus(status_->currentData().toString().toStdString());
    return f;
}

void RunHistoryPanel::applyFilter() {
    if (settingFilter_) return;
    proxy_->setRunFilter(runFilter());
    const int shown = proxy_->rowCount();
    const int total = model_->rowCount();
    count_->setText(shown == total ? tr("%n run(s)", nullptr, total)
                                   : tr("%1 of %n run(s)", nullptr, total).arg(shown));
    if (!path_.isEmpty()) count_->setToolTip(path_);
    updateButtons();
}

QStringList RunHistoryPanel::selectedRuns() const {
    std::vector<const store::RunSummary*> runs;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        runs.push_back(&model_->run(proxy_->mapToSource(index).row()));
    std::sort(runs.begin(), runs.end(), [](const auto* a, const auto* b) {
        return a->startedUnixMs != b->startedUnixMs ? a->startedUnixMs < b->startedUnixMs
                                                    : a->uuid < b->uuid;
    });
    QStringList uuids;
    for (const auto* run : runs)
        uuids << QString::fromStdString(run->uuid);
    return uuids;
}

QString RunHistoryPanel::currentRun() const {
    const QModelIndex index = table_->currentIndex();
    return index.isValid() ? index.data(RunHistoryModel::UuidRole).toString() : QString();
}

bool RunHistoryPanel::showRun(const QString& uuid) {
    // A uuid prefix (as the CLI prints) is resolved first; the database is read again only when
    // the run is not listed yet (recorded since the last reload).
    std::string full = uuid.toStdString();
    auto resolve = [&] {
        if (history_) {
            if (auto resolved = history_->resolveRun(full)) full = *resolved;
        }
    };
    resolve();
    if (model_->rowOf(QString::fromStdString(full)) < 0) {
        reload();
        resolve();
    }
    const int row = model_->rowOf(QString::fromStdString(full));
    if (row < 0) return false;
    if (!runMatchesFilter(model_->run(row), proxy_->runFilter())) setRunFilter({});
    const QModelIndex index = proxy_->mapFromSource(model_->index(row, 0));
    table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    table_->scrollTo(index);
    return true;
}

void RunHistoryPanel::compareSelected() {
    const QStringList runs = selectedRuns();
    if (runs.size() == 2) emit compareRequested(runs[0], runs[1]);
}

void RunHistoryPanel::updateButtons() {
    const int selected = static_cast<int>(table_->selectionModel()->selectedRows().size());
    compare_->setEnabled(selected == 2);
    export_->setEnabled(selected >= 1 && history_);
}

} // namespace ptxwb::views
