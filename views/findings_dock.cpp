#include "findings_dock.h"

#include "findings_filter_model.h"
#include "findings_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace ptxwb::views {

FindingsPanel::FindingsPanel(QWidget* parent) : QWidget(parent) {
    model_ = new FindingsTableModel(this);
    filter_ = new FindingsFilterModel(this);
    filter_->setSourceModel(model_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 4);
    severity_ = new QComboBox(this);
    severity_->addItem(tr("All severities"), int(FindingSeverity::Note));
    severity_->addItem(tr("Warnings and errors"), int(FindingSeverity::Warning));
    severity_->addItem(tr("Errors only"), int(FindingSeverity::Error));
    text_ = new QLineEdit(this);
    text_->setPlaceholderText(tr("Filter by rule, kernel, file or message"));
    text_->setClearButtonEnabled(true);
    bar->addWidget(severity_);
    bar->addWidget(text_, 1);
    layout->addLayout(bar);

    table_ = new QTableView(this);
    table_->setModel(filter_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(FindingsTableModel::SeverityColumn, Qt::DescendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->setShowGrid(false);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setHighlightSections(false);
    table_->setColumnWidth(FindingsTableModel::SeverityColumn, 80);
    table_->setColumnWidth(FindingsTableModel::RuleColumn, 170);
    table_->setColumnWidth(FindingsTableModel::KernelColumn, 190);
    table_->setColumnWidth(FindingsTableModel::LocationColumn, 170);
    layout->addWidget(table_, 1);

    connect(severity_, &QComboBox::currentIndexChanged, this, [this] {
        filter_->setMinimumSeverity(FindingSeverity(severity_->currentData().toInt()));
    });
    connect(text_, &QLineEdit::textChanged, filter_, &FindingsFilterModel::setText);
    auto activate = [this](const QModelIndex& index) {
        if (index.isValid()) emit findingActivated(filter_->mapToSource(index).row());
    };
    connect(table_, &QTableView::activated, this, activate);
    connect(table_, &QTableView::clicked, this, activate);
}

void FindingsPanel::setFindings(std::vector<EditorFinding> findings) {
    model_->setFindings(std::move(findings));
}

QString FindingsPanel::summary() const {
    const auto counts = model_->countsBySeverity();
    if (counts[0] + counts[1] + counts[2] == 0) return tr("No findings");
    return tr("%n error(s)", nullptr, counts[2]) + QStringLiteral(", ") +
           tr("%n warning(s)", nullptr, counts[1]) + QStringLiteral(", ") +
           tr("%n note(s)", nullptr, counts[0]);
}

} // namespace ptxwb::views
