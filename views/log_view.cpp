#include "log_view.h"

#include <QDateTime>
#include <QFontDatabase>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

LogView::LogView(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    setMaximumBlockCount(5000);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFrameShape(QFrame::NoFrame);
}

void LogView::append(Level level, const QString& message) {
    const QString time = QTime::currentTime().toString(u"HH:mm:ss"_s);
    const QString tag = level == Level::Error     ? u"error: "_s
                        : level == Level::Warning ? u"warning: "_s
                                                  : QString();
    appendPlainText(time + u"  "_s + tag + message);
}

} // namespace ptxwb::views
