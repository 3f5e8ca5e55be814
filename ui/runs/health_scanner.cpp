// Reads the loss- and accuracy-like series of each run (and any with NaN/Inf) and diagnoses them off the GUI
// thread.
#include "ui/runs/health_scanner.h"

#include "core/model/tag_names.h"
#include "core/store/workspace.h"

#include <exception>
#include <QtConcurrent/QtConcurrentRun>
#include <QThread>

namespace runlens::ui {

HealthScanner::HealthScanner(QObject* parent) : QObject(parent) {
    // Badges can wait: on its own idle-priority thread the scan takes no core from the Curves cards being
    // read and drawn when a workspace opens (issue 19), nor a slot of the shared pool they use.
    m_pool.setMaxThreadCount(1);
    m_pool.setThreadPriority(QThread::IdlePriority);
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, [this] {
        if (m_watcher.isCanceled() || (m_cancel && m_cancel->load())) return;
        Result result = m_watcher.result();
        m_cache = std::move(result.cache);
        emit finished(result.health);
    });
}

HealthScanner::~HealthScanner() {
    if (m_cancel) m_cancel->store(true);
    m_watcher.waitForFinished();
}

void HealthScanner::scan(const QString& workspacePath, std::vector<RunInfo> runs) {
    if (m_cancel) m_cancel->store(true);
    m_watcher.waitForFinished(); // cancelled: returns at the next run boundary
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    if (workspacePath.isEmpty() || runs.empty()) {
        emit finished({});
        return;
    }
    if (workspacePath != m_cachePath) m_cache.clear();
    m_cachePath = workspacePath;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [path = workspacePath, runs = std::move(runs),
                                                    cancel = m_cancel, cache = m_cache]() mutable {
        Result result;
        result.health = compute(path, runs, cancel.get(), &cache);
        result.cache = std::move(cache);
        return result;
    }));
}

namespace {

// What a run's badges depend on: every series' tag, length, last step and non-finite count.
std::string signatureOf(const RunInfo& run) {
    std::string signature;
    for (const SeriesSummary& summary : run.series)
        signature += summary.tag + '\x1f' + std::to_string(summary.points) + '\x1f' +
                     std::to_string(summary.lastStep) + '\x1f' + std::to_string(summary.nonFinite) + '\x1e';
    return signature;
}

} // namespace

HealthScanner::Health HealthScanner::compute(const QString& workspacePath, const std::vector<RunInfo>& runs,
                                             const std::atomic<bool>* cancel, Cache* cache) {
    Health health;
    // Opened when the first run needs reading: with a warm cache an unchanged workspace is not touched.
    std::unique_ptr<Workspace> workspace;
    bool openFailed = false;
    const auto openWorkspace = [&]() -> Workspace* {
        if (!workspace && !openFailed) {
            try {
                workspace = Workspace::open(workspacePath.toStdString(), Workspace::Mode::ReadOnly);
                // Each series is read once; a full page cache would hold up to 64 MB for nothing.
                workspace->setPageCacheKib(2048);
            } catch (const std::exception&) {
                openFailed = true; // the window reports workspace problems; the column just stays empty
            }
        }
        return workspace.get();
    };
    std::int64_t pointsRead = 0;
    for (const RunInfo& run : runs) {
        if (cancel && cancel->load()) return {};
        const std::string signature = cache ? signatureOf(run) : std::string();
        if (cache) {
            const auto known = cache->find(run.name);
            if (known != cache->end() && known->second.signature == signature) {
                if (!known->second.badges.empty()) health[run.id] = known->second.badges;
                continue;
            }
        }
        std::map<std::string, SeriesData> seriesByTag;
        Workspace* source = openWorkspace();
        if (!source) continue;
        for (const SeriesSummary& summary : run.series) {
            const bool judged = lowerIsBetter(foldWorkerTag(summary.tag)).has_value();
            if (!judged && summary.nonFinite == 0) continue;
            if (pointsRead + summary.points > kMaxPointsRead) continue;
            try {
                seriesByTag.emplace(summary.tag, source->readSeries(run.id, summary.tag));
                pointsRead += summary.points;
            } catch (const std::exception&) {
                continue; // a damaged series is left out of the diagnosis, not the whole run
            }
        }
        std::vector<HealthBadge> badges = diagnoseRun(seriesByTag);
        if (cache) (*cache)[run.name] = {signature, badges};
        if (!badges.empty()) health[run.id] = std::move(badges);
    }

    // The noise floor: final values of the metric most runs are compared by, for runs differing only by seed.
    std::map<std::string, int> votes;
    for (const RunInfo& run : runs) {
        std::vector<std::string> tags;
        for (const SeriesSummary& summary : run.series)
            tags.push_back(summary.tag);
        if (const std::string metric = primaryMetric(tags); !metric.empty()) ++votes[metric];
    }
    std::string metric;
    int best = 0;
    for (const auto& [tag, count] : votes)
        if (count > best) std::tie(metric, best) = std::tie(tag, count);
    if (metric.empty()) return health;
    std::vector<RunOutcome> outcomes;
    for (const RunInfo& run : runs) {
        double last = kNaN;
        for (const SeriesSummary& summary : run.series)
            if (summary.tag == metric) last = summary.last;
        outcomes.push_back({run.name, run.params, last});
    }
    for (const auto& [index, badge] : seedSpreadBadges(outcomes, metric))
        health[runs[index].id].push_back(badge);
    return health;
}

} // namespace runlens::ui
