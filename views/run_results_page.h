#pragma once
// The results of one run, as a tab of the main window: the run's header (status, environment,
// command line), its parity checks, and for the selected check its heatmap (with legend and ULP
// histogram) and its trend across every run of the history.

#include "store/history_store.h"

#include <QWidget>
#include <memory>

class QLabel;
class QSplitter;
class QTabWidget;

namespace ptxwb::views {

class CheckTrendChart;
class HeatmapPanel;
class ParityResultsView;

class RunResultsPage : public QWidget {
    Q_OBJECT
public:
    explicit RunResultsPage(QWidget* parent = nullptr);

    /// Lists run `uuid`'s checks; the heatmap and trend clear until a check is selected.
    Status showRun(std::shared_ptr<store::HistoryStore> history, const std::string& uuid);
    [[nodiscard]] QString runUuid() const { return uuid_; }
    /// "Run c05c9f7f (failed)": the tab's title.
    [[nodiscard]] QString title() const;

    /// Selects the check named `name` (as the store names it); false when the run has none.
    bool selectCheck(const QString& name);
    /// The name of the check whose heatmap is shown (empty when none).
    [[nodiscard]] QString openedCheck() const { return openedCheck_; }

    [[nodiscard]] ParityResultsView* results() const { return results_; }
    [[nodiscard]] HeatmapPanel* heatmap() const { return heatmap_; }
    [[nodiscard]] CheckTrendChart* trend() const { return trend_; }
    [[nodiscard]] QTabWidget* detailTabs() const { return details_; }
    [[nodiscard]] QSplitter* splitter() const { return splitter_; }
    /// The last problem shown (a map or trend that could not be loaded), or empty.
    [[nodiscard]] QString problem() const { return problem_; }

signals:
    void exportRequested(const QString& uuid);
    void copyIssueTextRequested(const QString& uuid);
    /// A run was picked in the trend chart.
    void runActivated(const QString& uuid);
    /// Something could not be loaded (also shown on the page).
    void problemOccurred(const QString& message);

private:
    void openCheck(std::shared_ptr<store::Check> check);
    void showProblem(const QString& message);

    std::shared_ptr<store::HistoryStore> history_;
    QString uuid_;
    QString status_;
    QString openedCheck_;
    QString problem_;
    QLabel* header_ = nullptr;
    QLabel* problemLabel_ = nullptr;
    ParityResultsView* results_ = nullptr;
    QTabWidget* details_ = nullptr;
    HeatmapPanel* heatmap_ = nullptr;
    CheckTrendChart* trend_ = nullptr;
    QSplitter* splitter_ = nullptr;
};

} // namespace ptxwb::views
