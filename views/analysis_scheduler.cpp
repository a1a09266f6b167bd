#include "analysis_scheduler.h"

#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <algorithm>

namespace ptxwb::views {

namespace {
/// One pool for analyses, apart from Qt's global pool: a 40 MB file must not wait behind
/// (or starve) other background work, and waitForIdle() must only wait for analyses.
QThreadPool& analysisPool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(std::max(1, QThread::idealThreadCount() / 2));
        return p;
    }();
    return *pool;
}
} // namespace

AnalysisScheduler::AnalysisScheduler(QObject* parent) : QObject(parent) {
    qRegisterMetaType<AnalysisOutcome>();
}

AnalysisScheduler::~AnalysisScheduler() {
    // Running tasks post to `this` through a QPointer; waiting keeps their work from
    // outliving the process's last event loop in tests.
    waitForIdle();
}

void AnalysisScheduler::schedule(const QString& key, AnalysisRequest request, int delayMs) {
    Pending& p = pending_[key];
    p.request = std::move(request);
    p.generation = ++generation_[key];
    if (!p.timer) {
        p.timer = new QTimer(this);
        p.timer->setSingleShot(true);
        connect(p.timer, &QTimer::timeout, this, [this, key] { start(key); });
    }
    p.timer->start(std::max(0, delayMs));
}

void AnalysisScheduler::cancel(const QString& key) {
    if (auto it = pending_.find(key); it != pending_.end()) {
        delete it->timer;
        pending_.erase(it);
    }
    ++generation_[key];
}

int AnalysisScheduler::pendingCount() const {
    return int(pending_.size()) + running_;
}

void AnalysisScheduler::waitForIdle() {
    analysisPool().waitForDone();
}

void AnalysisScheduler::start(const QString& key) {
    auto it = pending_.find(key);
    if (it == pending_.end()) return;
    AnalysisRequest request = std::move(it->request);
    const quint64 generation = it->generation;
    it->timer->deleteLater();
    pending_.erase(it);
    ++running_;
    // The destructor waits for the pool, so `this` outlives every task; a result posted while
    // it is being destroyed is discarded with its other pending events.
    analysisPool().start([this, key, generation, request = std::move(request)] {
        AnalysisOutcome outcome = runAnalysis(request);
        QMetaObject::invokeMethod(
            this,
            [this, key, generation, outcome = std::move(outcome)] {
                --running_;
                if (generation_.value(key) == generation) emit analysed(key, outcome);
            },
            Qt::QueuedConnection);
    });
}

} // namespace ptxwb::views
