#include "report_export_dialog.h"

#include "run_history_model.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>
#include <algorithm>

namespace ptxwb::views {

namespace {

using reports::ReportFormat;

const std::pair<ReportFormat, const char*> kFormats[] = {
    {ReportFormat::Markdown,
     QT_TRANSLATE_NOOP("ReportExportDialog", "Markdown (with heatmap PNGs)")},
    {ReportFormat::Html, QT_TRANSLATE_NOOP("ReportExportDialog", "HTML (self-contained)")},
    {ReportFormat::Json, QT_TRANSLATE_NOOP("ReportExportDialog", "JSON")},
    {ReportFormat::Junit, QT_TRANSLATE_NOOP("ReportExportDialog", "JUnit XML")},
    {ReportFormat::Sarif, QT_TRANSLATE_NOOP("ReportExportDialog", "SARIF (findings)")},
};

const QString kExportFolderKey = QStringLiteral("history/exportFolder");

QString shortUuid(const std::string& uuid) {
    return QString::fromStdString(uuid.substr(0, 8));
}

} // namespace

ReportExportDialog::ReportExportDialog(std::shared_ptr<store::HistoryStore> history,
                                       std::string runUuid,
                                       const std::vector<store::RunSummary>& runs, QWidget* parent)
    : QDialog(parent), history_(std::move(history)), runUuid_(std::move(runUuid)) {
    setWindowTitle(tr("Export Report of Run %1").arg(shortUuid(runUuid_)));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout();
    format_ = new QComboBox(this);
    for (const auto& [format, label] : kFormats)
        format_->addItem(tr(label), static_cast<int>(format));
    baseline_ = new QComboBox(this);
    baseline_->addItem(tr("none"), QString());
    for (const auto& run : runs) {
        if (run.uuid == runUuid_) continue;
        baseline_->addItem(QStringLiteral("%1  %2  %3 %4")
                               .arg(shortUuid(run.uuid),
                                    RunHistoryModel::formatStarted(run.startedUnixMs),
                                    QString::fromLatin1(store::runStatusName(run.status)),
                                    QString::fromStdString(run.command)),
                           QString::fromStdString(run.uuid));
    }
    auto* pathRow = new QHBoxLayout();
    path_ = new QLineEdit(this);
    path_->setObjectName(QStringLiteral("reportPath"));
    // Where the last report went (the home folder at first), so a series of exports lands together.
    const QString folder = QSettings().value(kExportFolderKey, QDir::homePath()).toString();
    path_->setText(
        QDir(folder).filePath(QStringLiteral("ptxwb-report-%1.md").arg(shortUuid(runUuid_))));
    auto* browseButton = new QPushButton(tr("Browse…"), this);
    pathRow->addWidget(path_, 1);
    pathRow->addWidget(browseButton);
    form->addRow(tr("Run:"), new QLabel(QString::fromStdString(runUuid_), this));
    form->addRow(tr("&Format:"), format_);
    form->addRow(tr("&Against baseline:"), baseline_);
    form->addRow(tr("&Output file:"), pathRow);
    layout->addLayout(form);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(message_);

    auto* buttons = new QDialogButtonBox(this);
    QPushButton* exportButton = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    QPushButton* copyButton =
        buttons->addButton(tr("&Copy as Issue Text"), QDialogButtonBox::ActionRole);
    copyButton->setToolTip(tr("The Markdown report without heatmap images, for pasting into an "
                              "issue"));
    buttons->addButton(QDialogButtonBox::Close);
    exportButton->setDefault(true);
    layout->addWidget(buttons);

    connect(format_, &QComboBox::currentIndexChanged, this, &ReportExportDialog::formatChanged);
    connect(browseButton, &QPushButton::clicked, this, &ReportExportDialog::browse);
    // Export keeps the dialog open: the message lists what was written.
    connect(exportButton, &QPushButton::clicked, this, [this] { exportNow(); });
    connect(copyButton, &QPushButton::clicked, this, [this] { copyIssueText(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(620, sizeHint().height());
}

void ReportExportDialog::setFormat(reports::ReportFormat format) {
    format_->setCurrentIndex(format_->findData(static_cast<int>(format)));
}

reports::ReportFormat ReportExportDialog::format() const {
    return static_cast<reports::ReportFormat>(format_->currentData().toInt());
}

void ReportExportDialog::setOutputPath(const QString& path) {
    path_->setText(path);
}

QString ReportExportDialog::outputPath() const {
    return path_->text().trimmed();
}

bool ReportExportDialog::setBaseline(const QString& uuid) {
    const int index = baseline_->findData(uuid);
    if (index < 0) return false;
    baseline_->setCurrentIndex(index);
    return true;
}

QString ReportExportDialog::baseline() const {
    return baseline_->currentData().toString();
}

QString ReportExportDialog::message() const {
    return message_->text();
}

void ReportExportDialog::showMessage(const QString& text, bool error) {
    message_->setText(text);
    message_->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

void ReportExportDialog::formatChanged() {
    // Keep the file name, change its extension to the one `ptxwb report` infers the format from.
    const QFileInfo info(outputPath());
    if (info.fileName().isEmpty()) return;
    path_->setText(info.dir().filePath(
        info.completeBaseName() + QString::fromLatin1(reports::reportFileExtension(format()))));
}

void ReportExportDialog::browse() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), outputPath());
    if (!path.isEmpty()) path_->setText(path);
}

QStringList ReportExportDialog::exportNow() {
    if (outputPath().isEmpty()) {
        showMessage(tr("Choose an output file."), true);
        return {};
    }
    ReportRequest request{runUuid_, baseline().toStdString(), format(), outputPath().toStdString()};
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto written = exportRunReport(*history_, request);
    QApplication::restoreOverrideCursor();
    if (!written) {
        showMessage(tr("Export failed: %1").arg(QString::fromStdString(written.error().format())),
                    true);
        return {};
    }
    QStringList paths;
    for (const auto& p : *written)
        paths << QString::fromStdString(p);
    QSettings().setValue(kExportFolderKey, QFileInfo(outputPath()).absolutePath());
    showMessage(tr("Wrote %n file(s):\n", nullptr, static_cast<int>(paths.size())) +
                    paths.join(QLatin1Char('\n')),
                false);
    return paths;
}

bool ReportExportDialog::copyIssueText() {
    auto text = runIssueText(*history_, runUuid_, baseline().toStdString());
    if (!text) {
        showMessage(tr("Copy failed: %1").arg(QString::fromStdString(text.error().format())), true);
        return false;
    }
    QApplication::clipboard()->setText(QString::fromStdString(*text));
    showMessage(tr("Copied the Markdown report (%n line(s)) to the clipboard.", nullptr,
                   static_cast<int>(std::count(text->begin(), text->end(), '\n'))),
                false);
    return true;
}

} // namespace ptxwb::views
