#pragma once
// The Log dock: what the workbench and its worker processes did, newest last.

#include <QPlainTextEdit>

namespace ptxwb::views {

/// Read-only, bounded log with timestamps.
class LogView : public QPlainTextEdit {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    explicit LogView(QWidget* parent = nullptr);

public slots:
    void append(ptxwb::views::LogView::Level level, const QString& message);
    void info(const QString& message) { append(Level::Info, message); }
    void error(const QString& message) { append(Level::Error, message); }
};

} // namespace ptxwb::views
