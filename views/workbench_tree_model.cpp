#include "workbench_tree_model.h"

#include "gguf/gguf_file.h"
#include "kernel_badges.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <map>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

struct WorkbenchTreeModel::Node {
    NodeKind kind = NodeKind::Op;
    QString name;
    QString details;
    QString toolTip;
    QHash<int, QVariant> values; ///< the custom roles
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;

    Node* add(NodeKind k, QString n, QString d = {}) {
        auto child = std::make_unique<Node>();
        child->kind = k;
        child->name = std::move(n);
        child->details = std::move(d);
        child->parent = this;
        children.push_back(std::move(child));
        return children.back().get();
    }
    int row() const {
        if (!parent) return 0;
        for (std::size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this) return int(i);
        return 0;
    }
};

namespace {

using Node = WorkbenchTreeModel::Node;
using NodeKind = WorkbenchTreeModel::NodeKind;

QString fromView(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString formatBytes(std::uint64_t bytes) {
    return QLocale::system().formattedDataSize(qint64(bytes), 1,
                                               QLocale::DataSizeTraditionalFormat);
}

/// The details column and tooltip of a variant from its values: variant, contract, badges (from
/// the analyzer once it has looked at the PTX, else from the manifest's roles), zoo mark.
void describeVariant(Node* v) {
    const auto& values = v->values;
    const QStringList badges = values.value(WorkbenchTreeModel::BadgesRole).toStringList();
    QStringList details{values.value(WorkbenchTreeModel::VariantRole).toString()};
    if (const QString c = values.value(WorkbenchTreeModel::ContractRole).toString(); !c.isEmpty())
        details << c;
    for (const QString& b : badges)
        details << u"["_s + b + u"]"_s;
    const bool zoo = values.value(WorkbenchTreeModel::ZooRole).toBool();
    if (zoo) details << u"[bug zoo]"_s;
    v->details = details.join(u" "_s);
    v->toolTip = u"%1 (%2)"_s.arg(values.value(WorkbenchTreeModel::SourcePathRole).toString(),
                                  values.value(WorkbenchTreeModel::EntryRole).toString());
    const QStringList declared =
        values.value(WorkbenchTreeModel::DeclaredBadgesRole).toStringList();
    if (values.value(WorkbenchTreeModel::BadgeSourceRole).toString() == u"analyzer") {
        v->toolTip += QObject::tr("\nPosition path from the analyzer: %1")
                          .arg(badges.isEmpty() ? QObject::tr("none") : badges.join(u", "_s));
        if (declared != badges)
            v->toolTip +=
                QObject::tr("\nThe manifest's roles declare: %1")
                    .arg(declared.isEmpty() ? QObject::tr("none") : declared.join(u", "_s));
    }
    if (zoo) v->toolTip += u"\n"_s + values.value(WorkbenchTreeModel::ZooToolTipRole).toString();
}

void addVariant(Node* pair, const QJsonObject& k, const QDir& dir, const QString& manifest) {
    const QString variant = k[u"variant"].toString(u"single"_s);
    Node* v = pair->add(NodeKind::Variant, k[u"name"].toString());
    QStringList roles;
    for (const QJsonValue& p : k[u"params"].toArray())
        roles << p.toObject()[u"role"].toString();
    const QStringList badges = positionBadges(roles);
    const QJsonObject zoo = k[u"zoo"].toObject();
    v->values[WorkbenchTreeModel::ContractRole] = k[u"contract"].toString();
    v->values[WorkbenchTreeModel::DeclaredBadgesRole] = badges;
    v->values[WorkbenchTreeModel::BadgeSourceRole] = u"manifest"_s;
    const QString source = k[u"source"].toString();
    const QString sourcePath = source.isEmpty() ? QString() : dir.filePath(source);
    v->values[WorkbenchTreeModel::SourcePathRole] = sourcePath;
    v->values[WorkbenchTreeModel::EntryRole] = k[u"entry"].toString(k[u"name"].toString());
    v->values[WorkbenchTreeModel::VariantRole] = variant;
    v->values[WorkbenchTreeModel::BadgesRole] = badges;
    v->values[WorkbenchTreeModel::ZooRole] = !zoo.isEmpty();
    v->values[WorkbenchTreeModel::ManifestPathRole] = manifest;
    if (!zoo.isEmpty())
        v->values[WorkbenchTreeModel::ZooToolTipRole] = u"Bug zoo: %1\nCaught by: %2"_s.arg(
            zoo[u"bug"].toString(), zoo[u"caught_by"].toString());
    describeVariant(v);
}

} // namespace

WorkbenchTreeModel::WorkbenchTreeModel(QObject* parent)
    : QAbstractItemModel(parent), root_(std::make_unique<Node>()) {}

WorkbenchTreeModel::~WorkbenchTreeModel() = default;

void WorkbenchTreeModel::appendTopLevel(std::unique_ptr<Node> node) {
    const int row = int(root_->children.size());
    beginInsertRows({}, row, row);
    node->parent = root_.get();
    root_->children.push_back(std::move(node));
    endInsertRows();
}

QString WorkbenchTreeModel::addKernelSet(const QString& manifestPath) {
    QFile file(manifestPath);
    if (!file.open(QIODevice::ReadOnly))
        return tr("%1: cannot open: %2").arg(manifestPath, file.errorString());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (doc.isNull())
        return tr("%1: byte %2: %3").arg(manifestPath).arg(error.offset).arg(error.errorString());
    if (!doc.isObject() || !doc.object()[u"kernels"].isArray())
        return tr("%1: byte 0: expected an object with a \"kernels\" array").arg(manifestPath);
    const QJsonObject root = doc.object();
    const QDir dir = QFileInfo(manifestPath).dir();

    auto set = std::make_unique<Node>();
    set->kind = NodeKind::KernelSet;
    set->name = root[u"name"].toString(dir.dirName());
    set->toolTip = manifestPath;
    set->values[ManifestPathRole] = manifestPath;
    set->values[FilePathRole] = manifestPath;

    // Pairs are keyed by the single kernel's name; a batched kernel joins its `pairs_with`.
    const QJsonArray kernels = root[u"kernels"].toArray();
    std::map<QString, Node*> ops;
    std::map<QString, Node*> pairs;
    auto pairNode = [&](const QJsonObject& k) {
        const QString op = k[u"op"].toString(u"?"_s);
        Node*& opNode = ops[op];
        if (!opNode) opNode = set->add(NodeKind::Op, op);
        const QString key = k[u"pairs_with"].toString(k[u"name"].toString());
        Node*& pair = pairs[key];
        if (!pair) {
            pair = opNode->add(NodeKind::Pair, key);
            pair->values[ManifestPathRole] = manifestPath;
        }
        return pair;
    };
    // Singles first, so each pair lists its reference kernel at the top.
    for (const bool batched : {false, true})
        for (const QJsonValue& value : kernels) {
            const QJsonObject k = value.toObject();
            if ((k[u"variant"].toString(u"single"_s) == u"batched") == batched)
                addVariant(pairNode(k), k, dir, manifestPath);
        }
    int kernelCount = 0, zooCount = 0;
    for (const auto& [name, op] : ops) {
        op->values[ManifestPathRole] = manifestPath;
        int opKernels = 0;
        for (const auto& pair : op->children) {
            const int n = int(pair->children.size());
            opKernels += n;
            pair->details = tr("pair, %n kernel(s)", nullptr, n);
            for (const auto& v : pair->children)
                zooCount += v->values.value(ZooRole).toBool() ? 1 : 0;
        }
        kernelCount += opKernels;
        op->details = tr("op, %n kernel(s)", nullptr, opKernels);
    }
    set->details = tr("kernel set, %n kernel(s)", nullptr, kernelCount) +
                   (zooCount ? tr(", %n in the bug zoo", nullptr, zooCount) : QString());
    appendTopLevel(std::move(set));
    return {};
}

int WorkbenchTreeModel::applyPositionSummary(const QString& manifestPath,
                                             const QHash<QString, QString>& positionsByEntry) {
    int updated = 0;
    for (const auto& set : root_->children) {
        if (set->kind != NodeKind::KernelSet ||
            set->values.value(ManifestPathRole).toString() != manifestPath)
            continue;
        for (const auto& op : set->children)
            for (const auto& pair : op->children)
                for (const auto& v : pair->children) {
                    const auto mode =
                        positionsByEntry.constFind(v->values.value(EntryRole).toString());
                    if (mode == positionsByEntry.constEnd()) continue;
                    v->values[BadgesRole] = positionBadgesFromMode(*mode);
                    v->values[BadgeSourceRole] = u"analyzer"_s;
                    describeVariant(v.get());
                    const QModelIndex first = createIndex(v->row(), NameColumn, v.get());
                    const QModelIndex last = createIndex(v->row(), DetailsColumn, v.get());
                    emit dataChanged(first, last);
                    ++updated;
                }
    }
    return updated;
}

QString WorkbenchTreeModel::addModel(const QString& path) {
    auto file = gguf::GgufFile::open(path.toStdString());
    if (!file) return QString::fromStdString(file.error().format());
    auto model = std::make_unique<Node>();
    model->kind = NodeKind::Model;
    model->name = QFileInfo(path).fileName();
    model->toolTip = path;
    model->values[FilePathRole] = path;
    std::uint64_t tensorBytes = 0;
    for (const auto& t : file->tensors())
        tensorBytes += t.byteSize;
    model->details = tr("GGUF v%1, %2").arg(file->version()).arg(formatBytes(file->fileSize()));

    Node* meta = model->add(NodeKind::MetadataGroup, tr("Metadata"),
                            tr("%n key(s)", nullptr, int(file->metadata().size())));
    for (const auto& e : file->metadata()) {
        Node* m = meta->add(NodeKind::Metadata, fromView(e.key),
                            QString::fromStdString(e.value.summary(8)));
        m->toolTip = m->name + u" = "_s + m->details;
    }
    Node* tensors = model->add(
        NodeKind::TensorGroup, tr("Tensors"),
        tr("%n tensor(s), %1", nullptr, int(file->tensors().size())).arg(formatBytes(tensorBytes)));
    for (const auto& t : file->tensors()) {
        Node* n = tensors->add(NodeKind::Tensor, fromView(t.name),
                               u"%1  %2  %3"_s.arg(fromView(gguf::ggmlTypeName(t.type)),
                                                   QString::fromStdString(t.shapeText()),
                                                   formatBytes(t.byteSize)));
        n->toolTip = tr("%1: %2 elements, data at byte %3")
                         .arg(n->name)
                         .arg(t.elementCount)
                         .arg(t.dataOffset);
    }
    appendTopLevel(std::move(model));
    return {};
}

void WorkbenchTreeModel::clear() {
    beginResetModel();
    root_->children.clear();
    endResetModel();
}

WorkbenchTreeModel::Node* WorkbenchTreeModel::nodeFor(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_.get();
}

WorkbenchTreeModel::NodeKind WorkbenchTreeModel::kind(const QModelIndex& index) const {
    return nodeFor(index)->kind;
}

QModelIndex WorkbenchTreeModel::findChild(const QModelIndex& parent, const QString& name) const {
    const Node* p = nodeFor(parent);
    for (std::size_t i = 0; i < p->children.size(); ++i)
        if (p->children[i]->name == name) return index(int(i), 0, parent);
    return {};
}

QModelIndex WorkbenchTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    return createIndex(row, column, nodeFor(parent)->children[std::size_t(row)].get());
}

QModelIndex WorkbenchTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const Node* p = nodeFor(child)->parent;
    if (!p || p == root_.get()) return {};
    return createIndex(p->row(), 0, const_cast<Node*>(p));
}

int WorkbenchTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(nodeFor(parent)->children.size());
}

int WorkbenchTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant WorkbenchTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const Node* n = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? n->name : n->details;
    case Qt::ToolTipRole:
        return n->toolTip.isEmpty() ? QVariant() : QVariant(n->toolTip);
    case Qt::FontRole:
        if (index.column() == NameColumn &&
            (n->kind == NodeKind::KernelSet || n->kind == NodeKind::Model ||
             n->values.value(ZooRole).toBool())) {
            QFont font;
            font.setBold(n->kind != NodeKind::Variant);
            font.setItalic(n->kind == NodeKind::Variant); // zoo kernels stand out
            return font;
        }
        return {};
    case NodeKindRole:
        return int(n->kind);
    default:
        return n->values.value(role);
    }
}

QVariant WorkbenchTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == NameColumn ? tr("Name") : tr("Details");
}

Qt::ItemFlags WorkbenchTreeModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace ptxwb::views
