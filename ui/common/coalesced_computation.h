// One background computation at a time for an evaluation view that shows only its newest controls' result.
#pragma once

#include <functional>
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <utility>

namespace runlens::ui {

// A start asked for while a computation runs is remembered: when that one finishes its result is taken but
// not shown, and the view starts afresh with its newest controls (moving a control queues one rerun, not
// one per change).
template <typename Result> class CoalescedComputation {
  public:
    // Every finished result is stored in *target; then restart runs when a start was asked for meanwhile,
    // else show. The watcher is a child of owner, whose member this is.
    CoalescedComputation(QObject* owner, Result* target, std::function<void()> restart,
                         std::function<void()> show)
        : m_watcher(new QFutureWatcher<Result>(owner)), m_target(target), m_restart(std::move(restart)),
          m_show(std::move(show)) {
        QObject::connect(m_watcher, &QFutureWatcher<Result>::finished, owner, [this] { finished(); });
    }
    // A running computation is waited for before the view it reports to goes away.
    ~CoalescedComputation() { m_watcher->waitForFinished(); }
    CoalescedComputation(const CoalescedComputation&) = delete;
    CoalescedComputation& operator=(const CoalescedComputation&) = delete;

    bool busy() const { return m_computing; }
    // Whether the view may start one now; false while one runs, after which the view's restart is called.
    bool mayStart() {
        if (m_computing) {
            m_dirty = true;
            return false;
        }
        m_dirty = false;
        return true;
    }
    // Starts QtConcurrent::run(job...) and reports its result when it finishes.
    template <typename... Job> void run(Job&&... job) {
        m_computing = true;
        m_watcher->setFuture(QtConcurrent::run(std::forward<Job>(job)...));
    }

  private:
    void finished() {
        m_computing = false;
        *m_target = m_watcher->result();
        if (m_dirty)
            m_restart();
        else
            m_show();
    }

    QFutureWatcher<Result>* m_watcher;
    Result* m_target;
    std::function<void()> m_restart, m_show;
    bool m_computing = false;
    bool m_dirty = false;
};

} // namespace runlens::ui
