#pragma once
// The parity results table: one row per check of a run (pair x M x shape), with its status
// colour, largest ULP distance, failing element count and worst evidence. Reads store records,
// so a run from the CLI, the GUI or another machine (imported) looks the same.

#include "store/run.h"

#include <QAbstractTableModel>
#include <QString>
#include <vector>

namespace ptxwb::views {

/// What one row shows, taken from a store::Check (evidence keys as parity's JSON writes them:
/// candidate, reference, m, shape, summary; the check name when they are missing).
struct ParityResultRow {
    QString pair;  ///< "BatchedQ6KGemvKernel vs Q6KGemvKernel"
    int m = 0;     ///< batch size M; 0 when unknown
    QString shape; ///< "4096x4096"
    store::CheckStatus status = store::CheckStatus::Passed;
    std::uint32_t maxUlp = 0;
    std::uint64_t failingElements = 0;
    QString evidence; ///< the worst evidence in one line
    store::CheckKind kind = store::CheckKind::Parity;
    std::string checkName;
};

/// The row of one check.
[[nodiscard]] ParityResultRow parityResultRowOf(const store::Check& check);

class ParityResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PairColumn,
        MColumn,
        ShapeColumn,
        StatusColumn,
        MaxUlpColumn,
        FailingColumn,
        EvidenceColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole, ///< numbers as numbers (M, ULP, counts, status severity)
        CheckNameRole,           ///< store::Check::name (QString)
        CheckKindRole,           ///< store::CheckKind as int
    };

    explicit ParityResultsModel(QObject* parent = nullptr);

    /// Shows the parity, reference and probe checks of `run` (maps are not needed).
    void setRun(const store::Run& run);
    void clear();
    [[nodiscard]] const std::string& runUuid() const { return runUuid_; }
    [[nodiscard]] const ParityResultRow& row(int index) const {
        return rows_.at(std::size_t(index));
    }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    /// Background colour of a status (passed green, failed red, error orange, skipped grey).
    [[nodiscard]] static QColor statusColour(store::CheckStatus status);

private:
    std::string runUuid_;
    std::vector<ParityResultRow> rows_;
};

} // namespace ptxwb::views
