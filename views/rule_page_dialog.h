#pragma once
// "Rule page on demand": the documentation page of the rule behind a finding, rendered from
// Markdown (resources/rules/<rule-id>.md, installed under share/ptxwb/rules).

#include "editor_finding.h"

#include <QDialog>

class QTextBrowser;

namespace ptxwb::views {

/// Shows one rule's page; falls back to the finding's own title, message and hint.
class RulePageDialog : public QDialog {
    Q_OBJECT
public:
    explicit RulePageDialog(const EditorFinding& finding, QWidget* parent = nullptr);
    /// The Markdown file of `ruleId`, or empty when no rule pages are installed.
    static QString locateRulePage(const QString& ruleId);
    QString markdown() const { return markdown_; }

private:
    QTextBrowser* browser_ = nullptr;
    QString markdown_;
};

} // namespace ptxwb::views
