#pragma once
// The workbench window: editors in the centre (tabs), the kernel set / model browser and the
// outline on the left, findings, results and log at the bottom. Menus carry a shortcut for
// every frequent action; geometry, dock layout, recent files and theme live in QSettings.

#include "editor_finding.h"

#include <QMainWindow>
#include <QStringList>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;
class QTreeWidget;

namespace ptxwb::views {

class FindingsPanel;
class GpuInfoSource;
class LogView;
class OutlineView;
class PtxEditor;
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
    /// Shows findings for a file: in its editor (if open) and in the findings table.
    void setFindings(const QString& file, std::vector<EditorFinding> findings);

    PtxEditor* currentEditor() const;
    PtxEditor* editorForFile(const QString& path) const;
    QTabWidget* editorTabs() const { return tabs_; }
    FindingsPanel* findingsPanel() const { return findings_; }
    LogView* log() const { return log_; }
    QStringList recentFiles() const { return recentFiles_; }
    /// Dock widgets by objectName ("browserDock", "outlineDock", "findingsDock", "resultsDock",
    /// "logDock").
    QDockWidget* dock(const QString& objectName) const;
    /// std::nullopt follows the system palette.
    void setDarkTheme(std::optional<bool> dark);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void createMenus();
    void createStatusBar();
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
    static bool isOpenableFile(const QString& path);

    GpuInfoSource* gpuInfo_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    WorkbenchBrowser* browser_ = nullptr;
    OutlineView* outline_ = nullptr;
    FindingsPanel* findings_ = nullptr;
    QTreeWidget* results_ = nullptr;
    LogView* log_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QLabel* positionLabel_ = nullptr;
    QLabel* modeLabel_ = nullptr;
    QLabel* findingsLabel_ = nullptr;
    QStringList recentFiles_;
    std::vector<EditorFinding> allFindings_;
    std::optional<bool> darkTheme_;
};

} // namespace ptxwb::views
