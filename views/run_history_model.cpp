#include "run_history_model.h"

#include "status_colours.h"

#include <QColor>
#include <QDateTime>
#include <QTimeZone>
#include <algorithm>
#include <set>

namespace ptxwb::views {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

int severity(store::RunStatus s) {
    switch (s) {
    case store::RunStatus::Error:
        return 2;
    case store::RunStatus::Failed:
        return 1;
    case store::RunStatus::Passed:
        return 0;
    }
    return 0;
}

/// The tooltip of a row: what explains the run beyond its columns.
QString describe(const store::RunSummary& run) {
    QStringList lines;
    lines << QStringLiteral("run %1").arg(qs(run.uuid));
    if (!run.statusReason.empty()) lines << qs(run.statusReason);
    if (!run.commandLine.empty()) lines << qs(store::shellCommandLine(run.commandLine));
    if (!run.environment.host.empty()) lines << QStringLiteral("host: ") + qs(run.environment.host);
    if (!run.environment.kernelSetHash.empty())
        lines << QStringLiteral("kernel set hash: ") + qs(run.environment.kernelSetHash);
    if (run.environment.seed) lines << QStringLiteral("seed: %1").arg(*run.environment.seed);
    for (const auto& [key, value] : run.labels)
        lines << qs(key) + QStringLiteral(": ") + qs(value);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

RunHistoryModel::RunHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunHistoryModel::setRuns(std::vector<store::RunSummary> runs) {
    beginResetModel();
    runs_ = std::move(runs);
    endResetModel();
}

int RunHistoryModel::rowOf(const QString& uuid) const {
    const std::string key = uuid.toStdString();
    const auto it = std::find_if(runs_.begin(), runs_.end(),
                                 [&](const store::RunSummary& r) { return r.uuid == key; });
    return it == runs_.end() ? -1 : static_cast<int>(it - runs_.begin());
}

QStringList RunHistoryModel::distinctValues(Column column) const {
    std::set<QString> values;
    for (const auto& run : runs_) {
        // The kernel set filters by name (hash prefixes are typed, not listed).
        QString value =
            column == KernelSetColumn ? qs(run.environment.kernelSetName) : text(run, column);
        if (!value.isEmpty()) values.insert(std::move(value));
    }
    return {values.begin(), values.end()};
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunHistoryModel::formatStarted(std::int64_t unixMs) {
    return QDateTime::fromMSecsSinceEpoch(unixMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString RunHistoryModel::text(const store::RunSummary& run, int column) const {
    const store::Environment& e = run.environment;
    switch (column) {
    case StartedColumn:
        return formatStarted(run.startedUnixMs);
    case StatusColumn:
        return QString::fromLatin1(store::runStatusName(run.status));
    case CommandColumn:
        return qs(run.command);
    case GpuColumn:
        return qs(e.gpuName);
    case ArchColumn:
        return qs(e.smArch);
    case DriverColumn:
        return qs(e.driverVersion);
    case ToolkitColumn:
        return qs(e.toolkitVersion);
    case KernelSetColumn:
        if (e.kernelSetHash.empty()) return qs(e.kernelSetName);
        return qs(e.kernelSetName) + QStringLiteral(" (") + qs(e.kernelSetHash.substr(0, 8)) +
               QLatin1Char(')');
    case ChecksColumn:
        return QString::number(run.checkCount);
    case FailedColumn:
        return QString::number(run.failedCheckCount);
    case UuidColumn:
        return qs(run.uuid);
    default:
        return {};
    }
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const store::RunSummary& run = runs_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return text(run, index.column());
    case Qt::ToolTipRole:
        return describe(run);
    case UuidRole:
        return qs(run.uuid);
    case Qt::BackgroundRole:
        if (index.column() == StatusColumn) return statusColour(run.status);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) return QColor(Qt::black); // readable on the tint
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ChecksColumn || index.column() == FailedColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (index.column()) {
        case StartedColumn:
            return QVariant::fromValue<qlonglong>(run.startedUnixMs);
        case StatusColumn:
            return severity(run.status);
        case ChecksColumn:
            return run.checkCount;
        case FailedColumn:
            return run.failedCheckCount;
        default:
            return text(run, index.column());
        }
    default:
        return {};
    }
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case StartedColumn:
        return tr("Started (UTC)");
    case StatusColumn:
        return tr("Status");
    case CommandColumn:
        return tr("Command");
    case GpuColumn:
        return tr("GPU");
    case ArchColumn:
        return tr("Arch");
    case DriverColumn:
        return tr("Driver");
    case ToolkitColumn:
        return tr("Toolkit");
    case KernelSetColumn:
        return tr("Kernel set");
    case ChecksColumn:
        return tr("Checks");
    case FailedColumn:
        return tr("Failed");
    case UuidColumn:
        return tr("Run");
    default:
        return {};
    }
}

QColor RunHistoryModel::statusColour(store::RunStatus status) {
    switch (status) {
    case store::RunStatus::Passed:
        return status_colours::passed();
    case store::RunStatus::Failed:
        return status_colours::failed();
    case store::RunStatus::Error:
        return status_colours::error();
    }
    return {};
}

} // namespace ptxwb::views
