// Reads the loss- and accuracy-like series of each run (and any with NaN/Inf) and diagnoses them off the GUI thread.
#include "ui/health_scanner.h"

#include "core/model/tag_names.h"
#include "core/store/workspace.h"

#include <exception>
#include <QtConcurrent/QtConcurrentRun>

namespace runlens::ui {

HealthScanner::HealthScanner(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<Health>::finished, this, [this] {
        if (m_watcher.isCanceled() || (m_cancel && m_cancel->load())) return;
        emit finished(m_watcher.result());
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
    m_watcher.setFuture(QtConcurrent::run([path = workspacePath, runs = std::move(runs), cancel = m_cancel] {
        return compute(path, runs, cancel.get());
    }));
}

HealthScanner::Health HealthScanner::compute(const QString& workspacePath, const std::vector<RunInfo>& runs,
                                             const std::atomic<bool>* cancel) {
    Health health;
    std::unique_ptr<Workspace> workspace;
    try {
        workspace = Workspace::open(workspacePath.toStdString(), Workspace::Mode::ReadOnly);
    } catch (const std::exception&) {
        return health; // the window reports workspace problems; the health column just stays empty
    }
    std::int64_t pointsRead = 0;
    for (const RunInfo& run : runs) {
        if (cancel && cancel->load()) return {};
        std::map<std::string, SeriesData> seriesByTag;
        for (const SeriesSummary& summary : run.series) {
            const bool judged = lowerIsBetter(foldWorkerTag(summary.tag)).has_value();
            if (!judged && summary.nonFinite == 0) continue;
            if (pointsRead + summary.points > kMaxPointsRead) continue;
            try {
                seriesByTag.emplace(summary.tag, workspace->readSeries(run.id, summary.tag));
                pointsRead += summary.points;
            } catch (const std::exception&) {
                continue; // a damaged series is left out of the diagnosis, not the whole run
            }
        }
        std::vector<HealthBadge> badges = diagnoseRun(seriesByTag);
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
