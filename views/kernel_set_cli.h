#pragma once
// Kernel-set work the GUI hands to the `ptxwb` CLI in a child process: compiling CUDA sources
// to PTX with NVRTC (for the side-by-side view and the analyzer, which read PTX) and the
// analyzer's summary of how each kernel gets its position (the browser's badges). Both run
// asynchronously, so the GUI thread never waits for NVRTC, and neither loads CUDA or NVRTC into
// the GUI process.

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QProcess;

namespace ptxwb::views {

/// Where each compiled source's PTX lands: "<source>.sm_<arch>.ptx" in a cache folder per kernel
/// set (the analyzer's name for it, so findings name the same file).
QString compiledPtxDirectory(const QString& manifestPath);

/// Parses `ptxwb analyze --format json` output into entry → position mode ("direct",
/// "indirect", "batched-positions", "none", or several joined by '+'). Empty with `error` set
/// when the text is not such a report.
QHash<QString, QString> parsePositionSummary(const QByteArray& json, QString* error);

class KernelSetCli : public QObject {
    Q_OBJECT
public:
    /// `cliPath`: the ptxwb executable (see locatePtxwbCli()).
    explicit KernelSetCli(QString cliPath, QObject* parent = nullptr);
    /// Stops the commands still running (a window closed while a kernel set compiles), without
    /// calling their callbacks.
    ~KernelSetCli() override;

    using CompileDone = std::function<void(const QString& error, const QStringList& ptxPaths)>;
    using SummaryDone =
        std::function<void(const QString& error, const QHash<QString, QString>& positionsByEntry)>;

    /// Compiles `sources` (file names inside the set; .ptx sources are copied) for `arch` and
    /// calls `done` on the GUI thread with the PTX paths in the order given.
    void compileToPtx(const QString& manifestPath, const QStringList& sources, int arch,
                      CompileDone done);
    /// Runs the analyzer's position rule over the whole set and calls `done` with its summary.
    void summarizePositions(const QString& manifestPath, SummaryDone done);

private:
    void start(const QStringList& args, std::function<void(int exitCode, QProcess*)> finished);

    QString cliPath_;
};

} // namespace ptxwb::views
