#include "rule_page_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

QString RulePageDialog::locateRulePage(const QString& ruleId) {
    // Rule ids are [a-z0-9-]; anything else must not become a path.
    for (QChar c : ruleId)
        if (!(c.isLower() || c.isDigit() || c == u'-')) return {};
    QStringList roots;
    if (const QString env = qEnvironmentVariable("PTXWB_RESOURCES_DIR"); !env.isEmpty())
        roots << env;
    roots << QCoreApplication::applicationDirPath() + u"/../share/ptxwb"_s;
#ifdef PTXWB_SOURCE_RESOURCES_DIR
    roots << QStringLiteral(PTXWB_SOURCE_RESOURCES_DIR); // running from a build tree
#endif
    for (const QString& root : roots) {
        const QString path = QDir(root).filePath(u"rules/"_s + ruleId + u".md"_s);
        if (QFile::exists(path)) return path;
    }
    return {};
}

RulePageDialog::RulePageDialog(const EditorFinding& finding, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Rule %1").arg(finding.ruleId));
    auto* layout = new QVBoxLayout(this);
    browser_ = new QTextBrowser(this);
    browser_->setOpenExternalLinks(true);
    layout->addWidget(browser_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 560);

    QFile page(locateRulePage(finding.ruleId));
    if (page.fileName().isEmpty() == false && page.open(QIODevice::ReadOnly)) {
        markdown_ = QString::fromUtf8(page.readAll());
    } else {
        markdown_ = u"# "_s + finding.ruleTitle + u"\n\n`"_s + finding.ruleId + u"`\n\n"_s +
                    finding.message + u"\n\n"_s;
        if (!finding.fixHint.isEmpty()) markdown_ += u"**Fix:** "_s + finding.fixHint + u"\n\n"_s;
        markdown_ += u"*"_s + tr("The full page of this rule is not installed.") + u"*\n"_s;
    }
    browser_->setMarkdown(markdown_);
}

} // namespace ptxwb::views
