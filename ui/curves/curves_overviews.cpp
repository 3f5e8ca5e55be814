// Curves tab, the background reads: which cards draw per-column overviews of the store's chunks, reading
// them off the GUI thread on the window's cores, and the cache the cards read from (split from
// curves_view.cpp, which builds and lays out the cards).
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <exception>
#include <QtConcurrent/QtConcurrentRun>
#include <QThread>
#include <set>

namespace runlens::ui {

bool CurvesView::usesOverviews(const QString& cardKey) const {
    if (!m_workspace || cardKey == kStepsPerSecond || cardKey == kSamplesPerSecond) return false;
    // Groups average their members' points and restarts split them: both need every point. So does an x
    // that is another metric.
    if (!m_display.groupBy.isEmpty() || m_display.splitRestarts ||
        m_display.xAxis.startsWith(QStringLiteral("metric:")))
        return false;
    const auto tagsIt = m_cardTags.find(cardKey);
    if (tagsIt == m_cardTags.end()) return false;
    std::set<std::string> tags;
    for (const QString& tag : tagsIt->second) {
        if (workerOfTag(tag) >= 0) return false; // a run's workers are drawn as one band
        tags.insert(tag.toStdString());
    }
    int lines = 0;
    for (const RunInfo* run : m_runs->visibleRuns())
        for (const SeriesSummary& summary : run->series)
            if (tags.count(summary.tag) && ++lines > kOverviewLines) return true;
    return false;
}

CurvesView::OverviewParams CurvesView::overviewParams(const QString& cardKey) const {
    OverviewParams params;
    parseXAxis(m_display.xAxis.toStdString(), params.axis);
    parseSmoother(m_display.smoother.toStdString(), params.smoother);
    const ChartCard* card = cardOf(cardKey);
    params.smoothing = card ? card->effectiveSmoothing() : std::clamp(m_display.smoothing, 0.0, 0.999);
    // One bucket per pixel column of the card's plot, to a multiple of 64 so a small resize keeps the cached
    // overviews. Before its first build a card knows only its own width: the axis labels take about 80 px.
    int pixels = 1000;
    if (card)
        pixels = card->isBuilt()
                     ? card->plotWidthPixels()
                     : card->plotWidthPixels() * (card->width() - 80) / std::max(1, card->width());
    params.buckets = std::max(64, (pixels + 32) / 64 * 64);
    return params;
}

std::vector<CurvesView::SeriesKey> CurvesView::seriesOfCard(const QString& cardKey) const {
    std::vector<SeriesKey> out;
    const auto tagsIt = m_cardTags.find(cardKey);
    if (tagsIt == m_cardTags.end()) return out;
    for (const RunInfo* run : m_runs->visibleRuns())
        for (const QString& tag : tagsIt->second) {
            const std::string key = tag.toStdString();
            if (findSeries(*run, key)) out.emplace_back(run->id, key);
        }
    return out;
}

std::shared_ptr<const CurveOverview> CurvesView::overview(std::int64_t runId, const std::string& tag,
                                                          const OverviewParams& params) {
    const auto it = m_overviews.find({runId, tag});
    if (it != m_overviews.end() && it->second.params.serves(params)) {
        it->second.lastUse = ++m_useClock;
        return it->second.overview;
    }
    // Not read in the background (a card drawn outside refreshVisibleCards, e.g. a zoom reset after the
    // cache let it go): read it here, through the window's connection.
    std::shared_ptr<const CurveOverview> result;
    try {
        const SeriesData data = m_workspace->readSeries(runId, tag);
        result = std::make_shared<const CurveOverview>(
            curveOverview(curveInput(data, params.axis), params.smoother, params.smoothing, params.buckets));
    } catch (const std::exception& e) {
        noteUnreadable(runId, tag, e.what());
    }
    storeOverview({runId, tag}, params, result);
    return result;
}

void CurvesView::storeOverview(const SeriesKey& key, const OverviewParams& params,
                               std::shared_ptr<const CurveOverview> overview) {
    auto& entry = m_overviews[key];
    if (entry.overview) m_overviewPoints -= entry.overview->keptPoints();
    entry.params = params;
    entry.overview = std::move(overview);
    entry.lastUse = ++m_useClock;
    if (entry.overview) m_overviewPoints += entry.overview->keptPoints();
    if (m_overviewPoints <= kOverviewBudgetPoints) return;
    // Over budget: drop the least recently used overviews (cards that drew them keep their own copy).
    std::vector<std::pair<std::uint64_t, SeriesKey>> byUse;
    for (const auto& [k, e] : m_overviews)
        byUse.emplace_back(e.lastUse, k);
    std::sort(byUse.begin(), byUse.end());
    for (const auto& [use, k] : byUse) {
        if (m_overviewPoints <= kOverviewBudgetPoints * 3 / 4) break;
        const auto it = m_overviews.find(k);
        if (it->second.overview) m_overviewPoints -= it->second.overview->keptPoints();
        m_overviews.erase(it);
    }
}

bool CurvesView::overviewsReady(const QString& cardKey) {
    const OverviewParams params = overviewParams(cardKey);
    for (const SeriesKey& key : seriesOfCard(cardKey)) {
        const auto it = m_overviews.find(key);
        if (it != m_overviews.end() && it->second.params.serves(params)) continue;
        bool reading = false;
        for (OverviewRead& read : m_reads) {
            if (read.cardKey != cardKey) continue;
            if (read.params.serves(params))
                reading = true;
            else
                read.cancel->store(true); // made for a display that is gone (the slider moved on)
        }
        if (!reading && !m_readQueue.contains(cardKey)) m_readQueue << cardKey;
        return false;
    }
    return true;
}

void CurvesView::startOverviewReads() {
    if (!m_workspace) return;
    // One card at a time, its series split over the cores (two at most, each read on its own connection):
    // the first card then paints in half the time instead of every card together at the end.
    const int parallel = std::clamp(QThread::idealThreadCount(), 1, 2);
    while (m_reads.empty() && !m_readQueue.isEmpty()) {
        const QString cardKey = m_readQueue.takeFirst();
        ChartCard* card = cardOf(cardKey);
        if (!card || !isOnScreen(card) || !usesOverviews(cardKey)) continue; // scrolled away meanwhile
        const OverviewParams params = overviewParams(cardKey);
        std::vector<SeriesKey> missing;
        for (const SeriesKey& key : seriesOfCard(cardKey)) {
            const auto it = m_overviews.find(key);
            if (it == m_overviews.end() || !it->second.params.serves(params)) missing.push_back(key);
        }
        // Interleaved, so both parts get runs of every size.
        const std::size_t parts = missing.size() < 8 ? 1 : static_cast<std::size_t>(parallel);
        std::vector<std::vector<SeriesKey>> shares(parts);
        for (std::size_t i = 0; i < missing.size(); ++i)
            shares[i % parts].push_back(std::move(missing[i]));
        for (std::vector<SeriesKey>& share : shares) {
            OverviewRead read;
            read.cardKey = cardKey;
            read.generation = m_generation;
            read.params = params;
            read.cancel = std::make_shared<std::atomic<bool>>(false);
            read.watcher = new QFutureWatcher<OverviewBatch>(this);
            const OverviewRead copy = read;
            connect(read.watcher, &QFutureWatcherBase::finished, this,
                    [this, copy] { onOverviewsRead(copy); });
            // Captured by value: the read never touches the view or its workspace connection, so a workspace
            // closed meanwhile cannot be used after it is freed.
            read.watcher->setFuture(QtConcurrent::run(
                [path = QString::fromStdString(m_workspace->path().string()), share = std::move(share),
                 params, cancel = read.cancel] { return readOverviews(path, share, params, *cancel); }));
            m_reads.push_back(std::move(read));
        }
    }
}

void CurvesView::onOverviewsRead(OverviewRead read) {
    const auto it = std::find_if(m_reads.begin(), m_reads.end(),
                                 [&](const OverviewRead& r) { return r.watcher == read.watcher; });
    if (it != m_reads.end()) m_reads.erase(it);
    read.watcher->deleteLater();
    const bool stale = read.cancel->load() || read.generation != m_generation || !m_workspace;
    if (!stale) {
        OverviewBatch batch = read.watcher->result();
        for (auto& [key, overview] : batch.overviews)
            storeOverview(key, read.params, std::move(overview));
        if (!batch.errors.isEmpty()) {
            m_unreadable << batch.errors;
            updateDamageNotice();
        }
        // A file the read could not open is read through the window's connection instead (the card's
        // provider falls back to it) rather than queued again and again. A card read in parts waits for
        // its last part.
        const bool partsLeft = std::any_of(m_reads.begin(), m_reads.end(),
                                           [&](const OverviewRead& r) { return r.cardKey == read.cardKey; });
        ChartCard* card = cardOf(read.cardKey);
        if (!partsLeft && card && isOnScreen(card) && card->needsRefresh() &&
            (!batch.opened || overviewsReady(read.cardKey)))
            card->refreshIfNeeded();
    }
    scheduleVisibleRefresh(); // the next cards, and any that changed while this one was read
}

void CurvesView::cancelOverviewReads() {
    for (OverviewRead& read : m_reads) {
        read.cancel->store(true);
        read.watcher->waitForFinished(); // returns at the next series: the read checks the flag per series
        read.watcher->disconnect(this);
        read.watcher->deleteLater();
    }
    m_reads.clear();
    m_readQueue.clear();
}

CurvesView::OverviewBatch CurvesView::readOverviews(const QString& path, const std::vector<SeriesKey>& series,
                                                    const OverviewParams& params,
                                                    const std::atomic<bool>& cancel) {
    OverviewBatch batch;
    std::unique_ptr<Workspace> workspace;
    try {
        workspace = Workspace::open(path.toStdString(), Workspace::Mode::ReadOnly);
        workspace->setPageCacheKib(2048); // each chunk is read once: cached pages would only be held
    } catch (const std::exception&) {
        return batch; // the caller reads through its own connection, or the window reports the file
    }
    batch.opened = true;
    // The series' points live only in these buffers, reused from one series to the next: what is kept is
    // the overview.
    SeriesData data;
    CurveInput input;
    for (const auto& [runId, tag] : series) {
        if (cancel.load()) return {};
        try {
            workspace->readSeriesInto(runId, tag, data);
            curveInputInto(data, params.axis, input);
            batch.overviews.push_back({{runId, tag},
                                       std::make_shared<const CurveOverview>(curveOverview(
                                           input, params.smoother, params.smoothing, params.buckets))});
        } catch (const std::exception& e) {
            QString runName = QString::number(runId);
            if (const auto run = workspace->run(runId)) runName = QString::fromStdString(run->name);
            batch.overviews.push_back({{runId, tag}, nullptr});
            batch.errors << QStringLiteral("%1: %2: %3")
                                .arg(runName, QString::fromStdString(tag), QString::fromUtf8(e.what()));
        }
    }
#ifdef __GLIBC__
    // The series were read one after another into buffers freed between the overviews kept: give those
    // pages back, or the heap keeps a card's worth of points it no longer uses.
    malloc_trim(0);
#endif
    return batch;
}

SeriesData CurvesView::readUncached(std::int64_t runId, const std::string& tag) {
    const auto cached = m_cache.find({runId, tag});
    if (cached != m_cache.end() && cached->second) return *cached->second;
    try {
        return m_workspace->readSeries(runId, tag);
    } catch (const std::exception&) {
        return {}; // the card's overview of this series already carries the damage notice
    }
}

} // namespace runlens::ui
