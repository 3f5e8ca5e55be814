// Computes every run's health badges in the background after the runs change, on its own workspace
// connection.
#pragma once

#include "core/analysis/run_health.h"
#include "core/model/run.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <string>
#include <vector>

namespace runlens::ui {

class HealthScanner : public QObject {
    Q_OBJECT
  public:
    using Health = std::map<std::int64_t, std::vector<HealthBadge>>;
    // At most this many points are read per scan; series beyond it are judged by their summaries only
    // (NaN counts), so a huge workspace cannot keep the scan busy for minutes.
    static constexpr std::int64_t kMaxPointsRead = 50'000'000;

    explicit HealthScanner(QObject* parent = nullptr);
    ~HealthScanner() override; // cancels a running scan and waits for it

    // Starts a scan of these runs (a running one is cancelled; its result is dropped).
    void scan(const QString& workspacePath, std::vector<RunInfo> runs);
    bool isRunning() const { return m_watcher.isRunning(); }

    // A run's training badges by run name, with the series summaries they were computed from: a watched
    // folder refreshes the runs every few seconds, and only runs whose series changed are read again.
    struct CachedRun {
        std::string signature;
        std::vector<HealthBadge> badges;
    };
    using Cache = std::map<std::string, CachedRun>;

    // The scan itself, usable without threads (tests): reads the series it needs from the workspace file.
    // With a cache, runs whose summaries are unchanged are not read, and the cache is brought up to date.
    static Health compute(const QString& workspacePath, const std::vector<RunInfo>& runs,
                          const std::atomic<bool>* cancel = nullptr, Cache* cache = nullptr);

  signals:
    void finished(const runlens::ui::HealthScanner::Health& health);

  private:
    struct Result {
        Health health;
        Cache cache;
    };
    QThreadPool m_pool; // declared before m_watcher: the watcher's future ends before the pool goes
    QFutureWatcher<Result> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    Cache m_cache;
    QString m_cachePath; // the workspace the cache belongs to
};

} // namespace runlens::ui
