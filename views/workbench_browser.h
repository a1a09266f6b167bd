#pragma once
// The "Kernel Set / Model" dock: a tree over WorkbenchTreeModel with a hint while nothing is
// open. Activating a single kernel opens its source; activating a pair or a batched kernel
// compares it with its single twin side by side. Context menus open, compare, analyse and
// export.

#include <QWidget>

class QLabel;
class QStackedLayout;
class QTreeView;

namespace ptxwb::views {

class WorkbenchTreeModel;

/// A kernel pair picked for side-by-side comparison.
struct KernelPairChoice {
    QString singleSource, singleEntry;
    QString batchedSource, batchedEntry;
    QString manifestPath;
};

/// Tree of kernel sets and models.
class WorkbenchBrowser : public QWidget {
    Q_OBJECT
public:
    explicit WorkbenchBrowser(QWidget* parent = nullptr);

    /// Reads a kernelset.json manifest; returns an error message (empty on success).
    QString addKernelSet(const QString& manifestPath);
    /// Reads a .gguf model's header; returns an error message (empty on success).
    QString addModel(const QString& path);
    /// Source of the first kernel of the most recently added kernel set, or empty. With a
    /// suffix ("ptx"), the first source with that suffix (falling back to the first source).
    QString firstSourcePath(const QString& preferredSuffix = {}) const;
    /// The pair an index stands for: a pair node compares its single with its first batched
    /// kernel, a batched variant itself with its single. Empty sources when not a pair.
    KernelPairChoice pairFor(const QModelIndex& index) const;

    WorkbenchTreeModel* model() const { return model_; }
    QTreeView* tree() const { return tree_; }

signals:
    /// A kernel source (.ptx/.cu) was activated.
    void sourceActivated(const QString& path);
    /// Compare a pair side by side.
    void pairActivated(const ptxwb::views::KernelPairChoice& pair);
    /// Analyse these sources with this manifest's roles and pairs.
    void analyseRequested(const QStringList& sources, const QString& manifestPath);
    /// Write the kernel set's files somewhere else for editing.
    void exportRequested(const QString& manifestPath);

private:
    void activate(const QModelIndex& index);
    void showContextMenu(const QPoint& pos);
    QStringList sourcesUnder(const QModelIndex& index) const;

    WorkbenchTreeModel* model_ = nullptr;
    QTreeView* tree_ = nullptr;
    QLabel* hint_ = nullptr;
    QStackedLayout* stack_ = nullptr;
};

} // namespace ptxwb::views
