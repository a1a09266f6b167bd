#include "ptx_editor.h"

#include "util/mapped_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QVBoxLayout>

namespace ptxwb::views {

PtxEditor::PtxEditor(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    view_ = new PtxTextView(this);
    findBar_ = new FindBar(this);
    findBar_->hide();
    layout->addWidget(view_, 1);
    layout->addWidget(findBar_);
    connect(findBar_, &FindBar::queryChanged, this, &PtxEditor::runQuery);
    connect(findBar_, &FindBar::nextRequested, this, &PtxEditor::findNext);
    connect(findBar_, &FindBar::previousRequested, this, &PtxEditor::findPrevious);
    connect(findBar_, &FindBar::closed, this, [this] {
        view_->clearFind();
        view_->setFocus();
    });
    setFocusProxy(view_);
}

QString PtxEditor::loadFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("%1: cannot open: %2").arg(path, file.errorString());
    view_->setUtf8(file.readAll());
    filePath_ = path;
    displayName_ = QFileInfo(path).fileName();
    // PTX produced by a compiler is read-only by default; sources the user owns (.cu, and .ptx
    // of an exported kernel set, which sits beside a kernelset.json) may be edited.
    const QFileInfo info(path);
    const bool inKernelSet =
        QFileInfo::exists(info.dir().filePath(QStringLiteral("kernelset.json")));
    view_->setReadOnly(!(info.isWritable() && (info.suffix() == u"cu" || inKernelSet)));
    view_->highlighter().setPlainText(info.suffix().toLower() != u"ptx");
    return {};
}

void PtxEditor::setText(const QString& displayName, const QByteArray& utf8) {
    view_->setUtf8(utf8);
    filePath_.clear();
    displayName_ = displayName;
}

QString PtxEditor::save() {
    if (filePath_.isEmpty()) return tr("%1 has no file to save to").arg(displayName_);
    const QByteArray bytes = view_->buffer().toUtf8();
    const Status written =
        writeFileAtomic(filePath_.toStdString(), std::string_view(bytes.constData(), bytes.size()));
    if (!written) return QString::fromStdString(written.error().format());
    view_->setModified(false);
    return {};
}

QString PtxEditor::displayName() const {
    return displayName_;
}

void PtxEditor::showFind() {
    findBar_->activate(view_->selectedText());
}

void PtxEditor::runQuery(const FindQuery& query) {
    view_->findAll(query);
    updateResultText();
}

void PtxEditor::findNext() {
    view_->findNext(false);
    updateResultText();
}

void PtxEditor::findPrevious() {
    view_->findNext(true);
    updateResultText();
}

void PtxEditor::updateResultText() {
    const int count = int(view_->matches().size());
    if (findBar_->query().text.isEmpty())
        findBar_->setResultText({});
    else if (count == 0)
        findBar_->setResultText(tr("No results"));
    else if (view_->currentMatch() < 0)
        findBar_->setResultText(tr("%n match(es)", nullptr, count));
    else
        findBar_->setResultText(tr("%1 of %2").arg(view_->currentMatch() + 1).arg(count));
}

void PtxEditor::askGoToLine() {
    bool ok = false;
    const int line = QInputDialog::getInt(
        this, tr("Go to Line"), tr("Line (1 – %1):").arg(view_->buffer().lineCount()),
        view_->cursorPosition().line + 1, 1, view_->buffer().lineCount(), 1, &ok);
    if (ok) view_->goToLine(line);
}

} // namespace ptxwb::views
