#include "run_dock.h"

#include "gpu_info_source.h"
#include "run_form.h"
#include "util/paths.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
const QColor kErrorColour(0xe0, 0x3c, 0x3c);
const QColor kWarningColour(0xd0, 0x8a, 0x00);
const QColor kPassColour(0x2e, 0x9e, 0x4f);
constexpr int kMaxLogLines = 20000;
} // namespace

QString describeExitCode(int exitCode) {
    switch (exitCode) {
    case 0:
        return QObject::tr("ok");
    case 1:
        return QObject::tr("checks failed");
    case 2:
        return QObject::tr("usage error");
    case 3:
        return QObject::tr("bad input file");
    case 4:
        return QObject::tr("environment: no GPU, driver or NVRTC");
    case 5:
        return QObject::tr("GPU fault, cancel or internal error");
    default:
        return QObject::tr("unexpected exit code");
    }
}

RunDock::RunDock(QWidget* parent) : QWidget(parent) {
    setObjectName(u"runDockContent"_s);
    cliPath_ = locatePtxwbCli();
    historyDatabase_ = QString::fromStdString(defaultHistoryDatabase());
    form_ = new RunForm(this);
    runButton_ = new QPushButton(tr("Run"), this);
    runButton_->setObjectName(u"runButton"_s);
    runButton_->setToolTip(tr("Run the command through the ptxwb CLI (F5)"));
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    cancelButton_->setObjectName(u"cancelRunButton"_s);
    cancelButton_->setToolTip(tr("Stop the run: the CLI cancels its job and stops its worker "
                                 "(Shift+F5)"));
    progress_ = new QProgressBar(this);
    progress_->setObjectName(u"runProgress"_s);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    status_ = new QLabel(tr("Idle"), this);
    status_->setObjectName(u"runStatus"_s);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setWordWrap(true);
    log_ = new QPlainTextEdit(this);
    log_->setObjectName(u"runLog"_s);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(kMaxLogLines);
    // Wrapped: an error's cause is at the end of a long line; tables fit a wide dock.
    log_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(runButton_);
    buttons->addWidget(cancelButton_);
    buttons->addWidget(progress_, 1);
    auto* left = new QVBoxLayout;
    left->addWidget(form_);
    left->addLayout(buttons);
    left->addWidget(status_);
    left->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(left, 2);
    layout->addWidget(log_, 3);

    process_ = new RunProcess(this);
    connect(process_, &RunProcess::event, this, &RunDock::onEvent);
    connect(process_, &RunProcess::finished, this, &RunDock::onFinished);
    connect(runButton_, &QPushButton::clicked, this, &RunDock::startFromForm);
    connect(cancelButton_, &QPushButton::clicked, this, &RunDock::cancel);
    connect(form_, &RunForm::refreshDevicesRequested, this, [this] {
        if (gpuInfo_) gpuInfo_->request();
    });
    restoreFormSettings();
    setRunning(false);
}

void RunDock::setGpuInfoSource(GpuInfoSource* source) {
    if (gpuInfo_) gpuInfo_->disconnect(this);
    gpuInfo_ = source;
    if (!gpuInfo_) return;
    connect(gpuInfo_, &GpuInfoSource::ready, this, [this](const GpuInfo& info) {
        const QString why = !info.driverError.isEmpty() ? info.driverError
                                                        : tr("the driver reports no CUDA device");
        form_->setDevices(info.devices, why);
    });
    connect(gpuInfo_, &GpuInfoSource::failed, this,
            [this](const QString& reason) { form_->setDevices({}, reason); });
    gpuInfo_->request();
}

bool RunDock::startFromForm() {
    return start(form_->options());
}

bool RunDock::start(const RunOptions& options) {
    if (isRunning()) return false;
    QString error;
    const auto args = buildRunArguments(options, historyDatabase_, &error);
    if (!args) {
        appendLine(tr("Not started: %1").arg(error), kErrorColour, true);
        status_->setText(tr("Not started: %1").arg(error));
        return false;
    }
    form_->setOptions(options); // the form shows what runs (and is what the next F5 repeats)
    saveFormSettings();
    return startArguments(*args, runCommandTitle(options.command),
                          runCommandRecordsTrace(options.command),
                          runCommandRecordsKvMaps(options.command));
}

bool RunDock::startArguments(const QStringList& args, const QString& title, bool recordsTrace,
                             bool recordsKvMaps) {
    if (isRunning()) return false;
    if (cliPath_.isEmpty()) {
        appendLine(tr("Not started: the ptxwb CLI was not found beside ptxwb-gui, in the build "
                      "tree or on PATH (set PTXWB_CLI)"),
                   kErrorColour, true);
        return false;
    }
    title_ = title;
    recordsTrace_ = recordsTrace;
    recordsKvMaps_ = recordsKvMaps;
    lastUuid_.clear();
    lastExitCode_ = -1;
    progress_->setRange(0, 0); // busy until the first progress event says how much there is
    if (log_->document()->blockCount() > 1 || !log_->document()->firstBlock().text().isEmpty())
        appendLine(QString());
    QStringList shown{u"ptxwb"_s};
    for (const QString& a : args)
        shown << (a.contains(u' ') ? u'\'' + a + u'\'' : a);
    appendLine(u"$ "_s + shown.join(u' '), {}, true);
    status_->setText(tr("%1: starting…").arg(title_));
    setRunning(true);
    process_->start(cliPath_, args);
    emit runStarted(args);
    return true;
}

void RunDock::cancel() {
    if (!isRunning()) return;
    status_->setText(tr("%1: cancelling…").arg(title_));
    appendLine(tr("Cancel requested: stopping the job and its worker"), kWarningColour);
    process_->cancel();
}

void RunDock::onEvent(const RunEvent& e, bool fromStdout) {
    switch (e.kind) {
    case RunEvent::Kind::Progress:
        if (e.total > 0) {
            progress_->setRange(0, int(std::min<qint64>(e.total, INT_MAX)));
            progress_->setValue(int(std::min(e.done, e.total)));
            status_->setText(tr("%1: %2 (%3/%4)").arg(title_, e.text).arg(e.done).arg(e.total));
        } else {
            status_->setText(tr("%1: %2").arg(title_, e.text));
        }
        return;
    case RunEvent::Kind::Recorded:
        lastUuid_ = e.uuid;
        appendLine(
            tr("Recorded run %1 (%2, %3) in %4").arg(e.uuid, e.command, e.status, e.database), {},
            true);
        emit runRecorded(e.uuid);
        return;
    case RunEvent::Kind::Error:
        appendLine(e.text, kErrorColour);
        return;
    case RunEvent::Kind::Warning:
        appendLine(e.text, kWarningColour);
        return;
    case RunEvent::Kind::Text:
        // The CLI's own "recorded run 1a2b3c4d in ..." line repeats the event shown above.
        if (!fromStdout && e.text.startsWith(u"recorded run ")) return;
        appendLine(e.text);
        return;
    }
}

void RunDock::onFinished(int exitCode, RunEnd end, const QString& reason) {
    setRunning(false);
    lastExitCode_ = end == RunEnd::Exited || end == RunEnd::Cancelled ? exitCode : -1;
    progress_->setRange(0, 1);
    progress_->setValue(end == RunEnd::Exited && exitCode <= 1 ? 1 : 0);
    QString summary;
    QColor colour = kErrorColour;
    switch (end) {
    case RunEnd::Exited:
        summary = tr("%1 finished: exit %2 (%3)")
                      .arg(title_)
                      .arg(exitCode)
                      .arg(describeExitCode(exitCode));
        colour = exitCode == 0 ? kPassColour : exitCode == 1 ? kWarningColour : kErrorColour;
        break;
    case RunEnd::Cancelled:
        summary = tr("%1 cancelled (ptxwb exited with %2)").arg(title_).arg(exitCode);
        colour = kWarningColour;
        break;
    case RunEnd::Killed:
    case RunEnd::Crashed:
    case RunEnd::FailedToStart:
        summary = tr("%1 failed: %2").arg(title_, reason);
        break;
    }
    if (!lastUuid_.isEmpty())
        summary += tr(" — run %1").arg(lastUuid_);
    else if (end != RunEnd::FailedToStart)
        summary += tr(" — nothing recorded");
    appendLine(summary, colour, true);
    status_->setText(summary);
    emit runFinished(lastExitCode_, end);
    if (recordsTrace_ && !lastUuid_.isEmpty()) emit traceRunRecorded(lastUuid_);
    if (recordsKvMaps_ && !lastUuid_.isEmpty()) emit kvRunRecorded(lastUuid_);
}

void RunDock::appendLine(const QString& text, const QColor& colour, bool bold) {
    QScrollBar* bar = log_->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(log_->document());
    cursor.movePosition(QTextCursor::End);
    if (!log_->document()->isEmpty()) cursor.insertBlock();
    QTextCharFormat format;
    if (colour.isValid()) format.setForeground(colour);
    if (bold) format.setFontWeight(QFont::Bold);
    cursor.insertText(text, format);
    if (atEnd) bar->setValue(bar->maximum());
}

void RunDock::setRunning(bool running) {
    runButton_->setEnabled(!running);
    cancelButton_->setEnabled(running);
    form_->setEnabled(!running);
}

void RunDock::saveFormSettings() const {
    const RunOptions o = form_->options();
    QSettings settings;
    settings.beginGroup(u"run"_s);
    settings.setValue(u"command"_s, runCommandName(o.command));
    settings.setValue(u"files"_s, o.files);
    settings.setValue(u"kernelSet"_s, o.kernelSet);
    settings.setValue(u"pairs"_s, o.pairs);
    settings.setValue(u"batchSizes"_s, o.batchSizes);
    settings.setValue(u"kernel"_s, o.kernel);
    settings.setValue(u"model"_s, o.model);
    settings.setValue(u"inject"_s, o.inject);
    settings.setValue(u"tokens"_s, o.tokens);
    settings.setValue(u"staticOnly"_s, o.staticOnly);
    settings.setValue(u"device"_s, o.device);
}

void RunDock::restoreFormSettings() {
    QSettings settings;
    settings.beginGroup(u"run"_s);
    if (!settings.contains(u"command"_s)) return;
    RunOptions o;
    o.command =
        runCommandFromName(settings.value(u"command"_s).toString()).value_or(RunCommand::Analyze);
    o.files = settings.value(u"files"_s).toStringList();
    o.kernelSet = settings.value(u"kernelSet"_s).toString();
    o.pairs = settings.value(u"pairs"_s).toString();
    o.batchSizes = settings.value(u"batchSizes"_s).toString();
    o.kernel = settings.value(u"kernel"_s).toString();
    o.model = settings.value(u"model"_s).toString();
    o.inject = settings.value(u"inject"_s).toString();
    o.tokens = settings.value(u"tokens"_s).toString();
    o.staticOnly = settings.value(u"staticOnly"_s).toBool();
    o.device = settings.value(u"device"_s).toInt();
    form_->setOptions(o);
}

} // namespace ptxwb::views
