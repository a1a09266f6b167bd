#include "about_dialog.h"

#include "app_icon.h"
#include "gpu_info_source.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QSysInfo>
#include <QVBoxLayout>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

AboutDialog::AboutDialog(GpuInfoSource* source, QWidget* parent)
    : QDialog(parent), source_(source) {
    setWindowTitle(tr("About ptxwb"));
    auto* layout = new QVBoxLayout(this);
    auto* header = new QHBoxLayout;
    auto* icon = new QLabel(this);
    icon->setPixmap(ptxwbIcon().pixmap(72, 72));
    header->addWidget(icon, 0, Qt::AlignTop);
    auto* title = new QLabel(this);
    title->setTextFormat(Qt::RichText);
    title->setText(u"<h2 style='margin-bottom:2px'>ptxwb "_s + QStringLiteral(PTXWB_VERSION) +
                   u"</h2>"_s +
                   tr("PTX Workbench for LLM inference kernels: static analysis, batched-vs-single "
                      "parity, dequantisation probes and run history.") +
                   u"<br><br>"_s + versionsHtml());
    title->setWordWrap(true);
    header->addWidget(title, 1);
    layout->addLayout(header);

    auto* gpuTitle =
        new QLabel(u"<b>"_s + tr("GPU (queried through the ptxwb worker)") + u"</b>"_s, this);
    layout->addWidget(gpuTitle);
    gpu_ = new QLabel(tr("Asking the worker process…"), this);
    gpu_->setTextFormat(Qt::RichText);
    gpu_->setWordWrap(true);
    gpu_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(gpu_);
    layout->addStretch();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(560);

    if (source_) {
        connect(source_, &GpuInfoSource::ready, this,
                [this](const GpuInfo& info) { gpu_->setText(formatGpuInfoHtml(info)); });
        connect(source_, &GpuInfoSource::failed, this, [this](const QString& reason) {
            gpu_->setText(tr("Not available: %1").arg(reason.toHtmlEscaped()));
        });
    } else {
        gpu_->setText(tr("Not available: no worker configured"));
    }
}

QString AboutDialog::gpuText() const {
    return gpu_->text();
}

QString AboutDialog::versionsHtml() {
    QString compiler;
#if defined(__clang__)
    compiler = u"Clang "_s + QStringLiteral(__clang_version__);
#elif defined(__GNUC__)
    compiler = u"GCC "_s + QStringLiteral(__VERSION__);
#endif
    return u"<table cellspacing='1'>"_s +
           u"<tr><td style='color:gray;padding-right:12px'>Qt</td><td>"_s +
           tr("%1 (built with %2)")
               .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR)) +
           u"</td></tr><tr><td style='color:gray;padding-right:12px'>"_s + tr("Compiler") +
           u"</td><td>"_s + compiler.toHtmlEscaped() +
           u"</td></tr><tr><td style='color:gray;padding-right:12px'>"_s + tr("System") +
           u"</td><td>"_s + QSysInfo::prettyProductName().toHtmlEscaped() + u" ("_s +
           QSysInfo::currentCpuArchitecture() + u")</td></tr></table>"_s;
}

void AboutDialog::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    if (source_ && !requested_) {
        requested_ = true;
        source_->request();
    }
}

} // namespace ptxwb::views
