#pragma once
// The workbench window: editors in the centre (tabs), the kernel set / model browser and the
// outline on the left, findings, results and log at the bottom. Menus carry a shortcut for
// every frequent action; geometry, dock layout, recent files and theme live in QSettings.

#include "analysis_findings.h"
#include "editor_finding.h"
#include "side_by_side_view.h"

#include <QHash>
#include <QMainWindow>
#include <QStringList>
#include <QTabWidget>
#include <optional>

class QDialog;
class QDockWidget;
class QLabel;
class QMenu;

namespace ptxwb::views {

class AnalysisScheduler;
class FindingsPanel;
struct KernelPairChoice;
class GpuInfoSource;
class KernelSetCli;
class KvCacheView;
class LogView;
class OutlineView;
class PtxEditor;
class RunCompareView;
class RunHistoryPanel;
class RunResultsPage;
class RunDock;
class TraceView;
class WorkbenchBrowser;

/// Top-level window of ptxwb-gui.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `gpuInfo` answers the About dialog; nullptr uses the ptxwb CLI found beside the GUI.
    explicit MainWindow(GpuInfoSource* gpuInfo = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens by kind: .ptx/.cu/text in an editor tab, kernelset.json and .gguf in the browser.
    /// Returns false (and logs why) when the file cannot be opened.
    bool openFile(const QString& path);
    /// README command 1: the built-in kernel set (written out by `ptxwb kernels export`) and
    /// the demo model. What is not available yet is said in the log, not hidden.
    void openDemo(const QString& modelPath);
    /// Shows findings for a file: in its editor (if open), in side-by-side panes showing it,
    /// and in the findings table.
    void setFindings(const QString& file, std::vector<EditorFinding> findings);
    /// Opens a side-by-side tab of two functions and analyses both files (the pair included);
    /// returns the view, or nullptr (and logs why) when they cannot be aligned.
    SideBySideView* openComparison(CompareSide left, CompareSide right,
                                   const QString& manifestPath = {});
    /// Opens a kernel set's pair side by side. PTX sources open at once (the view is returned);
    /// CUDA sources are first compiled to PTX by `ptxwb kernels compile` in a child process, and
    /// the view opens when that is done (nullptr is returned; comparisonOpened() tells).
    SideBySideView* openKernelPair(const KernelPairChoice& pair);
    /// Analyses the files now (in the background) with a manifest's roles and pairs.
    void analyseFiles(const QStringList& paths, const QString& manifestPath = {});
    AnalysisScheduler* analysisScheduler() const { return analysis_; }
    WorkbenchBrowser* browser() const { return browser_; }

    PtxEditor* currentEditor() const;
    PtxEditor* editorForFile(const QString& path) const;
    QTabWidget* editorTabs() const { return tabs_; }
    FindingsPanel* findingsPanel() const { return findings_; }
    LogView* log() const { return log_; }
    QStringList recentFiles() const { return recentFiles_; }
    /// Opens a run-history database read-only in the Run History dock ("resultsDock"). False
    /// when it is not a ptxwb history: the dock and the log say why and the file is untouched.
    bool openHistoryDatabase(const QString& path);
    RunHistoryPanel* historyPanel() const { return history_; }
    /// Shows run `uuid` in the results tab (one tab, reused); nullptr (logged) when it fails.
    RunResultsPage* openRunResults(const QString& uuid);
    /// Opens a tab comparing `baseline` (A) with `candidate` (B); nullptr (logged) on failure.
    RunCompareView* openRunComparison(const QString& baseline, const QString& candidate);
    /// The export dialog for run `uuid` (non-modal); nullptr when no history is open.
    QDialog* showReportExport(const QString& uuid);
    /// Puts run `uuid`'s Markdown report on the clipboard; false (logged) on failure.
    bool copyRunIssueText(const QString& uuid);
    /// Dock widgets by objectName ("browserDock", "outlineDock", "findingsDock", "resultsDock",
    /// "logDock").
    QDockWidget* dock(const QString& objectName) const;
    /// std::nullopt follows the system palette.
    void setDarkTheme(std::optional<bool> dark);

    /// The Run dock (main_window_runs.cpp): runs commands through the CLI; its runRecorded
    /// signal says when a run reached the history.
    RunDock* runDock() const { return runDock_; }
    /// Opens the launches of a recorded trace or qa run (uuid or unique prefix, "latest") from
    /// the Run dock's history in a tab; nullptr (and logs why) when it cannot.
    TraceView* openTraceOfRun(const QString& reference);
    /// Opens the KV-cache view of a `qa --validate-kv-cache` run of the Run History dock's
    /// database (uuid, unique prefix or "latest"); its writer launches open in the run's trace.
    /// Returns nullptr (and logs why) when the run has no KV maps.
    KvCacheView* openKvCacheOfRun(const QString& reference);
    /// Shows PTX that has no file (a run's recorded kernel) read-only at 1-based `line`.
    PtxEditor* openPtxText(const QString& title, const QByteArray& text, int line);

signals:
    /// A side-by-side tab was opened (directly or after compiling CUDA sources).
    void comparisonOpened(ptxwb::views::SideBySideView* view);
    /// The analyzer's position summary of a kernel set reached the browser's badges.
    void positionSummaryApplied(const QString& manifestPath, int variantsUpdated);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    SideBySideView* openPtxPair(const QString (&paths)[2], const QString (&entries)[2],
                                const QString& manifestPath);
    void summarizeKernelSetPositions(const QString& manifestPath);
    void createDocks();
    void createMenus();
    void createStatusBar();
    void createHistoryViews(); // main_window_history.cpp
    void addHistoryFileActions(QMenu* file);
    QString selectedRunForActions() const;
    void createRunDock();
    void askTraceOfRun();
    void askKvCacheOfRun(); // main_window_kv.cpp
    /// Closes the tab of kind View that shows run `uuid`, if one is open (views of a run are
    /// replaced, not stacked).
    template <class View>
    void closeTabOfRun(const QString& uuid) {
        for (int i = 0; i < tabs_->count(); ++i)
            if (auto* open = qobject_cast<View*>(tabs_->widget(i));
                open && open->runUuid() == uuid) {
                tabs_->removeTab(i);
                open->deleteLater();
                return;
            }
    }
    void openTraceKernel(TraceView* view, const QString& kernel, const QString& entry);
    void restoreSettings();
    void saveSettings() const;
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    bool openTextFile(const QString& path);
    void closeTab(int index);
    void currentEditorChanged();
    void showAbout();
    void openDialog();
    void jumpToFinding(int sourceRow);
    void stepFinding(int direction);
    void updateStatus();
    void scheduleEditorAnalysis(PtxEditor* editor, int delayMs);
    void applyAnalysis(const QString& key, const AnalysisOutcome& outcome);
    void showCompareDialog();
    void exportKernelSet(const QString& manifestPath);
    static QString manifestBeside(const QString& path);
    static bool isOpenableFile(const QString& path);

    GpuInfoSource* gpuInfo_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    WorkbenchBrowser* browser_ = nullptr;
    OutlineView* outline_ = nullptr;
    FindingsPanel* findings_ = nullptr;
    RunHistoryPanel* history_ = nullptr;
    LogView* log_ = nullptr;
    AnalysisScheduler* analysis_ = nullptr;
    KernelSetCli* kernelSetCli_ = nullptr; ///< NVRTC and analyzer runs in child processes
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QLabel* positionLabel_ = nullptr;
    QLabel* modeLabel_ = nullptr;
    QLabel* findingsLabel_ = nullptr;
    QStringList recentFiles_;
    std::vector<EditorFinding> allFindings_;
    QHash<QString, QStringList> lastProblems_; ///< per analysis key: log each problem once
    std::optional<bool> darkTheme_;
    RunDock* runDock_ = nullptr;
};

} // namespace ptxwb::views
