#pragma once
// Runs the analyzer off the GUI thread. Requests are keyed (a file path, or a side-by-side
// view): scheduling a key again within the debounce delay replaces the pending request, and a
// result that a newer request for the same key has overtaken is dropped, so typing queues at
// most one analysis per file and late results never overwrite fresher ones.

#include "analysis_findings.h"

#include <QHash>
#include <QObject>

class QTimer;

namespace ptxwb::views {

/// Debounced background analysis.
class AnalysisScheduler : public QObject {
    Q_OBJECT
public:
    explicit AnalysisScheduler(QObject* parent = nullptr);
    ~AnalysisScheduler() override;

    /// Analyses after `delayMs` of quiet for this key (0: start now).
    void schedule(const QString& key, AnalysisRequest request, int delayMs = 0);
    /// Forgets a key: its pending request is dropped and a running one's result ignored.
    void cancel(const QString& key);
    /// Number of analyses running or waiting for their debounce timer.
    int pendingCount() const;
    /// Blocks until no analysis is running (tests and shutdown).
    void waitForIdle();

signals:
    /// The newest analysis of `key` finished.
    void analysed(const QString& key, const ptxwb::views::AnalysisOutcome& outcome);

private:
    struct Pending {
        AnalysisRequest request;
        QTimer* timer = nullptr;
        quint64 generation = 0;
    };
    void start(const QString& key);

    QHash<QString, Pending> pending_;
    QHash<QString, quint64> generation_;
    int running_ = 0;
};

} // namespace ptxwb::views

Q_DECLARE_METATYPE(ptxwb::views::AnalysisOutcome)
