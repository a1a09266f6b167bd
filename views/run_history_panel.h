#pragma once
// The history view: the runs of a history database (opened read-only, so the GUI never changes
// what the CLI recorded), filterable by GPU, architecture, driver, toolkit, kernel set and
// status. Selecting a run shows its results; two selected runs can be compared.

#include "store/history_store.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QMenu;
class QPushButton;
class QTableView;

namespace ptxwb::views {

class RunHistoryFilterModel;
class RunHistoryModel;

class RunHistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunHistoryPanel(QWidget* parent = nullptr);

    /// Opens the history at `path` read-only and lists its runs. A missing file is an empty
    /// history (runs appear on reload() once one is recorded); a file that is not a ptxwb
    /// history is left untouched and the panel shows why. Returns that error, or empty.
    QString setDatabasePath(const QString& path);
    [[nodiscard]] QString databasePath() const { return path_; }
    /// The open history (null when none is open).
    [[nodiscard]] std::shared_ptr<store::HistoryStore> history() const { return history_; }
    /// The error or notice shown above the table (empty when the history is listed).
    [[nodiscard]] QString notice() const;

    /// Sets the filter boxes (and so the rows shown).
    void setRunFilter(const store::RunFilter& filter);
    [[nodiscard]] store::RunFilter runFilter() const;

    /// The selected runs' UUIDs, oldest first.
    [[nodiscard]] QStringList selectedRuns() const;
    /// The current run's UUID (empty when none).
    [[nodiscard]] QString currentRun() const;

    /// The runs table's context menu for the current selection (the caller owns it): show the
    /// results, compare the two selected runs, export, copy as issue text, copy the UUID.
    [[nodiscard]] QMenu* makeRunMenu(QWidget* parent);

    [[nodiscard]] RunHistoryModel* model() const { return model_; }
    [[nodiscard]] RunHistoryFilterModel* filterModel() const { return proxy_; }
    [[nodiscard]] QTableView* table() const { return table_; }

public slots:
    /// Lists the runs again (re-opening the file, so runs recorded meanwhile by the CLI or the
    /// Run dock appear); the current run stays selected.
    void reload();
    /// Selects run `uuid` (a full UUID or a unique prefix), reloading when it is not listed yet
    /// and clearing filters that hide it. False when the history does not hold it.
    bool showRun(const QString& uuid);
    /// Compares the two selected runs (older as the baseline).
    void compareSelected();

signals:
    /// The current run changed (selecting a row).
    void runActivated(const QString& uuid);
    /// Compare `baseline` (older) with `candidate`.
    void compareRequested(const QString& baseline, const QString& candidate);
    void exportRequested(const QString& uuid);
    void copyIssueTextRequested(const QString& uuid);
    /// A database was opened (or failed to open: `error` says why).
    void databaseOpened(const QString& path, const QString& error);

private:
    void applyFilter();
    void refillFilterChoices();
    void updateButtons();
    void setNotice(const QString& text, bool error);

    QString path_;
    std::shared_ptr<store::HistoryStore> history_;
    RunHistoryModel* model_ = nullptr;
    RunHistoryFilterModel* proxy_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* notice_ = nullptr;
    QLabel* count_ = nullptr;
    QComboBox* gpu_ = nullptr;
    QComboBox* arch_ = nullptr;
    QComboBox* driver_ = nullptr;
    QComboBox* toolkit_ = nullptr;
    QComboBox* kernelSet_ = nullptr;
    QComboBox* status_ = nullptr;
    QPushButton* compare_ = nullptr;
    QPushButton* export_ = nullptr;
    bool settingFilter_ = false;
    bool restoringCurrent_ = false; ///< reload() putting the current run back: not an activation
};

} // namespace ptxwb::views
