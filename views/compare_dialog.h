#pragma once
// "Compare Functions…": pick two PTX files and a function in each for the side-by-side view.
// The function lists are read with the PTX front end as soon as a file is chosen.

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace ptxwb::views {

/// Two files, one function each.
class CompareDialog : public QDialog {
    Q_OBJECT
public:
    explicit CompareDialog(QWidget* parent = nullptr);

    /// Prefills a side (0 left, 1 right) with a file and selects `function` when present.
    void setFile(int side, const QString& path, const QString& function = {});
    QString file(int side) const;
    QString function(int side) const;
    /// Why OK is disabled, or empty.
    QString problem() const;

private:
    void reload(int side);
    void validate();

    QLineEdit* paths_[2] = {nullptr, nullptr};
    QComboBox* functions_[2] = {nullptr, nullptr};
    QLabel* problem_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
};

} // namespace ptxwb::views
