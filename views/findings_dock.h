#pragma once
// Content of the Findings dock: a severity filter, a text filter and the sortable table.

#include "editor_finding.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace ptxwb::views {

class FindingsTableModel;
class FindingsFilterModel;

/// Findings table with filters; activating a row reports the finding's index in the model.
class FindingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FindingsPanel(QWidget* parent = nullptr);
    void setFindings(std::vector<EditorFinding> findings);
    FindingsTableModel* model() const { return model_; }
    FindingsFilterModel* filterModel() const { return filter_; }
    QTableView* table() const { return table_; }
    /// "2 errors, 5 warnings, 1 note".
    QString summary() const;

signals:
    /// Row in FindingsTableModel (not the proxy).
    void findingActivated(int sourceRow);

private:
    FindingsTableModel* model_ = nullptr;
    FindingsFilterModel* filter_ = nullptr;
    QTableView* table_ = nullptr;
    QComboBox* severity_ = nullptr;
    QLineEdit* text_ = nullptr;
};

} // namespace ptxwb::views
