#include "run_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
QLineEdit* lineEdit(QWidget* parent, const QString& objectName, const QString& placeholder) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}
} // namespace

RunForm::RunForm(QWidget* parent) : QWidget(parent) {
    layout_ = new QFormLayout(this);
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    command_ = new QComboBox(this);
    command_->setObjectName(u"runCommand"_s);
    for (RunCommand c : kRunCommands)
        command_->addItem(runCommandTitle(c), int(c));
    files_ = lineEdit(this, u"runFiles"_s, tr("PTX files (none: the kernel set's sources)"));
    kernelSet_ = lineEdit(this, u"runKernelSet"_s, tr("built-in kernel set"));
    pairs_ = lineEdit(this, u"runPairs"_s, tr("all pairs (comma-separated kernel names)"));
    batchSizes_ = lineEdit(this, u"runBatchSizes"_s, tr("1,2,3,4,8,16"));
    kernel_ = lineEdit(this, u"runKernel"_s, tr("GEMV kernel name (required)"));
    model_ = lineEdit(this, u"runModel"_s, tr("GGUF model"));
    inject_ = lineEdit(this, u"runInject"_s,
                       tr("none (stale-position-buf, seq-len-buf-not-updated, "
                          "batched-rope-row0-positions)"));
    tokens_ = lineEdit(this, u"runTokens"_s, tr("default prompt (comma-separated token ids)"));
    staticOnly_ = new QCheckBox(tr("Only the checks that need no GPU"), this);
    staticOnly_->setObjectName(u"runStaticOnly"_s);

    device_ = new QComboBox(this);
    device_->setObjectName(u"runDevice"_s);
    auto* refresh = new QToolButton(this);
    refresh->setText(tr("Refresh"));
    refresh->setToolTip(tr("Ask a worker process which GPUs this machine has"));
    connect(refresh, &QToolButton::clicked, this, &RunForm::refreshDevicesRequested);
    auto* deviceRow = new QWidget(this);
    auto* deviceLayout = new QHBoxLayout(deviceRow);
    deviceLayout->setContentsMargins(0, 0, 0, 0);
    deviceLayout->addWidget(device_, 1);
    deviceLayout->addWidget(refresh);
    setDevices({}, tr("not asked yet"));

    filesRow_ = withBrowse(files_, false, tr("PTX (*.ptx);;All files (*)"));
    kernelSetRow_ = withBrowse(kernelSet_, true, {});
    modelRow_ = withBrowse(model_, false, tr("GGUF models (*.gguf);;All files (*)"));
    layout_->addRow(tr("&Command"), command_);
    layout_->addRow(tr("&Files"), filesRow_);
    layout_->addRow(tr("Kernel &set"), kernelSetRow_);
    layout_->addRow(tr("&Pairs"), pairs_);
    layout_->addRow(tr("&M list"), batchSizes_);
    layout_->addRow(tr("&Kernel"), kernel_);
    layout_->addRow(tr("M&odel"), modelRow_);
    layout_->addRow(tr("&Inject"), inject_);
    layout_->addRow(tr("&Tokens"), tokens_);
    layout_->addRow(QString(), staticOnly_);
    layout_->addRow(tr("&Device"), deviceRow);
    connect(command_, &QComboBox::currentIndexChanged, this,
            [this] { showFieldsOf(options().command); });
    showFieldsOf(RunCommand::Analyze);
}

QWidget* RunForm::withBrowse(QLineEdit* edit, bool directory, const QString& filter) {
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* browse = new QToolButton(row);
    browse->setText(u"…"_s);
    browse->setToolTip(directory ? tr("Choose a directory") : tr("Choose files"));
    layout->addWidget(browse);
    connect(browse, &QToolButton::clicked, this, [this, edit, directory, filter] {
        if (directory) {
            const QString dir = QFileDialog::getExistingDirectory(this, tr("Kernel set"));
            if (!dir.isEmpty()) edit->setText(dir);
        } else if (edit == files_) {
            const QStringList files =
                QFileDialog::getOpenFileNames(this, tr("PTX files"), {}, filter);
            if (!files.isEmpty()) edit->setText(files.join(u';'));
        } else {
            const QString file = QFileDialog::getOpenFileName(this, tr("Model"), {}, filter);
            if (!file.isEmpty()) edit->setText(file);
        }
    });
    return row;
}

void RunForm::showFieldsOf(RunCommand c) {
    const bool usesModel = c == RunCommand::Parity || c == RunCommand::Probe ||
                           c == RunCommand::Trace || c == RunCommand::KvValidation;
    layout_->setRowVisible(filesRow_, c == RunCommand::Analyze);
    layout_->setRowVisible(pairs_, c == RunCommand::Parity);
    layout_->setRowVisible(batchSizes_, c == RunCommand::Parity);
    layout_->setRowVisible(kernel_, c == RunCommand::Probe);
    layout_->setRowVisible(modelRow_, usesModel);
    layout_->setRowVisible(inject_, runCommandRecordsTrace(c));
    layout_->setRowVisible(tokens_, runCommandRecordsTrace(c));
    layout_->setRowVisible(staticOnly_, c == RunCommand::Selftest);
    model_->setPlaceholderText(runCommandRecordsTrace(c) ? tr("GGUF model (required)")
                                                         : tr("random weights (or a GGUF model)"));
}

RunOptions RunForm::options() const {
    RunOptions o;
    o.command = RunCommand(command_->currentData().toInt());
    // Files are separated by ';' (the file dialog's join), so paths may contain commas.
    for (const QString& f : files_->text().split(u';', Qt::SkipEmptyParts))
        if (!f.trimmed().isEmpty()) o.files << f.trimmed();
    o.kernelSet = kernelSet_->text().trimmed();
    o.pairs = pairs_->text();
    o.batchSizes = batchSizes_->text();
    o.kernel = kernel_->text();
    o.model = model_->text().trimmed();
    o.inject = inject_->text();
    o.tokens = tokens_->text();
    o.staticOnly = staticOnly_->isChecked();
    o.device = device_->currentData().toInt();
    return o;
}

void RunForm::setOptions(const RunOptions& o) {
    command_->setCurrentIndex(command_->findData(int(o.command)));
    files_->setText(o.files.join(u';'));
    kernelSet_->setText(o.kernelSet);
    pairs_->setText(o.pairs);
    batchSizes_->setText(o.batchSizes);
    kernel_->setText(o.kernel);
    model_->setText(o.model);
    inject_->setText(o.inject);
    tokens_->setText(o.tokens);
    staticOnly_->setChecked(o.staticOnly);
    if (const int i = device_->findData(o.device); i >= 0) device_->setCurrentIndex(i);
    showFieldsOf(o.command);
}

void RunForm::setDevices(const std::vector<GpuDeviceInfo>& devices, const QString& whyNone) {
    const int previous = device_->currentData().isValid() ? device_->currentData().toInt() : 0;
    device_->clear();
    for (const auto& d : devices)
        device_->addItem(tr("%1: %2 (%3)").arg(d.ordinal).arg(d.name, d.arch), d.ordinal);
    if (devices.empty()) {
        device_->addItem(tr("0 (no GPU found)"), 0);
        device_->setToolTip(whyNone);
    } else {
        device_->setToolTip(tr("CUDA device the GPU jobs run on (ptxwb --device)"));
    }
    if (const int i = device_->findData(previous); i >= 0) device_->setCurrentIndex(i);
}

} // namespace ptxwb::views
