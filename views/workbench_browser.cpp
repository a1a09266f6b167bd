#include "workbench_browser.h"

#include "workbench_tree_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QStackedLayout>
#include <QTreeView>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
using Kind = WorkbenchTreeModel::NodeKind;

bool isBatched(const QModelIndex& i) {
    return i.data(WorkbenchTreeModel::VariantRole).toString() == u"batched";
}
} // namespace

WorkbenchBrowser::WorkbenchBrowser(QWidget* parent) : QWidget(parent) {
    model_ = new WorkbenchTreeModel(this);
    tree_ = new QTreeView(this);
    tree_->setObjectName(u"workbenchTree"_s);
    tree_->setModel(model_);
    tree_->setUniformRowHeights(true);
    tree_->setFrameShape(QFrame::NoFrame);
    tree_->setContextMenuPolicy(Qt::CustomContextMenu);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    tree_->header()->setStretchLastSection(true);
    tree_->header()->resizeSection(0, 180);
    hint_ = new QLabel(tr("Open a kernelset.json or a .gguf model\n(File → Open, or drop it here)"),
                       this);
    hint_->setAlignment(Qt::AlignCenter);
    hint_->setWordWrap(true);
    hint_->setEnabled(false); // drawn in the palette's muted text colour
    stack_ = new QStackedLayout(this);
    stack_->addWidget(hint_);
    stack_->addWidget(tree_);
    connect(tree_, &QTreeView::activated, this, &WorkbenchBrowser::activate);
    connect(tree_, &QWidget::customContextMenuRequested, this, &WorkbenchBrowser::showContextMenu);
    connect(model_, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex& parent, int first) {
                stack_->setCurrentWidget(tree_);
                if (parent.isValid()) return;
                // Expand a new kernel set down to its pairs; a model shows its two groups.
                const QModelIndex top = model_->index(first, 0);
                tree_->expand(top);
                if (model_->kind(top) == Kind::KernelSet)
                    for (int r = 0; r < model_->rowCount(top); ++r)
                        tree_->expand(model_->index(r, 0, top));
            });
}

QString WorkbenchBrowser::addKernelSet(const QString& manifestPath) {
    return model_->addKernelSet(manifestPath);
}

QString WorkbenchBrowser::addModel(const QString& path) {
    return model_->addModel(path);
}

QString WorkbenchBrowser::firstSourcePath(const QString& preferredSuffix) const {
    for (int i = model_->rowCount() - 1; i >= 0; --i) {
        const QModelIndex set = model_->index(i, 0);
        if (model_->kind(set) != Kind::KernelSet) continue;
        const QStringList sources = sourcesUnder(set);
        if (!preferredSuffix.isEmpty())
            for (const QString& s : sources)
                if (s.endsWith(u'.' + preferredSuffix, Qt::CaseInsensitive)) return s;
        return sources.value(0);
    }
    return {};
}

KernelPairChoice WorkbenchBrowser::pairFor(const QModelIndex& index) const {
    const QModelIndex i = index.siblingAtColumn(0);
    QModelIndex pair, batched;
    if (model_->kind(i) == Kind::Pair) {
        pair = i;
        for (int r = 0; r < model_->rowCount(pair) && !batched.isValid(); ++r)
            if (isBatched(model_->index(r, 0, pair))) batched = model_->index(r, 0, pair);
    } else if (model_->kind(i) == Kind::Variant && isBatched(i)) {
        pair = i.parent();
        batched = i;
    }
    if (!batched.isValid()) return {};
    QModelIndex single;
    for (int r = 0; r < model_->rowCount(pair) && !single.isValid(); ++r)
        if (!isBatched(model_->index(r, 0, pair))) single = model_->index(r, 0, pair);
    if (!single.isValid()) return {};
    return {single.data(WorkbenchTreeModel::SourcePathRole).toString(),
            single.data(WorkbenchTreeModel::EntryRole).toString(),
            batched.data(WorkbenchTreeModel::SourcePathRole).toString(),
            batched.data(WorkbenchTreeModel::EntryRole).toString(),
            batched.data(WorkbenchTreeModel::ManifestPathRole).toString()};
}

void WorkbenchBrowser::activate(const QModelIndex& index) {
    if (const KernelPairChoice pair = pairFor(index); !pair.batchedSource.isEmpty()) {
        emit pairActivated(pair);
        return;
    }
    const QString path =
        index.siblingAtColumn(0).data(WorkbenchTreeModel::SourcePathRole).toString();
    if (!path.isEmpty()) emit sourceActivated(path);
}

QStringList WorkbenchBrowser::sourcesUnder(const QModelIndex& index) const {
    QStringList out;
    const QString own = index.data(WorkbenchTreeModel::SourcePathRole).toString();
    if (!own.isEmpty()) out << own;
    for (int r = 0; r < model_->rowCount(index); ++r)
        for (const QString& s : sourcesUnder(model_->index(r, 0, index)))
            if (!out.contains(s)) out << s;
    return out;
}

void WorkbenchBrowser::showContextMenu(const QPoint& pos) {
    const QModelIndex index = tree_->indexAt(pos).siblingAtColumn(0);
    if (!index.isValid()) return;
    QMenu menu(this);
    const QString source = index.data(WorkbenchTreeModel::SourcePathRole).toString();
    const QString manifest = index.data(WorkbenchTreeModel::ManifestPathRole).toString();
    if (!source.isEmpty())
        menu.addAction(tr("Open Source"), this, [this, source] { emit sourceActivated(source); });
    if (const KernelPairChoice pair = pairFor(index); !pair.batchedSource.isEmpty())
        menu.addAction(tr("Compare Side by Side"), this,
                       [this, pair] { emit pairActivated(pair); });
    if (!manifest.isEmpty()) {
        QStringList ptx;
        for (const QString& s : sourcesUnder(index))
            if (s.endsWith(u".ptx"_s, Qt::CaseInsensitive)) ptx << s;
        QAction* analyse = menu.addAction(tr("Analyse PTX"), this, [this, ptx, manifest] {
            emit analyseRequested(ptx, manifest);
        });
        analyse->setEnabled(!ptx.isEmpty());
        if (ptx.isEmpty()) analyse->setText(tr("Analyse PTX (no .ptx source here)"));
        if (model_->kind(index) == Kind::KernelSet) {
            menu.addSeparator();
            menu.addAction(tr("Export Kernel Set…"), this,
                           [this, manifest] { emit exportRequested(manifest); });
        }
    }
    if (menu.isEmpty()) return;
    menu.exec(tree_->viewport()->mapToGlobal(pos));
}

} // namespace ptxwb::views
