// ptxwb-gui: the workbench window. Files named on the command line are opened.

#include "main_window.h"
#include "run_history_model.h"
#include "run_history_panel.h"
#include "run_request.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ptxwb"));
    QApplication::setApplicationName(QStringLiteral("ptxwb-gui"));
    QApplication::setApplicationDisplayName(QStringLiteral("ptxwb"));
    QApplication::setApplicationVersion(QStringLiteral(PTXWB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.ptxwb.Workbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("PTX Workbench: editor, findings and parity results for GPU kernels"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Open the files, save a PNG of the window to <file> and quit (for docs "
                       "and tests; works with QT_QPA_PLATFORM=offscreen)."),
        QStringLiteral("file"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("light, dark or system (default: system)."),
                                   QStringLiteral("name"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Open the built-in kernel set and the given demo model."),
        QStringLiteral("model"));
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("Run-history database to show (default: the user's history, as for "
                       "ptxwb --db). Opened read-only."),
        QStringLiteral("path"));
    const QCommandLineOption run(
        QStringLiteral("run"),
        QStringLiteral("Open this run of the history (uuid or a unique prefix, as ptxwb prints "
                       "it): its results, and its KV-cache view when it has one."),
        QStringLiteral("uuid"));
    parser.addOption(db);
    parser.addOption(run);
    parser.addOption(demo);
    parser.addOption(screenshot);
    parser.addOption(theme);
    parser.addPositionalArgument(
        QStringLiteral("files"),
        QStringLiteral("PTX/CUDA sources, kernelset.json or .gguf to open"),
        QStringLiteral("[files...]"));
    parser.process(app);

    ptxwb::views::MainWindow window;
    int failures = 0;
    if (parser.isSet(theme)) {
        const QString name = parser.value(theme);
        window.setDarkTheme(name == u"system" ? std::nullopt
                                              : std::optional<bool>(name == u"dark"));
    }
    window.show();
    if (parser.isSet(db) && !window.openHistoryDatabase(parser.value(db))) ++failures;
    if (parser.isSet(run)) {
        if (window.historyPanel()->showRun(parser.value(run))) {
            // A KV-cache validation run (`ptxwb qa`) also opens its KV-cache view, in front.
            const ptxwb::views::RunHistoryPanel* panel = window.historyPanel();
            const QString uuid = panel->currentRun();
            const auto command = ptxwb::views::runCommandFromName(
                QString::fromStdString(panel->model()->run(panel->model()->rowOf(uuid)).command));
            if (command && ptxwb::views::runCommandRecordsKvMaps(*command))
                window.openKvCacheOfRun(uuid);
        } else {
            std::fprintf(stderr, "ptxwb-gui: error: no run %s in the history\n",
                         qPrintable(parser.value(run)));
            ++failures;
        }
    }
    if (parser.isSet(demo)) window.openDemo(parser.value(demo));
    for (const QString& file : parser.positionalArguments())
        failures += window.openFile(file) ? 0 : 1;
    if (parser.isSet(screenshot)) {
        // After the first paint, so the grab shows what a user sees.
        QTimer::singleShot(200, &window, [&] {
            const bool saved = window.grab().save(parser.value(screenshot));
            if (!saved)
                std::fprintf(stderr, "ptxwb-gui: error: cannot write %s\n",
                             qPrintable(parser.value(screenshot)));
            QApplication::exit(saved && failures == 0 ? 0 : 3);
        });
    }
    return QApplication::exec();
}
