#include "find_bar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

namespace {
QToolButton* makeToggle(QWidget* parent, const QString& text, const QString& tip) {
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    return button;
}
} // namespace

FindBar::FindBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->setSpacing(4);
    layout->addWidget(new QLabel(tr("Find:"), this));
    pattern_ = new QLineEdit(this);
    pattern_->setPlaceholderText(tr("Search text or regular expression"));
    pattern_->setClearButtonEnabled(true);
    pattern_->setMinimumWidth(260);
    layout->addWidget(pattern_, 1);
    caseSensitive_ = makeToggle(this, u"Aa"_s, tr("Match case"));
    wholeWord_ = makeToggle(this, u"W"_s, tr("Whole words"));
    regex_ = makeToggle(this, u".*"_s, tr("Regular expression"));
    layout->addWidget(caseSensitive_);
    layout->addWidget(wholeWord_);
    layout->addWidget(regex_);
    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setAutoRaise(true);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setAutoRaise(true);
    next->setToolTip(tr("Next match (F3)"));
    layout->addWidget(previous);
    layout->addWidget(next);
    result_ = new QLabel(this);
    result_->setMinimumWidth(110);
    layout->addWidget(result_);
    auto* close = new QToolButton(this);
    close->setText(u"✕"_s);
    close->setAutoRaise(true);
    close->setToolTip(tr("Close (Esc)"));
    layout->addWidget(close);

    debounce_.setSingleShot(true);
    debounce_.setInterval(150);
    connect(&debounce_, &QTimer::timeout, this, [this] { emit queryChanged(query()); });
    connect(pattern_, &QLineEdit::textChanged, this, [this] { debounce_.start(); });
    connect(pattern_, &QLineEdit::returnPressed, this, [this] {
        if (debounce_.isActive()) {
            debounce_.stop();
            emit queryChanged(query());
        }
        emit nextRequested();
    });
    for (auto* toggle : {caseSensitive_, wholeWord_, regex_})
        connect(toggle, &QToolButton::toggled, this, [this] { emit queryChanged(query()); });
    connect(previous, &QToolButton::clicked, this, &FindBar::previousRequested);
    connect(next, &QToolButton::clicked, this, &FindBar::nextRequested);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
}

FindQuery FindBar::query() const {
    return FindQuery{pattern_->text(), caseSensitive_->isChecked(), wholeWord_->isChecked(),
                     regex_->isChecked()};
}

void FindBar::activate(const QString& text) {
    show();
    if (!text.isEmpty() && !text.contains(u'\n')) pattern_->setText(text);
    pattern_->setFocus();
    pattern_->selectAll();
}

void FindBar::setResultText(const QString& text) {
    result_->setText(text);
}

void FindBar::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        hide();
        emit closed();
        return;
    }
    if (event->key() == Qt::Key_Return && (event->modifiers() & Qt::ShiftModifier)) {
        emit previousRequested();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace ptxwb::views
