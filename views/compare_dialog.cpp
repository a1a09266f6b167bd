#include "compare_dialog.h"

#include "function_alignment.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ptxwb::views {

CompareDialog::CompareDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Compare Functions"));
    auto* form = new QFormLayout;
    for (int side = 0; side < 2; ++side) {
        paths_[side] = new QLineEdit(this);
        paths_[side]->setPlaceholderText(tr("PTX file"));
        auto* browse = new QPushButton(tr("Browse…"), this);
        auto* row = new QHBoxLayout;
        row->addWidget(paths_[side], 1);
        row->addWidget(browse);
        functions_[side] = new QComboBox(this);
        functions_[side]->setMinimumContentsLength(28);
        form->addRow(side == 0 ? tr("&Left file:") : tr("&Right file:"), row);
        form->addRow(side == 0 ? tr("Left function:") : tr("Right function:"), functions_[side]);
        connect(paths_[side], &QLineEdit::editingFinished, this, [this, side] { reload(side); });
        connect(functions_[side], &QComboBox::currentIndexChanged, this, &CompareDialog::validate);
        connect(browse, &QPushButton::clicked, this, [this, side] {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("PTX file"), QFileInfo(paths_[side]->text()).path(),
                tr("PTX (*.ptx);;All files (*)"));
            if (!path.isEmpty()) setFile(side, path);
        });
    }
    problem_ = new QLabel(this);
    problem_->setWordWrap(true);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Compare"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(problem_);
    layout->addWidget(buttons_);
    validate();
}

void CompareDialog::setFile(int side, const QString& path, const QString& function) {
    paths_[side]->setText(path);
    reload(side);
    if (!function.isEmpty()) functions_[side]->setCurrentText(function);
    // Comparing a kernel with its twin usually means the batched one on the right.
    if (side == 0 && paths_[1]->text().isEmpty()) setFile(1, path);
}

QString CompareDialog::file(int side) const {
    return paths_[side]->text();
}

QString CompareDialog::function(int side) const {
    return functions_[side]->currentText();
}

QString CompareDialog::problem() const {
    return problem_->text();
}

void CompareDialog::reload(int side) {
    functions_[side]->clear();
    QFile f(paths_[side]->text());
    if (f.open(QIODevice::ReadOnly)) {
        for (const std::string& name : ptxFunctionNames(f.readAll().toStdString()))
            functions_[side]->addItem(QString::fromStdString(name));
        // Default the right side to a different function than the left, when there is one.
        if (side == 1 && functions_[1]->count() > 1 && function(1) == function(0))
            functions_[1]->setCurrentIndex(1);
    }
    validate();
}

void CompareDialog::validate() {
    QString why;
    for (int side = 0; side < 2 && why.isEmpty(); ++side) {
        if (paths_[side]->text().isEmpty())
            why = tr("Choose two PTX files (they may be the same file).");
        else if (!QFileInfo::exists(paths_[side]->text()))
            why = tr("%1: no such file").arg(paths_[side]->text());
        else if (functions_[side]->count() == 0)
            why = tr("%1: no function with a body").arg(paths_[side]->text());
    }
    problem_->setText(why);
    problem_->setVisible(!why.isEmpty());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace ptxwb::views
