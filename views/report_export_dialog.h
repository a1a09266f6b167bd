#pragma once
// "Export Report…": the selected run as Markdown, HTML, JSON, JUnit XML or SARIF, optionally
// against a baseline run (the output of `ptxwb report RUN --against BASE`), and "Copy as Issue
// Text", the Markdown report on the clipboard.

#include "report_export.h"

#include <QDialog>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ptxwb::views {

class ReportExportDialog : public QDialog {
    Q_OBJECT
public:
    /// `runs` offers the baselines (the run itself is left out), newest first as listed.
    ReportExportDialog(std::shared_ptr<store::HistoryStore> history, std::string runUuid,
                       const std::vector<store::RunSummary>& runs, QWidget* parent = nullptr);

    void setFormat(reports::ReportFormat format);
    [[nodiscard]] reports::ReportFormat format() const;
    void setOutputPath(const QString& path);
    [[nodiscard]] QString outputPath() const;
    /// Selects the baseline run (empty: none); false when it is not offered.
    bool setBaseline(const QString& uuid);
    [[nodiscard]] QString baseline() const;

    /// Writes the report; on failure the dialog says why. Returns the paths written.
    QStringList exportNow();
    /// Puts the Markdown issue text on the clipboard; false (and says why) on failure.
    bool copyIssueText();
    /// The last result or error shown under the form.
    [[nodiscard]] QString message() const;

private:
    void formatChanged();
    void browse();
    void showMessage(const QString& text, bool error);

    std::shared_ptr<store::HistoryStore> history_;
    std::string runUuid_;
    QComboBox* format_ = nullptr;
    QComboBox* baseline_ = nullptr;
    QLineEdit* path_ = nullptr;
    QLabel* message_ = nullptr;
};

} // namespace ptxwb::views
