#include "parity_results_model.h"

#include "status_colours.h"

#include <QColor>
#include <QLocale>
#include <QRegularExpression>
#include <nlohmann/json.hpp>

namespace ptxwb::views {

namespace {

using store::CheckStatus;

QString evidenceString(const nlohmann::json& evidence, const char* key) {
    if (!evidence.is_object()) return {};
    const auto it = evidence.find(key);
    return it != evidence.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                   : QString();
}

/// Failed before passed in a descending sort: the order a triage meeting reads them in.
int statusSeverity(CheckStatus s) {
    switch (s) {
    case CheckStatus::Error:
        return 3;
    case CheckStatus::Failed:
        return 2;
    case CheckStatus::Skipped:
        return 1;
    case CheckStatus::Passed:
        return 0;
    }
    return 0;
}

QString worstEvidence(const store::Check& check) {
    QString summary = evidenceString(check.evidence, "summary");
    if (summary.isEmpty()) summary = evidenceString(check.evidence, "error");
    if (!summary.isEmpty() || check.firstMismatches.empty()) return summary;
    const store::ElementMismatch& m = check.firstMismatches.front();
    return QStringLiteral("first at row %1, col %2: %3 vs %4 (%5, %6 ULP)")
        .arg(m.row)
        .arg(m.col)
        .arg(QString::number(m.actual, 'g', 9), QString::number(m.expected, 'g', 9),
             QString::fromLatin1(store::categoryLabel(m.category)))
        .arg(m.ulp);
}

} // namespace

ParityResultRow parityResultRowOf(const store::Check& check) {
    ParityResultRow row;
    row.kind = check.kind;
    row.checkName = check.name;
    row.status = check.status;
    row.maxUlp = check.maxUlp;
    row.failingElements = check.counts.failing();
    row.evidence = worstEvidence(check);
    const QString name = QString::fromStdString(check.name);
    const QString candidate = evidenceString(check.evidence, "candidate");
    const QString reference = evidenceString(check.evidence, "reference");
    if (!candidate.isEmpty() && !reference.isEmpty())
        row.pair = candidate + QStringLiteral(" vs ") + reference;
    else
        row.pair = name.section(QStringLiteral(" M="), 0, 0);
    const auto m = check.evidence.is_object() ? check.evidence.find("m") : check.evidence.end();
    if (m != check.evidence.end() && m->is_number_integer()) {
        row.m = m->get<int>();
    } else {
        static const QRegularExpression mPattern(QStringLiteral("\\bM=(\\d+)"));
        const auto match = mPattern.match(name);
        if (match.hasMatch()) row.m = match.captured(1).toInt();
    }
    row.shape = evidenceString(check.evidence, "shape");
    if (row.shape.isEmpty()) {
        static const QRegularExpression shapePattern(QStringLiteral("\\b(\\d+(?:x\\d+)+)\\b"));
        const auto match = shapePattern.match(name);
        if (match.hasMatch()) row.shape = match.captured(1);
    }
    // A check on a model's weights names its tensor, which says more than the shape alone.
    if (const QString tensor = evidenceString(check.evidence, "tensor"); !tensor.isEmpty())
        row.shape = row.shape.isEmpty() ? tensor : tensor + QStringLiteral(" (") + row.shape + u')';
    return row;
}

ParityResultsModel::ParityResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ParityResultsModel::setRun(const store::Run& run) {
    beginResetModel();
    runUuid_ = run.uuid;
    rows_.clear();
    for (const store::Check& check : run.checks) {
        if (check.kind == store::CheckKind::Parity || check.kind == store::CheckKind::Reference ||
            check.kind == store::CheckKind::Probe)
            rows_.push_back(parityResultRowOf(check));
    }
    endResetModel();
}

void ParityResultsModel::clear() {
    beginResetModel();
    runUuid_.clear();
    rows_.clear();
    endResetModel();
}

int ParityResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ParityResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QColor ParityResultsModel::statusColour(CheckStatus status) {
    switch (status) {
    case CheckStatus::Passed:
        return status_colours::passed();
    case CheckStatus::Failed:
        return status_colours::failed();
    case CheckStatus::Error:
        return status_colours::error();
    case CheckStatus::Skipped:
        return status_colours::neutral();
    }
    return {};
}

QVariant ParityResultsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ParityResultRow& r = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PairColumn:
            return r.pair;
        case MColumn:
            return r.m > 0 ? QVariant(r.m) : QVariant(QStringLiteral("-"));
        case ShapeColumn:
            return r.shape;
        case StatusColumn:
            return QString::fromLatin1(store::checkStatusName(r.status));
        case MaxUlpColumn:
            // A check that ended in an error compared nothing.
            if (r.status == store::CheckStatus::Error) return QStringLiteral("-");
            return QLocale().toString(static_cast<qulonglong>(r.maxUlp));
        case FailingColumn:
            return QLocale().toString(static_cast<qulonglong>(r.failingElements));
        case EvidenceColumn:
            return r.evidence;
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case MColumn:
            return r.m;
        case StatusColumn:
            return statusSeverity(r.status);
        case MaxUlpColumn:
            return static_cast<qulonglong>(r.maxUlp);
        case FailingColumn:
            return static_cast<qulonglong>(r.failingElements);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::BackgroundRole:
        return index.column() == StatusColumn ? QVariant(statusColour(r.status)) : QVariant();
    case Qt::ToolTipRole:
        return index.column() == EvidenceColumn || index.column() == PairColumn
                   ? QVariant(QString::fromStdString(r.checkName) + QLatin1Char('\n') + r.evidence)
                   : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == MColumn || index.column() == MaxUlpColumn ||
                       index.column() == FailingColumn
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    case CheckNameRole:
        return QString::fromStdString(r.checkName);
    case CheckKindRole:
        return static_cast<int>(r.kind);
    default:
        return {};
    }
}

QVariant ParityResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case PairColumn:
        return tr("Pair");
    case MColumn:
        return tr("M");
    case ShapeColumn:
        return tr("Shape");
    case StatusColumn:
        return tr("Status");
    case MaxUlpColumn:
        return tr("Max ULP");
    case FailingColumn:
        return tr("Failing elements");
    case EvidenceColumn:
        return tr("Worst evidence");
    }
    return {};
}

} // namespace ptxwb::views
