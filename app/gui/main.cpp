// ptxwb-gui: the workbench window. Files named on the command line are opened.

#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

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
    parser.addPositionalArgument(
        QStringLiteral("files"),
        QStringLiteral("PTX/CUDA sources, kernelset.json or .gguf to open"),
        QStringLiteral("[files...]"));
    parser.process(app);

    ptxwb::views::MainWindow window;
    window.show();
    for (const QString& file : parser.positionalArguments())
        window.openFile(file);
    return QApplication::exec();
}
