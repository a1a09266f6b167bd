#pragma once
// The Trace view: the launches of a recorded trace (or qa) run, read from the history store,
// as a tree by layer and op (TraceTreeModel) with a filter. Double-clicking a launch or an op
// asks for its kernel's PTX (openKernelEntry); ptxOf() gives the PTX the run recorded.

#include "store/run.h"

#include <QWidget>
#include <optional>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace ptxwb::views {

class TraceTreeModel;

/// Shows one run's trace launches.
class TraceView : public QWidget {
    Q_OBJECT
public:
    explicit TraceView(QWidget* parent = nullptr);

    /// Loads run `reference` (uuid, unique uuid prefix or "latest") from the history at
    /// `database`; false with `error` set when it cannot (no such history or run, a run
    /// without launches).
    bool loadRun(const QString& database, const QString& reference, QString* error);
    /// Shows `run` (its kernels' PTX, if any, is read from `database` on request).
    void setRun(store::Run run, const QString& database);

    QString runUuid() const { return QString::fromStdString(run_.uuid); }
    QString title() const;
    /// The PTX text of `kernel` / `entry` as the run recorded it; std::nullopt with `error`
    /// set when the run holds none.
    std::optional<QByteArray> ptxOf(const QString& kernel, const QString& entry,
                                    QString* error) const;

    /// Selects the launch with this seq (clearing the filter if it hides it) and scrolls to it;
    /// false when the run has no such launch.
    bool selectLaunch(quint32 seq);

    TraceTreeModel* model() const { return model_; }
    QSortFilterProxyModel* filterModel() const { return filter_; }
    QTreeView* treeView() const { return tree_; }
    QLineEdit* filterEdit() const { return filterEdit_; }
    QLabel* headerLabel() const { return header_; }

signals:
    /// A launch (or an op whose launches share one kernel) was activated.
    void openKernelEntry(const QString& kernelName, const QString& entryName);

private:
    void activate(const QModelIndex& proxyIndex);

    store::Run run_;
    QString database_;
    QLabel* header_ = nullptr;
    QLineEdit* filterEdit_ = nullptr;
    QTreeView* tree_ = nullptr;
    TraceTreeModel* model_ = nullptr;
    QSortFilterProxyModel* filter_ = nullptr;
};

/// 1-based line of `.entry NAME` in a PTX text, or 0 when it has none.
int ptxEntryLine(const QByteArray& ptx, const QString& entry);

} // namespace ptxwb::views
