#include "trace_tree_model.h"

#include <QColor>
#include <QFont>
#include <algorithm>
#include <map>
#include <set>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

// Rows are addressed by internalId: 0 for layer rows; (layer + 1) << 32 for op rows (their
// parent is the layer); (layer + 1) << 32 | (op + 1) for launch rows (their parent is the op).
namespace {
constexpr int kIdShift = 32;
constexpr quintptr kLowMask = (quintptr(1) << kIdShift) - 1;
quintptr opRowId(std::size_t layer) {
    return quintptr(layer + 1) << kIdShift;
}
quintptr launchRowId(std::size_t layer, std::size_t op) {
    return opRowId(layer) | quintptr(op + 1);
}
} // namespace

QString countOf(std::size_t n, const char* one, const char* many) {
    return QString::number(n) + u' ' + QString::fromUtf8(n == 1 ? one : many);
}

QString formatDim3(const std::array<std::uint32_t, 3>& d) {
    return u"%1×%2×%3"_s.arg(d[0]).arg(d[1]).arg(d[2]);
}

QString formatScalarParams(const nlohmann::json& params) {
    if (!params.is_object()) return {};
    QStringList parts;
    for (const auto& [name, value] : params.items()) {
        const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        parts << QString::fromStdString(name) + u'=' + QString::fromStdString(text);
    }
    return parts.join(u"  "_s);
}

TraceTreeModel::TraceTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

QString TraceTreeModel::layerName(int layer) {
    return layer < 0 ? tr("outside layers") : tr("layer %1").arg(layer);
}

void TraceTreeModel::setLaunches(std::vector<store::TraceLaunch> launches) {
    beginResetModel();
    launches_ = std::move(launches);
    std::stable_sort(launches_.begin(), launches_.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    layers_.clear();
    std::map<int, std::size_t> layerIndex;
    for (std::size_t i = 0; i < launches_.size(); ++i) {
        const auto& l = launches_[i];
        auto [it, added] = layerIndex.try_emplace(l.layer, layers_.size());
        if (added) layers_.push_back({l.layer, {}, 0});
        LayerGroup& layer = layers_[it->second];
        const QString op = QString::fromStdString(l.op.empty() ? l.kernel : l.op);
        auto opIt = std::find_if(layer.ops.begin(), layer.ops.end(),
                                 [&](const OpGroup& g) { return g.op == op; });
        if (opIt == layer.ops.end()) opIt = layer.ops.insert(layer.ops.end(), OpGroup{op, {}});
        opIt->launches.push_back(i);
        ++layer.launchCount;
    }
    for (LayerGroup& layer : layers_)
        for (OpGroup& op : layer.ops) {
            std::set<std::string> kernels, entries;
            for (std::size_t i : op.launches) {
                kernels.insert(launches_[i].kernel);
                entries.insert(launches_[i].entry);
            }
            op.kernelCount = kernels.size();
            if (kernels.size() == 1) op.kernel = QString::fromStdString(*kernels.begin());
            if (entries.size() == 1) op.entry = QString::fromStdString(*entries.begin());
        }
    endResetModel();
}

const store::TraceLaunch* TraceTreeModel::launchAt(const QModelIndex& index) const {
    if (!index.isValid() || (index.internalId() & kLowMask) == 0) return nullptr;
    const std::size_t layer = (index.internalId() >> kIdShift) - 1;
    const std::size_t op = (index.internalId() & kLowMask) - 1;
    return &launches_[layers_[layer].ops[op].launches[std::size_t(index.row())]];
}

QModelIndex TraceTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount || row >= rowCount(parent)) return {};
    if (!parent.isValid()) return createIndex(row, column, quintptr(0));
    if (parent.internalId() == 0)
        return createIndex(row, column, opRowId(std::size_t(parent.row())));
    if ((parent.internalId() & kLowMask) == 0) {
        const std::size_t layer = (parent.internalId() >> kIdShift) - 1;
        return createIndex(row, column, launchRowId(layer, std::size_t(parent.row())));
    }
    return {};
}

QModelIndex TraceTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == 0) return {};
    const std::size_t layer = (child.internalId() >> kIdShift) - 1;
    if ((child.internalId() & kLowMask) == 0) return createIndex(int(layer), 0, quintptr(0));
    const std::size_t op = (child.internalId() & kLowMask) - 1;
    return createIndex(int(op), 0, opRowId(layer));
}

int TraceTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return int(layers_.size());
    if (parent.column() != 0) return 0;
    const quintptr id = parent.internalId();
    if (id == 0) return int(layers_[std::size_t(parent.row())].ops.size());
    if ((id & kLowMask) == 0)
        return int(layers_[(id >> kIdShift) - 1].ops[std::size_t(parent.row())].launches.size());
    return 0;
}

int TraceTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant TraceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case LaunchColumn:
        return tr("Layer / op / launch");
    case KernelColumn:
        return tr("Kernel");
    case GridColumn:
        return tr("Grid");
    case BlockColumn:
        return tr("Block");
    case SharedColumn:
        return tr("Shared");
    case RegistersColumn:
        return tr("Regs");
    case PathColumn:
        return tr("Position path");
    case PositionColumn:
        return tr("Position read");
    case ParamsColumn:
        return tr("Scalar parameters");
    case DurationColumn:
        return tr("µs");
    }
    return {};
}

QVariant TraceTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const quintptr id = index.internalId();
    if (id == 0) return layerData(layers_[std::size_t(index.row())], index.column(), role);
    const std::size_t layer = (id >> kIdShift) - 1;
    if ((id & kLowMask) == 0)
        return opData(layers_[layer].ops[std::size_t(index.row())], index.column(), role);
    return launchData(*launchAt(index), index.column(), role);
}

QVariant TraceTreeModel::launchData(const store::TraceLaunch& l, int column, int role) const {
    // The position path, and "graph" for a launch that ran as a CUDA graph node (one badge each).
    QString path = l.positionPath == "none" ? QString() : QString::fromStdString(l.positionPath);
    if (l.fromGraph) path = path.isEmpty() ? u"graph"_s : path + u" graph"_s;
    switch (role) {
    case KernelRole:
        return QString::fromStdString(l.kernel);
    case EntryRole:
        return QString::fromStdString(l.entry);
    case SeqRole:
        return qulonglong(l.seq);
    case PathRole:
        return path;
    case LaunchCountRole:
        return 1;
    case Qt::TextAlignmentRole:
        return column == SharedColumn || column == RegistersColumn || column == PositionColumn ||
                       column == DurationColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    case Qt::ToolTipRole:
        if (column == KernelColumn)
            return tr("%1\n.entry %2\nDouble-click to open its PTX")
                .arg(QString::fromStdString(l.kernel), QString::fromStdString(l.entry));
        if (column == ParamsColumn) return formatScalarParams(l.scalarParams);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case LaunchColumn:
        return u"#%1"_s.arg(l.seq);
    case KernelColumn:
        return QString::fromStdString(l.kernel);
    case GridColumn:
        return formatDim3(l.grid);
    case BlockColumn:
        return formatDim3(l.block);
    case SharedColumn:
        return qulonglong(l.sharedBytes);
    case RegistersColumn:
        return qulonglong(l.registers);
    case PathColumn:
        return path;
    case PositionColumn:
        return l.positionValue ? QVariant(qlonglong(*l.positionValue)) : QVariant();
    case ParamsColumn:
        return formatScalarParams(l.scalarParams);
    case DurationColumn:
        return l.durationUs > 0 ? QVariant(QString::number(l.durationUs, 'f', 1)) : QVariant();
    }
    return {};
}

QVariant TraceTreeModel::opData(const OpGroup& op, int column, int role) const {
    switch (role) {
    case KernelRole:
        return op.kernel;
    case EntryRole:
        return op.entry;
    case LaunchCountRole:
        return int(op.launches.size());
    case Qt::FontRole: {
        QFont font;
        font.setBold(column == LaunchColumn);
        return font;
    }
    case Qt::DisplayRole:
        if (column == LaunchColumn) return op.op;
        if (column == KernelColumn)
            return op.kernelCount == 1
                       ? u"%1 (%2)"_s.arg(op.kernel,
                                          countOf(op.launches.size(), "launch", "launches"))
                       : u"%1, %2"_s.arg(countOf(op.kernelCount, "kernel", "kernels"),
                                         countOf(op.launches.size(), "launch", "launches"));
        return {};
    default:
        return {};
    }
}

QVariant TraceTreeModel::layerData(const LayerGroup& layer, int column, int role) const {
    switch (role) {
    case LaunchCountRole:
        return int(layer.launchCount);
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::DisplayRole:
        if (column == LaunchColumn) return layerName(layer.layer);
        if (column == KernelColumn)
            return u"%1, %2"_s.arg(countOf(layer.ops.size(), "op", "ops"),
                                   countOf(layer.launchCount, "launch", "launches"));
        return {};
    default:
        return {};
    }
}

} // namespace ptxwb::views
