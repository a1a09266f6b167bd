#include "trace_view.h"

#include "store/history_store.h"
#include "trace_path_badge.h"
#include "trace_tree_model.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>
#include <functional>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

int ptxEntryLine(const QByteArray& ptx, const QString& entry) {
    // `.visible .entry name(` or `.entry name (` — the name ends at '(' or whitespace.
    const QRegularExpression re(u"^\\s*(\\.\\w+\\s+)*\\.entry\\s+"_s +
                                QRegularExpression::escape(entry) + u"\\s*(\\(|$)"_s);
    int line = 1;
    for (const QByteArray& text : ptx.split('\n')) {
        if (re.match(QString::fromUtf8(text)).hasMatch()) return line;
        ++line;
    }
    return 0;
}

TraceView::TraceView(QWidget* parent) : QWidget(parent) {
    setObjectName(u"traceView"_s);
    header_ = new QLabel(this);
    header_->setObjectName(u"traceHeader"_s);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header_->setWordWrap(true);
    filterEdit_ = new QLineEdit(this);
    filterEdit_->setObjectName(u"traceFilter"_s);
    filterEdit_->setPlaceholderText(tr("Filter by op, kernel, path or parameter"));
    filterEdit_->setClearButtonEnabled(true);
    model_ = new TraceTreeModel(this);
    filter_ = new QSortFilterProxyModel(this);
    filter_->setSourceModel(model_);
    filter_->setRecursiveFilteringEnabled(true);
    filter_->setFilterKeyColumn(-1);
    filter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    tree_ = new QTreeView(this);
    tree_->setObjectName(u"traceTree"_s);
    tree_->setModel(filter_);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->setItemDelegateForColumn(TraceTreeModel::PathColumn, new TracePathBadgeDelegate(tree_));
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(TraceTreeModel::ParamsColumn, QHeaderView::Stretch);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(header_);
    layout->addWidget(filterEdit_);
    layout->addWidget(tree_, 1);
    connect(filterEdit_, &QLineEdit::textChanged, this, [this](const QString& text) {
        filter_->setFilterFixedString(text);
        if (!text.isEmpty()) tree_->expandAll();
    });
    // activated: a double-click (or a single click where the platform activates on one) or
    // Enter; doubleClicked as well would ask twice.
    connect(tree_, &QTreeView::activated, this, &TraceView::activate);
}

bool TraceView::loadRun(const QString& database, const QString& reference, QString* error) {
    auto fail = [error](const QString& message) {
        if (error) *error = message;
        return false;
    };
    auto history =
        store::HistoryStore::open(database.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
    if (!history) return fail(QString::fromStdString(history.error().format()));
    auto uuid = history->resolveRun(reference.trimmed().toStdString());
    if (!uuid) return fail(QString::fromStdString(uuid.error().format()));
    store::LoadOptions options;
    options.mismatchMaps = false;
    auto run = history->loadRun(*uuid, options);
    if (!run) return fail(QString::fromStdString(run.error().format()));
    if (run->traceLaunches.empty())
        return fail(
            tr("run %1 (%2) recorded no kernel launches; trace and qa runs do")
                .arg(QString::fromStdString(*uuid).left(8), QString::fromStdString(run->command)));
    setRun(std::move(*run), database);
    return true;
}

void TraceView::setRun(store::Run run, const QString& database) {
    run_ = std::move(run);
    database_ = database;
    model_->setLaunches(run_.traceLaunches);
    const auto& env = run_.environment;
    QStringList facts;
    facts << tr("<b>%1</b> run %2")
                 .arg(QString::fromStdString(run_.command).toHtmlEscaped(),
                      QString::fromStdString(run_.uuid).left(8));
    if (run_.startedUnixMs > 0)
        facts << QDateTime::fromMSecsSinceEpoch(run_.startedUnixMs).toString(u"yyyy-MM-dd hh:mm"_s);
    if (!env.modelName.empty())
        facts << tr("model %1").arg(QString::fromStdString(env.modelName).toHtmlEscaped());
    if (!env.gpuName.empty())
        facts << QString::fromStdString(env.gpuName + " " + env.smArch).toHtmlEscaped();
    facts << countOf(run_.traceLaunches.size(), "launch", "launches");
    facts << QString::fromUtf8(store::runStatusName(run_.status));
    for (const auto& [key, value] : run_.labels)
        facts << QString::fromStdString(key + "=" + value).toHtmlEscaped();
    header_->setText(facts.join(u" · "_s));
    tree_->expandToDepth(0);
    // Launch rows are collapsed, so size their columns from the widest value a launch can show
    // rather than from the visible rows (and without measuring thousands of launches).
    const QFontMetrics metrics(tree_->font());
    const auto widthOf = [&](const QString& sample) {
        return metrics.horizontalAdvance(sample) + 24;
    };
    tree_->resizeColumnToContents(TraceTreeModel::LaunchColumn);
    tree_->resizeColumnToContents(TraceTreeModel::KernelColumn);
    tree_->header()->resizeSection(TraceTreeModel::GridColumn, widthOf(u"0000×000×00"_s));
    tree_->header()->resizeSection(TraceTreeModel::BlockColumn, widthOf(u"0000×00×00"_s));
    tree_->header()->resizeSection(TraceTreeModel::SharedColumn, widthOf(u"Shared 000000"_s));
    tree_->header()->resizeSection(TraceTreeModel::RegistersColumn, widthOf(u"Regs 000"_s));
    tree_->header()->resizeSection(TraceTreeModel::PathColumn, widthOf(u"Position path"_s));
    tree_->header()->resizeSection(TraceTreeModel::PositionColumn, widthOf(u"Position read"_s));
}

QString TraceView::title() const {
    return tr("Trace %1").arg(runUuid().left(8));
}

std::optional<QByteArray> TraceView::ptxOf(const QString& kernel, const QString& entry,
                                           QString* error) const {
    const std::string k = kernel.toStdString(), e = entry.toStdString();
    const store::KernelSource* source = nullptr;
    for (const auto& s : run_.kernels)
        if ((!e.empty() && s.entry == e) || (!k.empty() && s.name == k)) {
            source = &s;
            if (s.entry == e) break; // the exact entry beats a kernel-name match
        }
    if (!source) {
        if (error) *error = tr("run %1 holds no PTX of %2").arg(runUuid().left(8), kernel);
        return std::nullopt;
    }
    if (!source->ptxText.empty()) return QByteArray::fromStdString(source->ptxText);
    auto history =
        store::HistoryStore::open(database_.toStdString(), store::HistoryStore::OpenMode::ReadOnly);
    if (!history) {
        if (error) *error = QString::fromStdString(history.error().format());
        return std::nullopt;
    }
    auto text = history->ptxText(source->ptxHash);
    if (!text) {
        if (error) *error = QString::fromStdString(text.error().format());
        return std::nullopt;
    }
    return QByteArray::fromStdString(*text);
}

void TraceView::activate(const QModelIndex& proxyIndex) {
    const QModelIndex index = filter_->mapToSource(proxyIndex);
    const QString kernel = index.siblingAtColumn(0).data(TraceTreeModel::KernelRole).toString();
    const QString entry = index.siblingAtColumn(0).data(TraceTreeModel::EntryRole).toString();
    if (kernel.isEmpty() && entry.isEmpty()) return; // a layer, or an op of several kernels
    emit openKernelEntry(kernel, entry);
}

bool TraceView::selectLaunch(quint32 seq) {
    // Launch rows sit under layer → op; search the source model, then map through the filter.
    std::function<QModelIndex(const QModelIndex&)> find = [&](const QModelIndex& parent) {
        for (int r = 0; r < model_->rowCount(parent); ++r) {
            const QModelIndex i = model_->index(r, 0, parent);
            const QVariant s = i.data(TraceTreeModel::SeqRole);
            if (s.isValid() && s.toUInt() == seq) return i;
            if (const QModelIndex hit = find(i); hit.isValid()) return hit;
        }
        return QModelIndex();
    };
    const QModelIndex source = find({});
    if (!source.isValid()) return false;
    QModelIndex proxy = filter_->mapFromSource(source);
    if (!proxy.isValid()) {
        filterEdit_->clear();
        proxy = filter_->mapFromSource(source);
    }
    tree_->expand(proxy.parent().parent());
    tree_->expand(proxy.parent());
    tree_->setCurrentIndex(proxy);
    tree_->scrollTo(proxy, QAbstractItemView::PositionAtCenter);
    return true;
}

} // namespace ptxwb::views
