#include "kernel_set_cli.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

QString compiledPtxDirectory(const QString& manifestPath) {
    // One folder per kernel set location: two exported copies must not share compiled PTX.
    const QByteArray key = QFileInfo(manifestPath).absolutePath().toUtf8();
    const QString id =
        QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex())
            .left(16);
    return QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation))
        .filePath(u"compiled-ptx/"_s + id);
}

QHash<QString, QString> parsePositionSummary(const QByteArray& json, QString* error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    QHash<QString, QString> out;
    if (doc.isNull()) {
        *error =
            u"analyzer summary: byte %1: %2"_s.arg(parseError.offset).arg(parseError.errorString());
        return out;
    }
    if (!doc.object()[u"kernels"].isArray()) {
        *error = u"analyzer summary: no \"kernels\" array"_s;
        return out;
    }
    for (const QJsonValue& k : doc.object()[u"kernels"].toArray()) {
        const QJsonObject o = k.toObject();
        out.insert(o[u"kernel"].toString(), o[u"positions"].toString());
    }
    return out;
}

KernelSetCli::KernelSetCli(QString cliPath, QObject* parent)
    : QObject(parent), cliPath_(std::move(cliPath)) {}

KernelSetCli::~KernelSetCli() {
    for (auto* process : findChildren<QProcess*>(QString(), Qt::FindDirectChildrenOnly)) {
        if (process->state() == QProcess::NotRunning) continue;
        process->disconnect(this);
        process->kill(); // kernels compile and summary have no worker to stop first
        process->waitForFinished(1000);
    }
}

void KernelSetCli::start(const QStringList& args,
                         std::function<void(int exitCode, QProcess*)> finished) {
    auto* process = new QProcess(this);
    connect(process, &QProcess::finished, this, [process, finished](int code) {
        finished(code, process);
        process->deleteLater();
    });
    connect(process, &QProcess::errorOccurred, this, [this, process, finished](auto e) {
        if (e != QProcess::FailedToStart) return;
        process->setProperty("startError",
                             tr("cannot start %1: %2").arg(cliPath_, process->errorString()));
        finished(-1, process);
        process->deleteLater();
    });
    process->start(cliPath_, args);
}

namespace {
QString failureText(int code, QProcess* process) {
    if (code == -1) return process->property("startError").toString();
    const QString err = QString::fromUtf8(process->readAllStandardError()).trimmed();
    return err.isEmpty() ? QObject::tr("ptxwb exited with code %1").arg(code) : err;
}
} // namespace

void KernelSetCli::compileToPtx(const QString& manifestPath, const QStringList& sources, int arch,
                                CompileDone done) {
    const QString outDir = compiledPtxDirectory(manifestPath);
    QStringList args{u"--no-history"_s, u"--no-progress"_s,
                     u"kernels"_s,      u"compile"_s,
                     u"--kernel-set"_s, QFileInfo(manifestPath).absolutePath(),
                     u"--arch"_s,       QString::number(arch),
                     u"--output"_s,     outDir};
    for (const QString& s : sources)
        args << u"--source"_s << QFileInfo(s).fileName();
    start(args, [done, sources, outDir, arch](int code, QProcess* process) {
        if (code != 0) return done(failureText(code, process), {});
        QStringList paths;
        for (const QString& s : sources) {
            const QString name = QFileInfo(s).fileName();
            paths << QDir(outDir).filePath(
                name.endsWith(u".ptx"_s) ? name : u"%1.sm_%2.ptx"_s.arg(name).arg(arch));
        }
        done({}, paths);
    });
}

void KernelSetCli::summarizePositions(const QString& manifestPath, SummaryDone done) {
    const QStringList args{u"--no-history"_s,
                           u"--no-progress"_s,
                           u"analyze"_s,
                           u"--kernel-set"_s,
                           QFileInfo(manifestPath).absolutePath(),
                           u"--rules"_s,
                           u"indirect-position"_s,
                           u"--format"_s,
                           u"json"_s,
                           u"--fail-on"_s,
                           u"error"_s};
    start(args, [done](int code, QProcess* process) {
        if (code != 0) return done(failureText(code, process), {});
        QString error;
        auto summary = parsePositionSummary(process->readAllStandardOutput(), &error);
        done(error, summary);
    });
}

} // namespace ptxwb::views
