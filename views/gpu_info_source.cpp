#include "gpu_info_source.h"

#include "worker_job_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
constexpr int kGpuInfoDeadlineMs = 20000; // driver initialisation can take seconds
}

std::optional<GpuInfo> parseGpuInfoJson(const QByteArray& json, QString* error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull() || !doc.isObject()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                         ? u"byte %1: %2"_s.arg(parseError.offset).arg(parseError.errorString())
                         : u"expected a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (!root.contains(u"driver") || !root.contains(u"devices")) {
        if (error) *error = u"not a gpu-info report: no \"driver\" or \"devices\""_s;
        return std::nullopt;
    }
    GpuInfo info;
    const QJsonObject driver = root[u"driver"].toObject();
    info.driverCudaVersion = driver[u"cuda"].toString();
    info.driverError = driver[u"error"].toString();
    for (const QJsonValue& v : root[u"devices"].toArray()) {
        const QJsonObject d = v.toObject();
        info.devices.push_back(
            GpuDeviceInfo{d[u"ordinal"].toInt(), d[u"name"].toString(), d[u"arch"].toString(),
                          qint64(d[u"memory_bytes"].toDouble()), d[u"multiprocessors"].toInt(),
                          qint64(d[u"l2_bytes"].toDouble())});
    }
    const QJsonObject nvrtc = root[u"nvrtc"].toObject();
    info.nvrtcVersion = nvrtc[u"version"].toString();
    info.nvrtcError = nvrtc[u"error"].toString();
    for (const QJsonValue& a : nvrtc[u"archs"].toArray())
        info.nvrtcArchitectures << a.toString();
    return info;
}

QString formatGpuInfoHtml(const GpuInfo& info) {
    const QLocale locale = QLocale::system();
    QString html = u"<table cellspacing='2'>"_s;
    auto row = [&](const QString& key, const QString& value) {
        html += u"<tr><td style='color:gray;padding-right:12px'>"_s + key + u"</td><td>"_s + value +
                u"</td></tr>"_s;
    };
    row(QCoreApplication::translate("ptxwb", "CUDA driver"),
        info.driverCudaVersion.isEmpty()
            ? QString(QCoreApplication::translate("ptxwb", "not available") +
                      (info.driverError.isEmpty()
                           ? QString()
                           : QString(u" — "_s + info.driverError.toHtmlEscaped())))
            : info.driverCudaVersion.toHtmlEscaped());
    for (const auto& d : info.devices)
        row(QCoreApplication::translate("ptxwb", "GPU %1").arg(d.ordinal),
            u"<b>"_s + d.name.toHtmlEscaped() + u"</b>, "_s + d.arch.toHtmlEscaped() + u", "_s +
                locale.formattedDataSize(d.memoryBytes) + u", "_s +
                QCoreApplication::translate("ptxwb", "%1 SMs").arg(d.multiprocessors) + u", L2 "_s +
                locale.formattedDataSize(d.l2Bytes));
    row(QCoreApplication::translate("ptxwb", "NVRTC"),
        info.nvrtcVersion.isEmpty()
            ? QString(QCoreApplication::translate("ptxwb", "not available") +
                      (info.nvrtcError.isEmpty()
                           ? QString()
                           : QString(u" — "_s + info.nvrtcError.toHtmlEscaped())))
            : QString(info.nvrtcVersion.toHtmlEscaped() + u" ("_s +
                      info.nvrtcArchitectures.join(u", "_s).toHtmlEscaped() + u")"_s));
    return html + u"</table>"_s;
}

CliGpuInfoSource::CliGpuInfoSource(QString cliPath, QObject* parent)
    : GpuInfoSource(parent), cliPath_(std::move(cliPath)) {}

CliGpuInfoSource::~CliGpuInfoSource() {
    if (!process_ || process_->state() == QProcess::NotRunning) return;
    process_->disconnect(this);
    // The CLI's worker dies with it (it asks the kernel for that), so a kill leaves nothing.
    process_->kill();
    process_->waitForFinished(1000);
}

void CliGpuInfoSource::request() {
    if (cliPath_.isEmpty()) {
        emit failed(tr("the ptxwb command-line tool was not found next to ptxwb-gui or on PATH"));
        return;
    }
    if (process_) return; // one query at a time; the running one will answer
    process_ = new QProcess(this);
    auto* deadline = new QTimer(process_);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, process_, [this] {
        process_->kill();
        emit failed(tr("gpu-info did not answer within %1 s").arg(kGpuInfoDeadlineMs / 1000));
    });
    connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            emit failed(tr("cannot start %1: %2").arg(cliPath_, process_->errorString()));
            process_->deleteLater();
            process_ = nullptr;
        }
    });
    connect(process_, &QProcess::finished, this,
            [this, deadline](int exitCode, QProcess::ExitStatus status) {
                deadline->stop();
                const QByteArray out = process_->readAllStandardOutput();
                const QString err = QString::fromUtf8(process_->readAllStandardError()).trimmed();
                process_->deleteLater();
                process_ = nullptr;
                // A machine without a driver still gets a report (exit code 4) with the reason
                // inside.
                QString parseError;
                if (auto info = parseGpuInfoJson(out, &parseError)) {
                    emit ready(*info);
                    return;
                }
                if (status == QProcess::CrashExit)
                    emit failed(tr("gpu-info crashed"));
                else
                    emit failed(
                        err.isEmpty()
                            ? tr("gpu-info exited with code %1: %2").arg(exitCode).arg(parseError)
                            : err);
            });
    process_->start(cliPath_, {u"gpu-info"_s, u"--json"_s});
    deadline->start(kGpuInfoDeadlineMs);
}

WorkerGpuInfoSource::WorkerGpuInfoSource(QString cliPath, QObject* parent)
    : GpuInfoSource(parent), runner_(new WorkerJobRunner(std::move(cliPath), this)) {
    connect(runner_, &WorkerJobRunner::succeeded, this, [this](const QByteArray& json) {
        QString error;
        if (auto info = parseGpuInfoJson(json, &error))
            emit ready(*info);
        else
            emit failed(tr("gpu-info job answered something else: %1").arg(error));
    });
    connect(runner_, &WorkerJobRunner::failed, this, &GpuInfoSource::failed);
}

void WorkerGpuInfoSource::request() {
    runner_->start(u"gpu-info"_s, QByteArrayLiteral("{}"),
                   std::chrono::milliseconds(kGpuInfoDeadlineMs));
}

QString locatePtxwbCli() {
    const QString fromEnv = qEnvironmentVariable("PTXWB_CLI");
    if (!fromEnv.isEmpty()) return fromEnv;
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath(u"ptxwb"_s), here.filePath(u"../cli/ptxwb"_s),
                                     here.filePath(u"../app/cli/ptxwb"_s)})
        if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).canonicalFilePath();
    return QStandardPaths::findExecutable(u"ptxwb"_s);
}

} // namespace ptxwb::views
