#include "main_window.h"

#include "about_dialog.h"
#include "analysis_scheduler.h"
#include "app_icon.h"
#include "findings_dock.h"
#include "findings_table_model.h"
#include "gpu_info_source.h"
#include "kernel_set_cli.h"
#include "log_view.h"
#include "outline_view.h"
#include "ptx_editor.h"
#include "run_history_panel.h"
#include "workbench_browser.h"

#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {

QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& objectName,
                      QWidget* content) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    return dock;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x21, 0x27), text(0xdc, 0xdf, 0xe4);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x25, 0x28, 0x2e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x6a, 0xb3));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x32, 0x35, 0x3b));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x75, 0x7d));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x75, 0x7d));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x75, 0x7d));
    return p;
}

} // namespace

MainWindow::MainWindow(GpuInfoSource* gpuInfo, QWidget* parent)
    : QMainWindow(parent), gpuInfo_(gpuInfo) {
    if (!gpuInfo_) gpuInfo_ = new WorkerGpuInfoSource(locatePtxwbCli(), this);
    setObjectName(u"ptxwbMainWindow"_s);
    setWindowTitle(tr("ptxwb — PTX Workbench"));
    setWindowIcon(ptxwbIcon());
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks |
                   QMainWindow::GroupedDragging);
    setDocumentMode(true);

    tabs_ = new QTabWidget(this);
    tabs_->setDocumentMode(true);
    tabs_->setTabsClosable(true);
    tabs_->setMovable(true);
    tabs_->setElideMode(Qt::ElideMiddle);
    setCentralWidget(tabs_);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::currentEditorChanged);

    kernelSetCli_ = new KernelSetCli(locatePtxwbCli(), this);
    analysis_ = new AnalysisScheduler(this);
    connect(analysis_, &AnalysisScheduler::analysed, this,
            [this](const QString& key, const AnalysisOutcome& outcome) {
                applyAnalysis(key, outcome);
                updateStatus();
            });
    createDocks();
    createMenus();
    createStatusBar();
    createHistoryViews();
    restoreSettings();
    log_->info(tr("ptxwb %1 ready. Open PTX, CUDA sources, a kernelset.json or a GGUF model "
                  "(File → Open or drop files here).")
                   .arg(QStringLiteral(PTXWB_VERSION)));
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks() {
    browser_ = new WorkbenchBrowser(this);
    outline_ = new OutlineView(this);
    findings_ = new FindingsPanel(this);
    log_ = new LogView(this);
    history_ = new RunHistoryPanel(this);

    auto* browserDock = makeDock(this, tr("Kernel Set / Model"), u"browserDock"_s, browser_);
    auto* outlineDock = makeDock(this, tr("Outline"), u"outlineDock"_s, outline_);
    auto* findingsDock = makeDock(this, tr("Findings"), u"findingsDock"_s, findings_);
    auto* resultsDock = makeDock(this, tr("Run History"), u"resultsDock"_s, history_);
    auto* logDock = makeDock(this, tr("Log"), u"logDock"_s, log_);
    addDockWidget(Qt::LeftDockWidgetArea, browserDock);
    addDockWidget(Qt::LeftDockWidgetArea, outlineDock);
    splitDockWidget(browserDock, outlineDock, Qt::Vertical);
    addDockWidget(Qt::BottomDockWidgetArea, findingsDock);
    tabifyDockWidget(findingsDock, resultsDock);
    tabifyDockWidget(resultsDock, logDock);
    findingsDock->raise();
    // The editor gets most of the window; docks start at sizes a kernel engineer would pick.
    resizeDocks({browserDock}, {300}, Qt::Horizontal);
    resizeDocks({browserDock, outlineDock}, {260, 340}, Qt::Vertical);
    resizeDocks({findingsDock}, {220}, Qt::Vertical);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);

    connect(browser_, &WorkbenchBrowser::sourceActivated, this, &MainWindow::openFile);
    connect(browser_, &WorkbenchBrowser::pairActivated, this, &MainWindow::openKernelPair);
    connect(browser_, &WorkbenchBrowser::analyseRequested, this, &MainWindow::analyseFiles);
    connect(browser_, &WorkbenchBrowser::exportRequested, this, &MainWindow::exportKernelSet);
    connect(outline_, &OutlineView::functionActivated, this, [this](int index) {
        if (PtxEditor* editor = currentEditor()) {
            const auto& fn = editor->view()->outline().functions;
            if (index >= 0 && index < int(fn.size())) {
                editor->view()->jumpTo({fn[std::size_t(index)].headerLine, 0});
                editor->view()->setFocus();
            }
        }
    });
    connect(findings_, &FindingsPanel::findingActivated, this, &MainWindow::jumpToFinding);
}

void MainWindow::createMenus() {
    auto editorAction = [this](QMenu* menu, const QString& text, const QKeySequence& key,
                               auto&& fn) {
        QAction* action = menu->addAction(text);
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, [this, fn] {
            if (PtxEditor* editor = currentEditor()) fn(editor);
        });
        return action;
    };

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Compare Functions…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this,
                    &MainWindow::showCompareDialog);
    addHistoryFileActions(file);
    editorAction(file, tr("&Save"), QKeySequence::Save, [this](PtxEditor* e) {
        const QString error = e->save();
        error.isEmpty() ? log_->info(tr("Saved %1").arg(e->filePath())) : log_->error(error);
    });
    file->addAction(tr("&Close Tab"), QKeySequence(Qt::CTRL | Qt::Key_W), this,
                    [this] { closeTab(tabs_->currentIndex()); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    editorAction(edit, tr("&Undo"), QKeySequence::Undo, [](PtxEditor* e) { e->view()->undo(); });
    editorAction(edit, tr("&Redo"), QKeySequence::Redo, [](PtxEditor* e) { e->view()->redo(); });
    edit->addSeparator();
    editorAction(edit, tr("Cu&t"), QKeySequence::Cut, [](PtxEditor* e) { e->view()->cut(); });
    editorAction(edit, tr("&Copy"), QKeySequence::Copy, [](PtxEditor* e) { e->view()->copy(); });
    editorAction(edit, tr("&Paste"), QKeySequence::Paste, [](PtxEditor* e) { e->view()->paste(); });
    editorAction(edit, tr("Select &All"), QKeySequence::SelectAll,
                 [](PtxEditor* e) { e->view()->selectAll(); });
    edit->addSeparator();
    editorAction(edit, tr("&Find…"), QKeySequence::Find, [](PtxEditor* e) { e->showFind(); });
    editorAction(edit, tr("Find &Next"), QKeySequence::FindNext,
                 [](PtxEditor* e) { e->findNext(); });
    editorAction(edit, tr("Find Pre&vious"), QKeySequence::FindPrevious,
                 [](PtxEditor* e) { e->findPrevious(); });

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    editorAction(go, tr("Go to &Line…"), QKeySequence(Qt::CTRL | Qt::Key_G),
                 [](PtxEditor* e) { e->askGoToLine(); });
    editorAction(go, tr("Go to &Definition"), QKeySequence(Qt::Key_F12),
                 [](PtxEditor* e) { e->view()->goToDefinitionAt(e->view()->cursorPosition()); });
    go->addSeparator();
    editorAction(go, tr("&Back"), QKeySequence(Qt::ALT | Qt::Key_Left),
                 [](PtxEditor* e) { e->view()->goBack(); });
    editorAction(go, tr("&Forward"), QKeySequence(Qt::ALT | Qt::Key_Right),
                 [](PtxEditor* e) { e->view()->goForward(); });
    go->addSeparator();
    editorAction(go, tr("&Analyse Now"), QKeySequence(Qt::Key_F7),
                 [this](PtxEditor* e) { scheduleEditorAnalysis(e, 0); });
    go->addAction(tr("Next F&inding"), QKeySequence(Qt::Key_F8), this, [this] { stepFinding(1); });
    go->addAction(tr("Previous Fi&nding"), QKeySequence(Qt::SHIFT | Qt::Key_F8), this,
                  [this] { stepFinding(-1); });

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>())
        viewMenu_->addAction(d->toggleViewAction());
    viewMenu_->addSeparator();
    editorAction(viewMenu_, tr("&Fold All Functions"),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_BracketLeft),
                 [](PtxEditor* e) { e->view()->foldAll(); });
    editorAction(viewMenu_, tr("&Unfold All"),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_BracketRight),
                 [](PtxEditor* e) { e->view()->unfoldAll(); });
    viewMenu_->addSeparator();
    QMenu* theme = viewMenu_->addMenu(tr("&Theme"));
    auto* group = new QActionGroup(theme);
    const std::pair<QString, std::optional<bool>> themes[] = {
        {tr("Follow &System"), std::nullopt}, {tr("&Light"), false}, {tr("&Dark"), true}};
    for (const auto& [label, value] : themes) {
        QAction* a = theme->addAction(label);
        a->setCheckable(true);
        a->setData(value ? QVariant(*value) : QVariant());
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, value = value] { setDarkTheme(value); });
    }
    group->actions().first()->setChecked(true);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ptxwb"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar() {
    positionLabel_ = new QLabel(this);
    modeLabel_ = new QLabel(this);
    findingsLabel_ = new QLabel(this);
    statusBar()->addWidget(findingsLabel_, 1);
    statusBar()->addPermanentWidget(modeLabel_);
    statusBar()->addPermanentWidget(positionLabel_);
    updateStatus();
}

void MainWindow::updateStatus() {
    PtxEditor* editor = currentEditor();
    if (editor) {
        const auto p = editor->view()->cursorPosition();
        positionLabel_->setText(tr("Ln %1, Col %2").arg(p.line + 1).arg(p.column + 1));
        modeLabel_->setText(editor->view()->isReadOnly() ? tr("Read-only") : tr("Editable"));
    } else {
        positionLabel_->clear();
        modeLabel_->clear();
    }
    const int running = analysis_->pendingCount();
    findingsLabel_->setText(findings_->summary() + (running > 0 ? tr(" — analysing…") : QString()));
}

PtxEditor* MainWindow::currentEditor() const {
    return qobject_cast<PtxEditor*>(tabs_->currentWidget());
}

QDockWidget* MainWindow::dock(const QString& objectName) const {
    return findChild<QDockWidget*>(objectName);
}

void MainWindow::setDarkTheme(std::optional<bool> dark) {
    darkTheme_ = dark;
    if (!dark)
        QApplication::setPalette(QApplication::style()->standardPalette());
    else
        QApplication::setPalette(*dark ? darkPalette() : QApplication::style()->standardPalette());
}

void MainWindow::showAbout() {
    auto* dialog = new AboutDialog(gpuInfo_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::setFindings(const QString& file, std::vector<EditorFinding> findings) {
    std::erase_if(allFindings_, [&](const EditorFinding& f) { return f.file == file; });
    if (PtxEditor* editor = editorForFile(file)) editor->view()->setFindings(findings);
    for (int i = 0; i < tabs_->count(); ++i)
        if (auto* compare = qobject_cast<SideBySideView*>(tabs_->widget(i)))
            for (const auto side : {SideBySideView::Left, SideBySideView::Right})
                if (compare->side(side).path == file) compare->setFindings(side, findings);
    allFindings_.insert(allFindings_.end(), findings.begin(), findings.end());
    findings_->setFindings(allFindings_);
    updateStatus();
}

void MainWindow::jumpToFinding(int sourceRow) {
    const EditorFinding& f = findings_->model()->finding(sourceRow);
    PtxEditor* editor = editorForFile(f.file);
    if (!editor && openFile(f.file)) editor = editorForFile(f.file);
    if (!editor) return;
    tabs_->setCurrentWidget(editor);
    const auto& inEditor = editor->view()->findings();
    for (std::size_t i = 0; i < inEditor.size(); ++i)
        if (inEditor[i].range.begin == f.range.begin && inEditor[i].ruleId == f.ruleId) {
            editor->view()->selectFinding(int(i));
            break;
        }
    editor->view()->setFocus();
}

void MainWindow::stepFinding(int direction) {
    PtxEditor* editor = currentEditor();
    if (!editor || editor->view()->findings().empty()) return;
    const auto& list = editor->view()->findings();
    const TextPosition here = editor->view()->cursorPosition();
    int target = direction > 0 ? 0 : int(list.size()) - 1;
    if (direction > 0) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (here < list[i].range.begin) {
                target = int(i);
                break;
            }
    } else {
        for (int i = int(list.size()) - 1; i >= 0; --i)
            if (list[std::size_t(i)].range.begin < here) {
                target = i;
                break;
            }
    }
    editor->view()->selectFinding(target);
}

} // namespace ptxwb::views
