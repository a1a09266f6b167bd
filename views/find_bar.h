#pragma once
// The find strip under an editor (Ctrl+F): pattern, options, hit count, previous/next.

#include "ptx_text_view.h"

#include <QTimer>
#include <QWidget>

class QLineEdit;
class QLabel;
class QToolButton;

namespace ptxwb::views {

/// Incremental search bar; typing is debounced so a 40 MB file is searched once per pause.
class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QWidget* parent = nullptr);
    FindQuery query() const;
    /// Shows the bar with `text` selected (the editor's selection, if any).
    void activate(const QString& text);
    /// "3 of 120", "No results", or an error for a bad regular expression.
    void setResultText(const QString& text);
    QLineEdit* patternEdit() const { return pattern_; }

signals:
    void queryChanged(const ptxwb::views::FindQuery& query);
    void nextRequested();
    void previousRequested();
    void closed();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QLineEdit* pattern_ = nullptr;
    QToolButton* caseSensitive_ = nullptr;
    QToolButton* wholeWord_ = nullptr;
    QToolButton* regex_ = nullptr;
    QLabel* result_ = nullptr;
    QTimer debounce_;
};

} // namespace ptxwb::views
