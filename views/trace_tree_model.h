#pragma once
// The launches of a recorded trace run as a tree: layer -> op -> launch. Layers and ops appear
// in the order of their first launch (embedding before layer 0, the output head after the last
// layer), launches in recorded order. Columns give what a kernel engineer checks first: kernel,
// grid, block, shared memory, registers, how the position reached the kernel and, for indirect
// launches, the position it read.

#include "store/results.h"

#include <QAbstractItemModel>
#include <QString>
#include <vector>

namespace ptxwb::views {

/// Tree model of store::TraceLaunch rows.
class TraceTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        LaunchColumn, ///< "layer 3", "rope_q", "#57"
        KernelColumn, ///< kernel (entry in the tooltip); group rows: launch count or kernel
        GridColumn,   ///< "32×12×1"
        BlockColumn,  ///< "128×1×1"
        SharedColumn, ///< bytes of dynamic shared memory
        RegistersColumn,
        PathColumn,     ///< position path badge: direct / indirect / batched
        PositionColumn, ///< the position an indirect launch read
        ParamsColumn,   ///< scalar parameters, "pos=3 seq_len=4"
        DurationColumn, ///< µs
        ColumnCount
    };
    enum Role {
        KernelRole = Qt::UserRole + 1, ///< QString kernel of a launch (or of an op's launches)
        EntryRole,                     ///< QString PTX .entry name
        SeqRole,                       ///< launch seq (launch rows only)
        PathRole,                      ///< QString position path ("" for none)
        LaunchCountRole,               ///< launches under a row (1 for a launch)
    };

    explicit TraceTreeModel(QObject* parent = nullptr);

    /// Replaces the launches (any order; they are sorted by seq).
    void setLaunches(std::vector<store::TraceLaunch> launches);
    const std::vector<store::TraceLaunch>& launches() const { return launches_; }
    /// The launch at a launch row, or nullptr for a layer or op row.
    const store::TraceLaunch* launchAt(const QModelIndex& index) const;
    /// Display name of a layer number ("layer 3", "outside layers" for -1).
    static QString layerName(int layer);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct OpGroup {
        QString op;
        std::vector<std::size_t> launches; ///< indices into launches_
        // Summaries for the group row, computed once (a decode trace puts thousands of
        // launches under one op).
        QString kernel; ///< the kernel, when all launches share one
        QString entry;  ///< the entry, when all launches share one
        std::size_t kernelCount = 0;
    };
    struct LayerGroup {
        int layer = -1;
        std::vector<OpGroup> ops;
        std::size_t launchCount = 0;
    };
    QVariant launchData(const store::TraceLaunch& l, int column, int role) const;
    QVariant opData(const OpGroup& op, int column, int role) const;
    QVariant layerData(const LayerGroup& layer, int column, int role) const;

    std::vector<store::TraceLaunch> launches_;
    std::vector<LayerGroup> layers_;
};

/// "1 launch", "12 launches" (English plurals without a translator).
QString countOf(std::size_t n, const char* one, const char* many);
/// "32×12×1"
QString formatDim3(const std::array<std::uint32_t, 3>& d);
/// Scalar parameters as "name=value" pairs in the record's order.
QString formatScalarParams(const nlohmann::json& params);

} // namespace ptxwb::views
