#include "run_compare_model.h"

#include "status_colours.h"

#include <QColor>
#include <QStringList>
#include <algorithm>

namespace ptxwb::views {

namespace {

using store::CheckChange;

QString statusText(const std::optional<store::CheckStatus>& s) {
    return s ? QString::fromLatin1(store::checkStatusName(*s)) : QStringLiteral("—");
}

/// "a → b", or one value when both are the same.
template <typename T>
QString transition(T a, T b) {
    return a == b ? QString::number(a) : QStringLiteral("%1 → %2").arg(a).arg(b);
}

QColor changeColour(CheckChange change) {
    switch (change) {
    case CheckChange::NewlyFailing:
        return status_colours::failed();
    case CheckChange::NewlyPassing:
        return status_colours::passed();
    case CheckChange::EvidenceChanged:
    case CheckChange::StatusChanged:
        return status_colours::changed();
    case CheckChange::OnlyInA:
    case CheckChange::OnlyInB:
        return status_colours::neutral();
    case CheckChange::Same:
        return {};
    }
    return {};
}

/// Newly failing first: the order a regression hunt reads them in.
int changeRank(CheckChange change) {
    switch (change) {
    case CheckChange::NewlyFailing:
        return 6;
    case CheckChange::StatusChanged:
        return 5;
    case CheckChange::EvidenceChanged:
        return 4;
    case CheckChange::NewlyPassing:
        return 3;
    case CheckChange::OnlyInB:
        return 2;
    case CheckChange::OnlyInA:
        return 1;
    case CheckChange::Same:
        return 0;
    }
    return 0;
}

} // namespace

RunCompareModel::RunCompareModel(QObject* parent) : QAbstractTableModel(parent) {}

QString RunCompareModel::changeLabel(CheckChange change) {
    switch (change) {
    case CheckChange::Same:
        return tr("same");
    case CheckChange::NewlyFailing:
        return tr("newly failing");
    case CheckChange::NewlyPassing:
        return tr("newly passing");
    case CheckChange::EvidenceChanged:
        return tr("evidence changed");
    case CheckChange::StatusChanged:
        return tr("status changed");
    case CheckChange::OnlyInA:
        return tr("only in A");
    case CheckChange::OnlyInB:
        return tr("only in B");
    }
    return {};
}

void RunCompareModel::setComparison(const store::RunComparison& comparison, bool includeSame) {
    beginResetModel();
    checks_ = comparison.checks;
    includeSame_ = includeSame;
    rebuild();
    endResetModel();
}

void RunCompareModel::setIncludeSame(bool includeSame) {
    if (includeSame == includeSame_) return;
    beginResetModel();
    includeSame_ = includeSame;
    rebuild();
    endResetModel();
}

void RunCompareModel::rebuild() {
    rows_.clear();
    for (const auto& c : checks_)
        if (includeSame_ || c.change != CheckChange::Same) rows_.push_back(&c);
    std::stable_sort(rows_.begin(), rows_.end(), [](const auto* a, const auto* b) {
        return changeRank(a->change) > changeRank(b->change);
    });
}

int RunCompareModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int RunCompareModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunCompareModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const store::CheckComparison& c = *rows_[static_cast<std::size_t>(index.row())];
    // Only the roles that show the changed kernels build their list (views ask for every role
    // of every visible cell on each repaint).
    auto kernels = [&c] {
        QStringList names;
        for (const auto& k : c.changedKernels)
            names << QString::fromStdString(k);
        return names;
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ChangeColumn:
            return changeLabel(c.change);
        case CheckColumn:
            return QString::fromStdString(c.name);
        case StatusColumn:
            return c.statusA == c.statusB
                       ? statusText(c.statusA)
                       : statusText(c.statusA) + QStringLiteral(" → ") + statusText(c.statusB);
        case MaxUlpColumn:
            return transition(c.maxUlpA, c.maxUlpB);
        case FailingColumn:
            return transition(static_cast<qulonglong>(c.failingElementsA),
                              static_cast<qulonglong>(c.failingElementsB));
        case KernelsColumn:
            return kernels().join(QStringLiteral(", "));
        }
        return {};
    case Qt::ToolTipRole: {
        QStringList lines{QString::fromStdString(c.name)};
        for (const auto& d : c.evidence)
            lines << QStringLiteral("%1: %2 → %3")
                         .arg(QString::fromStdString(d.field), QString::fromStdString(d.a),
                              QString::fromStdString(d.b));
        if (!c.changedKernels.empty()) lines << tr("PTX changed: %1").arg(kernels().join(u", "));
        return lines.join(QLatin1Char('\n'));
    }
    case Qt::BackgroundRole:
        if (index.column() == ChangeColumn && c.change != CheckChange::Same)
            return changeColour(c.change);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == ChangeColumn && c.change != CheckChange::Same)
            return QColor(Qt::black);
        return {};
    case ChangeRole:
        return static_cast<int>(c.change);
    case CheckNameRole:
        return QString::fromStdString(c.name);
    case ChangedKernelsRole:
        return kernels();
    default:
        return {};
    }
}

QVariant RunCompareModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case ChangeColumn:
        return tr("Change");
    case CheckColumn:
        return tr("Check");
    case StatusColumn:
        return tr("Status A → B");
    case MaxUlpColumn:
        return tr("Max ULP");
    case FailingColumn:
        return tr("Failing elements");
    case KernelsColumn:
        return tr("PTX changed");
    default:
        return {};
    }
}

} // namespace ptxwb::views
