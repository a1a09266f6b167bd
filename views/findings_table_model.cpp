#include "findings_table_model.h"

#include <QColor>
#include <QFileInfo>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

FindingsTableModel::FindingsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FindingsTableModel::setFindings(std::vector<EditorFinding> findings) {
    beginResetModel();
    findings_ = std::move(findings);
    endResetModel();
}

std::array<int, 3> FindingsTableModel::countsBySeverity() const {
    std::array<int, 3> counts{};
    for (const auto& f : findings_)
        ++counts[std::size_t(f.severity)];
    return counts;
}

int FindingsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(findings_.size());
}

int FindingsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EditorFinding& f = findings_[std::size_t(index.row())];
    const int line = f.range.begin.line + 1;
    if (role == SeverityRole) return int(f.severity);
    if (role == SortRole) {
        switch (index.column()) {
        case SeverityColumn:
            return int(f.severity);
        case LocationColumn:
            // Zero-padded so that the string sort of the proxy orders lines numerically.
            return QString(f.file + u':' + QString::number(line).rightJustified(9, u'0'));
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case SeverityColumn:
            return severityName(f.severity);
        case RuleColumn:
            return f.ruleId;
        case KernelColumn:
            return f.kernel;
        case LocationColumn:
            return QString(QFileInfo(f.file).fileName() + u':' + QString::number(line));
        case MessageColumn:
            return f.message;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip = f.ruleTitle + u"\n"_s + f.message;
        if (!f.fixHint.isEmpty()) tip += u"\nFix: "_s + f.fixHint;
        return tip;
    }
    if (role == Qt::ForegroundRole && index.column() == SeverityColumn) {
        switch (f.severity) {
        case FindingSeverity::Error:
            return QColor(0xd7, 0x3a, 0x49);
        case FindingSeverity::Warning:
            return QColor(0xc2, 0x7c, 0x00);
        case FindingSeverity::Note:
            return QColor(0x2f, 0x7d, 0xd1);
        }
    }
    return {};
}

QVariant FindingsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case KernelColumn:
        return tr("Kernel");
    case LocationColumn:
        return tr("Location");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace ptxwb::views
