#include "run_compare_view.h"

#include "run_compare_model.h"
#include "run_history_model.h"
#include "side_by_side_view.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace ptxwb::views {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString runLine(const char* side, const store::RunSummary& run) {
    return QStringLiteral("%1: %2  %3 UTC  %4  (%5 of %6 checks failing)")
        .arg(QString::fromLatin1(side), qs(run.uuid),
             RunHistoryModel::formatStarted(run.startedUnixMs),
             QString::fromLatin1(store::runStatusName(run.status)))
        .arg(run.failedCheckCount)
        .arg(run.checkCount);
}

const store::KernelSource* findKernel(const std::vector<store::KernelSource>& kernels,
                                      const std::string& name) {
    const auto it = std::find_if(kernels.begin(), kernels.end(),
                                 [&](const store::KernelSource& k) { return k.name == name; });
    return it == kernels.end() ? nullptr : &*it;
}

/// Hashes and long values cut to a table cell (the tooltip holds the whole value).
QString shortened(const std::string& value) {
    constexpr std::size_t kMaxCell = 24;
    return value.size() <= kMaxCell ? qs(value) : qs(value.substr(0, 16)) + QStringLiteral("…");
}

QTreeWidget* factTree(QWidget* parent, const QStringList& headers) {
    auto* tree = new QTreeWidget(parent);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->header()->setStretchLastSection(true);
    return tree;
}

} // namespace

RunCompareView::RunCompareView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    header_ = new QLabel(this);
    header_->setObjectName(QStringLiteral("compareHeader"));
    header_->setTextFormat(Qt::PlainText);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header_);

    auto* vertical = new QSplitter(Qt::Vertical, this);
    auto* horizontal = new QSplitter(Qt::Horizontal, vertical);
    auto* checksBox = new QWidget(horizontal);
    auto* checksLayout = new QVBoxLayout(checksBox);
    checksLayout->setContentsMargins(0, 0, 0, 0);
    showSame_ = new QCheckBox(tr("Show unchanged checks"), checksBox);
    model_ = new RunCompareModel(this);
    checks_ = new QTableView(checksBox);
    checks_->setObjectName(QStringLiteral("compareChecks"));
    checks_->setModel(model_);
    checks_->setSelectionBehavior(QAbstractItemView::SelectRows);
    checks_->setSelectionMode(QAbstractItemView::SingleSelection);
    checks_->verticalHeader()->hide();
    checks_->horizontalHeader()->setStretchLastSection(true);
    checksLayout->addWidget(showSame_);
    checksLayout->addWidget(checks_, 1);
    facts_ = new QTabWidget(horizontal);
    environment_ = factTree(facts_, {tr("Field"), tr("A"), tr("B")});
    kernels_ = factTree(facts_, {tr("Kernel"), tr("PTX in A"), tr("PTX in B")});
    facts_->addTab(environment_, tr("Environment"));
    facts_->addTab(kernels_, tr("Kernel Sources"));
    horizontal->addWidget(checksBox);
    horizontal->addWidget(facts_);
    horizontal->setStretchFactor(0, 3);
    horizontal->setStretchFactor(1, 2);

    ptxArea_ = new QStackedWidget(vertical);
    ptxMessage_ = new QLabel(ptxArea_);
    ptxMessage_->setAlignment(Qt::AlignCenter);
    ptxMessage_->setWordWrap(true);
    ptxMessage_->setTextFormat(Qt::PlainText);
    ptxDiff_ = new SideBySideView(ptxArea_);
    ptxArea_->addWidget(ptxMessage_);
    ptxArea_->addWidget(ptxDiff_);
    vertical->addWidget(horizontal);
    vertical->addWidget(ptxArea_);
    vertical->setStretchFactor(0, 2);
    vertical->setStretchFactor(1, 3);
    layout->addWidget(vertical, 1);
    showPtxMessage(tr("Select a check whose PTX changed, or a kernel under Kernel Sources, to "
                      "see the two runs' PTX side by side."));

    connect(showSame_, &QCheckBox::toggled, model_, &RunCompareModel::setIncludeSame);
    connect(checks_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunCompareView::checkSelected);
    connect(kernels_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item) showKernelDiff(item->text(0));
    });
}

Status RunCompareView::showComparison(std::shared_ptr<store::HistoryStore> history,
                                      const std::string& uuidA, const std::string& uuidB) {
    store::LoadOptions light;
    light.mismatchMaps = false;
    PTXWB_TRY(store::Run a, history->loadRun(uuidA, light));
    PTXWB_TRY(store::Run b, history->loadRun(uuidB, light));
    history_ = std::move(history);
    comparison_ = store::compareRuns(a, b);
    kernelsA_ = std::move(a.kernels);
    kernelsB_ = std::move(b.kernels);

    using store::CheckChange;
    header_->setText(runLine("A (baseline)", comparison_.a) + u'\n' + runLine("B", comparison_.b) +
                     u'\n' +
                     tr("%1 newly failing · %2 newly passing · %3 evidence changed · %4 status "
                        "changed · %5 only in A · %6 only in B · %7 same")
                         .arg(comparison_.count(CheckChange::NewlyFailing))
                         .arg(comparison_.count(CheckChange::NewlyPassing))
                         .arg(comparison_.count(CheckChange::EvidenceChanged))
                         .arg(comparison_.count(CheckChange::StatusChanged))
                         .arg(comparison_.count(CheckChange::OnlyInA))
                         .arg(comparison_.count(CheckChange::OnlyInB))
                         .arg(comparison_.count(CheckChange::Same)));
    model_->setComparison(comparison_, showSame_->isChecked());
    checks_->resizeColumnsToContents();

    environment_->clear();
    for (const auto& d : comparison_.environment) {
        auto* item =
            new QTreeWidgetItem(environment_, {qs(d.field), shortened(d.a), shortened(d.b)});
        item->setToolTip(1, qs(d.a));
        item->setToolTip(2, qs(d.b));
    }
    kernels_->clear();
    for (const auto& k : comparison_.kernelSources)
        new QTreeWidgetItem(kernels_,
                            {qs(k.kernel), qs(store::kernelSourceLabel(k.inA, k.ptxHashA)),
                             qs(store::kernelSourceLabel(k.inB, k.ptxHashB))});
    facts_->setTabText(0, tr("Environment (%1)").arg(comparison_.environment.size()));
    facts_->setTabText(1, tr("Kernel Sources (%1)").arg(comparison_.kernelSources.size()));
    for (QTreeWidget* tree : {environment_, kernels_})
        for (int c = 0; c < tree->columnCount(); ++c)
            tree->resizeColumnToContents(c);
    showPtxMessage(comparison_.kernelSources.empty()
                       ? tr("Both runs ran the same PTX for every kernel.")
                       : tr("Select a check whose PTX changed, or a kernel under Kernel Sources, "
                            "to see the two runs' PTX side by side."));
    return {};
}

QString RunCompareView::title() const {
    return tr("%1 ↔ %2").arg(qs(comparison_.a.uuid.substr(0, 8)),
                             qs(comparison_.b.uuid.substr(0, 8)));
}

void RunCompareView::checkSelected() {
    const QModelIndex index = checks_->currentIndex();
    if (!index.isValid()) return;
    const QStringList kernels = index.data(RunCompareModel::ChangedKernelsRole).toStringList();
    if (!kernels.isEmpty()) showKernelDiff(kernels.front());
}

QString RunCompareView::ptxMessage() const {
    return ptxArea_->currentWidget() == ptxMessage_ ? ptxMessage_->text() : QString();
}

void RunCompareView::showPtxMessage(const QString& text) {
    ptxMessage_->setText(text);
    ptxArea_->setCurrentWidget(ptxMessage_);
}

QString RunCompareView::showKernelDiff(const QString& kernel) {
    const std::string name = kernel.toStdString();
    const store::KernelSource* a = findKernel(kernelsA_, name);
    const store::KernelSource* b = findKernel(kernelsB_, name);
    QString problem;
    if (!a && !b)
        problem = tr("Neither run has a kernel named %1.").arg(kernel);
    else if (!a || !b)
        problem = tr("%1 is only in run %2: there is nothing to compare it with.")
                      .arg(kernel, a ? QStringLiteral("A") : QStringLiteral("B"));
    else if (a->ptxHash.empty() || b->ptxHash.empty())
        problem = tr("The PTX of %1 was not recorded in run %2.")
                      .arg(kernel, a->ptxHash.empty() ? QStringLiteral("A") : QStringLiteral("B"));
    if (!problem.isEmpty()) {
        showPtxMessage(problem);
        return problem;
    }
    auto textA = history_->ptxText(a->ptxHash);
    auto textB = history_->ptxText(b->ptxHash);
    if (!textA || !textB) {
        problem = tr("Cannot read the stored PTX of %1: %2")
                      .arg(kernel, qs((textA ? textB.error() : textA.error()).format()));
        showPtxMessage(problem);
        return problem;
    }
    const auto side = [&](const char* label, const store::RunSummary& run,
                          const store::KernelSource& k, std::string& text) {
        const QString file = QFileInfo(qs(k.sourcePath.empty() ? k.name : k.sourcePath)).fileName();
        return CompareSide{QStringLiteral("%1 %2 · %3")
                               .arg(QString::fromLatin1(label), qs(run.uuid.substr(0, 8)), file),
                           QByteArray::fromStdString(text), qs(k.entry.empty() ? k.name : k.entry)};
    };
    problem = ptxDiff_->setSides(side("A", comparison_.a, *a, *textA),
                                 side("B", comparison_.b, *b, *textB));
    if (!problem.isEmpty()) {
        showPtxMessage(problem);
        return problem;
    }
    ptxArea_->setCurrentWidget(ptxDiff_);
    return {};
}

} // namespace ptxwb::views
