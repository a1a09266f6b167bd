#pragma once
// Where the About dialog gets GPU information from. The GUI never creates a CUDA context: the
// answer comes from the `gpu-info` job of a `ptxwb` child process. This interface is the one
// place to rewire when the worker supervisor is used for it.

#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

class QProcess;

namespace ptxwb::views {

/// One CUDA device as reported by the worker.
struct GpuDeviceInfo {
    int ordinal = 0;
    QString name;
    QString arch; ///< "sm_90"
    qint64 memoryBytes = 0;
    int multiprocessors = 0;
    qint64 l2Bytes = 0;
};

/// The GPU environment of this machine (as `ptxwb gpu-info --json` prints it).
struct GpuInfo {
    QString driverCudaVersion; ///< "13.0"; empty when there is no driver
    QString driverError;
    std::vector<GpuDeviceInfo> devices;
    QString nvrtcVersion;
    QStringList nvrtcArchitectures;
    QString nvrtcError;
};

/// Parses the gpu-info JSON; std::nullopt with `error` set when it is not that document.
std::optional<GpuInfo> parseGpuInfoJson(const QByteArray& json, QString* error);
/// Rich text for the About dialog.
QString formatGpuInfoHtml(const GpuInfo& info);

/// Asynchronous source of GpuInfo.
class GpuInfoSource : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    /// Starts a query; exactly one of ready()/failed() follows.
    virtual void request() = 0;

signals:
    void ready(const ptxwb::views::GpuInfo& info);
    void failed(const QString& reason);
};

/// Runs `ptxwb gpu-info --json` as a child process with a deadline.
class CliGpuInfoSource : public GpuInfoSource {
    Q_OBJECT
public:
    /// `cliPath` is the ptxwb executable (see locatePtxwbCli()).
    explicit CliGpuInfoSource(QString cliPath, QObject* parent = nullptr);
    /// Stops a query still running, without answering it.
    ~CliGpuInfoSource() override;
    void request() override;

private:
    QString cliPath_;
    QProcess* process_ = nullptr;
};

class WorkerJobRunner;

/// Runs the `gpu-info` job in a supervised `ptxwb worker` (the default source of the GUI).
class WorkerGpuInfoSource : public GpuInfoSource {
    Q_OBJECT
public:
    explicit WorkerGpuInfoSource(QString cliPath, QObject* parent = nullptr);
    void request() override;

private:
    WorkerJobRunner* runner_ = nullptr;
};

/// The ptxwb CLI beside this executable, in the build tree, or on PATH; empty if not found.
/// The environment variable PTXWB_CLI overrides the search.
QString locatePtxwbCli();

} // namespace ptxwb::views

Q_DECLARE_METATYPE(ptxwb::views::GpuInfo)
