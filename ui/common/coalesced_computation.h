// One background computation at a time for an evaluation view that shows only its newest controls' result.
#pragma once

#include <functional>
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <utility>

namespace runlens::ui {

// What to do with a result that finished after a newer start was asked for: skip it (the view shows only
// its newest controls' result) or show it while the rerun works (slow computations, whose previous answer
// is better than none while a slider moves).
enum class StaleResult { Skip, Show };

// A start asked for while a computation runs is remembered: when that one finishes, the view starts afresh
// with its newest controls (moving a control queues one rerun, not one per change).
template <typename Result> class CoalescedComputation {
  public:
    // Every finished result is stored in *target; show runs unless the result is stale and skipped, then
    // restart runs when a start was asked for meanwhile. The watcher is a child of owner, whose member this
    // is.
    CoalescedComputation(QObject* owner, Result* target, std::function<void()> restart,
                         std::function<void()> show, StaleResult stale = StaleResult::Skip)
        : m_watcher(new QFutureWatcher<Result>(owner)), m_target(target), m_restart(std::move(restart)),
          m_show(std::move(show)), m_stale(stale) {
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
        const bool rerun = m_dirty;
        if (!rerun || m_stale == StaleResult::Show) m_show();
        if (rerun) m_restart();
    }

    QFutureWatcher<Result>* m_watcher;
    Result* m_target;
    std::function<void()> m_restart, m_show;
    StaleResult m_stale;
    bool m_computing = false;
    bool m_dirty = false;
};

} // namespace runlens::ui
