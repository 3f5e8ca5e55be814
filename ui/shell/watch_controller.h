// Watches folders for a live training run: a timer polls a WatchSession off the GUI thread.
#pragma once

#include <atomic>
#include <memory>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace runlens::ui {

// What one background poll found; error is set when the poll failed (e.g. the workspace stayed locked).
struct WatchPollOutcome {
    QStringList runs; // runs that received data
    qint64 points = 0;
    qint64 pointsSuperseded = 0;
    bool changed = false;
    QString error;
};

// Owns its own workspace connection (SQLite WAL lets the window keep reading), used by one poll at a time on
// a QtConcurrent worker. Polls never overlap: a tick while a poll runs is skipped.
class WatchController : public QObject {
    Q_OBJECT
  public:
    explicit WatchController(QObject* parent = nullptr);
    ~WatchController() override; // stops and waits for a running poll

    // Starts watching: the first poll runs at once, then every intervalMs. Replaces an earlier watch.
    // Returns false (see lastError) when roots is empty or the workspace cannot be opened for writing.
    bool start(const QString& workspacePath, const QStringList& roots, int intervalMs,
               bool restartSemantics = false);
    // Stops the timer, cancels a running poll and waits for it (the files it was reading are read next time).
    void stop();
    bool isWatching() const { return m_state != nullptr; }
    QStringList roots() const { return m_roots; }
    QString lastError() const { return m_lastError; }
    bool isPolling() const { return m_watcher.isRunning(); }

  public slots:
    // Polls now (F5); when a poll is already running, one more follows right after it.
    void pollNow();

  signals:
    void runsChanged(const QStringList& runs, qint64 pointsAdded);
    void pollFailed(const QString& message);
    void pollFinished(bool changed); // after every poll, found something or not
    void watchingChanged(bool watching);

  private:
    struct State;
    void launchPoll();
    void onPollFinished();

    QTimer m_timer;
    QFutureWatcher<WatchPollOutcome> m_watcher;
    std::shared_ptr<State> m_state;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QStringList m_roots;
    QString m_lastError;
    bool m_pollQueued = false;
};

} // namespace runlens::ui
