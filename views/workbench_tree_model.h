#pragma once
// The item model of the "Kernel Set / Model" dock. Kernel sets: set → op → pair → variants
// (single first, zoo entries marked, position badges from the manifest roles). Models: file →
// metadata (key, value) and tensors (name, type, shape, size) read with core/gguf. Columns:
// name, details.

#include <QAbstractItemModel>
#include <QHash>
#include <QStringList>
#include <memory>
#include <vector>

namespace ptxwb::views {

/// Tree of opened kernel sets and models.
class WorkbenchTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum class NodeKind {
        KernelSet,
        Op,
        Pair,
        Variant,
        Model,
        MetadataGroup,
        Metadata,
        TensorGroup,
        Tensor
    };
    enum Role {
        NodeKindRole = Qt::UserRole + 1, ///< int(NodeKind)
        SourcePathRole,                  ///< variant: absolute path of its source
        EntryRole,                       ///< variant: PTX entry name
        VariantRole,                     ///< variant: "single" / "batched"
        BadgesRole,                      ///< variant: QStringList of position badges
        ZooRole,                         ///< variant: bool, a known-bad kernel of the bug zoo
        ManifestPathRole,                ///< any node of a kernel set: its kernelset.json
        FilePathRole,                    ///< kernel set or model: the file opened
        ContractRole,                    ///< variant: the manifest's contract, or empty
        DeclaredBadgesRole,              ///< variant: badges the manifest's roles declare
        BadgeSourceRole,                 ///< variant: "manifest" or "analyzer"
        ZooToolTipRole,                  ///< variant: the zoo entry's bug and catching check
    };
    enum Column { NameColumn = 0, DetailsColumn = 1, ColumnCount = 2 };

    explicit WorkbenchTreeModel(QObject* parent = nullptr);
    ~WorkbenchTreeModel() override;

    /// Reads a kernelset.json; returns an error message with the byte offset (empty on success).
    QString addKernelSet(const QString& manifestPath);
    /// Replaces the badges of the set's variants by the analyzer's position modes (entry →
    /// "direct" / "indirect" / "batched-positions" / "none", '+'-joined), keeping what the
    /// manifest declared for the tooltip. Returns how many variants were updated.
    int applyPositionSummary(const QString& manifestPath,
                             const QHash<QString, QString>& positionsByEntry);
    /// Reads a GGUF model's header; returns the reader's located error (empty on success).
    QString addModel(const QString& path);
    /// Removes every kernel set and model.
    void clear();

    /// The index of the node with this name under `parent` (column 0), or invalid.
    QModelIndex findChild(const QModelIndex& parent, const QString& name) const;
    NodeKind kind(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    struct Node;

private:
    Node* nodeFor(const QModelIndex& index) const;
    void appendTopLevel(std::unique_ptr<Node> node);

    std::unique_ptr<Node> root_;
};

} // namespace ptxwb::views
