// Curves tab, the lines each card draws: the series a card's tags name in every visible run, grouped,
// styled, split at restarts and marked with health badges, read through a cache that leaves damaged series
// out (split from curves_view.cpp, which builds and lays out the cards).
#include "core/analysis/curve_diagnostics.h"
#include "core/analysis/curve_prep.h"
#include "core/io/wandb_csv_reader.h"
#include "core/model/tag_names.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/chart_export.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <QLabel>
#include <QRegularExpression>
#include <set>

namespace runlens::ui {

namespace {

// Solid for training (or unmarked) tags, dashed for validation, dotted for test, so the same style means the
// same split on every card.
int splitStyleIndex(const QString& tag) {
    switch (splitOf(tag.toStdString())) {
    case Split::Validation:
        return 1;
    case Split::Test:
        return 2;
    default:
        return 0;
    }
}

} // namespace

QString CurvesView::cardKeyOf(const QString& tag, bool combineTags) {
    const std::string base = foldWorkerTag(tag.toStdString());
    return QString::fromStdString(combineTags ? stripSplit(base) : base);
}

bool CurvesView::isSystemMetric(const QString& tag) {
    return runlens::isSystemMetric(tag.toStdString());
}

int CurvesView::workerOfTag(const QString& tag) {
    int worker = -1;
    foldWorkerTag(tag.toStdString(), &worker);
    return worker;
}

std::shared_ptr<const SeriesData> CurvesView::series(std::int64_t runId, const std::string& tag) {
    auto cached = m_cache.find({runId, tag});
    if (cached != m_cache.end()) return cached->second;
    try {
        auto data = std::make_shared<const SeriesData>(m_workspace->readSeries(runId, tag));
        return m_cache.emplace(std::make_pair(runId, tag), std::move(data)).first->second;
    } catch (const std::exception& e) {
        // The run is left out of this card rather than failing the view, and the notice says so; the failed
        // read is cached so a redraw does not read the damaged chunks again.
        noteUnreadable(runId, tag, e.what());
        return m_cache.emplace(std::make_pair(runId, tag), nullptr).first->second;
    }
}

void CurvesView::noteUnreadable(std::int64_t runId, const std::string& tag, const char* error) {
    QString runName = QString::number(runId);
    if (const auto run = m_workspace->run(runId)) runName = QString::fromStdString(run->name);
    m_unreadable
        << QStringLiteral("%1: %2: %3").arg(runName, QString::fromStdString(tag), QString::fromUtf8(error));
    QMetaObject::invokeMethod(this, &CurvesView::updateDamageNotice, Qt::QueuedConnection);
}

void CurvesView::updateDamageNotice() {
    if (m_unreadable.isEmpty()) {
        m_damageNotice->hide();
        return;
    }
    constexpr qsizetype kListed = 3;
    const QString text0 =
        m_unreadable.size() == 1
            ? tr("1 series could not be read and is left out of its chart")
            : tr("%1 series could not be read and are left out of their charts").arg(m_unreadable.size());
    QString text = text0 + tr(" (the workspace is damaged; importing the logs again rebuilds it):");
    for (qsizetype i = 0; i < std::min(kListed, m_unreadable.size()); ++i)
        text += QStringLiteral("\n• ") + m_unreadable[i];
    if (m_unreadable.size() > kListed) text += tr("\n… and %1 more").arg(m_unreadable.size() - kListed);
    m_damageNotice->setText(text);
    m_damageNotice->setToolTip(m_unreadable.join(QLatin1Char('\n')));
    m_damageNotice->show();
}

QString CurvesView::groupKeyOf(const RunInfo& run) const {
    const QString& by = m_display.groupBy;
    if (by.isEmpty()) return {};
    if (by.startsWith(QStringLiteral("re:"))) {
        const QRegularExpression pattern(by.mid(3));
        const QString name = QString::fromStdString(run.name);
        const auto match = pattern.isValid() ? pattern.match(name) : QRegularExpressionMatch();
        if (!match.hasMatch()) return name; // a run the pattern does not describe stays on its own
        return match.lastCapturedIndex() >= 1 ? match.captured(1) : match.captured(0);
    }
    const std::string key = by.toStdString();
    for (const auto& [name, value] : run.params)
        if (name == key) return QStringLiteral("%1=%2").arg(by, QString::fromStdString(value));
    return QStringLiteral("%1 not set").arg(by);
}

std::vector<CardRun> CurvesView::runsForTag(const QString& cardKey, Read read) {
    std::vector<CardRun> out;
    if (!m_workspace) return out;
    // A card of many lines draws overviews; its exports and zoomed views read every point, uncached, so
    // that only the card asking holds them and only while it needs them.
    const bool overviews = usesOverviews(cardKey);
    const OverviewParams params = overviews ? overviewParams(cardKey) : OverviewParams{};
    if (cardKey == kStepsPerSecond || cardKey == kSamplesPerSecond)
        return speedLines(cardKey == kSamplesPerSecond);
    const auto tagsIt = m_cardTags.find(cardKey);
    if (tagsIt == m_cardTags.end()) return out;
    const QStringList& tags = tagsIt->second;
    // Overlaid tags (after folding workers) are told apart by dash style, in the order they are listed.
    QStringList baseTags;
    for (const QString& tag : tags) {
        const QString base = cardKeyOf(tag, false);
        if (!baseTags.contains(base)) baseTags << base;
    }
    static const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    const QString xMetric =
        m_display.xAxis.startsWith(QStringLiteral("metric:")) ? m_display.xAxis.mid(7) : QString();
    for (const RunInfo* run : m_runs->visibleRuns()) {
        const QString runName = QString::fromStdString(run->name);
        const QString groupKey = groupKeyOf(*run);
        const auto xData = xMetric.isEmpty() ? nullptr : series(run->id, xMetric.toStdString());
        for (const QString& tag : tags) {
            const std::string key = tag.toStdString();
            const bool hasTag = std::any_of(run->series.begin(), run->series.end(),
                                            [&](const SeriesSummary& summary) { return summary.tag == key; });
            if (!hasTag) continue;
            std::shared_ptr<const SeriesData> data;
            std::shared_ptr<const CurveOverview> lineOverview;
            if (overviews && read == Read::Display) {
                lineOverview = overview(run->id, key, params);
                if (!lineOverview) continue;
            } else if (overviews) {
                data = std::make_shared<const SeriesData>(readUncached(run->id, key));
            } else {
                data = series(run->id, key);
                if (!data) continue;
            }
            const QString base = cardKeyOf(tag, false);
            const auto styleIndex = static_cast<std::size_t>(splitStyleIndex(base));
            const QString tagSuffix = baseTags.size() > 1 ? QStringLiteral(" · ") + base : QString();
            CardRun line;
            line.name = runName + tagSuffix;
            line.color = groupKey.isEmpty() ? m_runs->colorOf(run->id) : m_groupColors[groupKey];
            line.tag = tag;
            if (findSeries(*run, wandbBandTag(key, false)) && findSeries(*run, wandbBandTag(key, true))) {
                line.bandLower = series(run->id, wandbBandTag(key, false));
                line.bandUpper = series(run->id, wandbBandTag(key, true));
            }
            line.style = styles[styleIndex % 4];
            line.xData = xData;
            line.group = groupKey.isEmpty() ? QString() : groupKey + tagSuffix;
            for (const HealthBadge& badge : m_runs->healthOf(run->id)) {
                if (badge.tag != key) continue;
                if (badge.kind == HealthBadge::Kind::Diverging)
                    line.marks.emplace_back(badge.step, QStringLiteral("↗"));
                if (badge.kind == HealthBadge::Kind::Overfitting)
                    line.marks.emplace_back(badge.step, QStringLiteral("◆"));
            }
            const int worker = workerOfTag(tag);
            if (worker >= 0) {
                // A distributed run: its workers are one line with their spread unless the run is expanded
                // in the run table, where each ticked worker is a line in its own colour.
                line.name = QStringLiteral("%1 · worker %2").arg(runName).arg(worker) + tagSuffix;
                if (m_runs->isExpanded(run->id)) {
                    if (!m_runs->isWorkerVisible(run->id, worker)) continue;
                    if (groupKey.isEmpty()) line.color = m_runs->workerColor(run->id, worker);
                } else if (line.group.isEmpty()) {
                    line.group = runName + tagSuffix;
                }
            }
            if (lineOverview) {
                line.overview = std::move(lineOverview);
                out.push_back(std::move(line));
                continue;
            }
            if (!m_display.splitRestarts) {
                line.data = std::move(data);
                out.push_back(std::move(line));
                continue;
            }
            std::vector<SeriesData> pieces = splitAtRestarts(*data);
            for (std::size_t p = 0; p < pieces.size(); ++p) {
                CardRun piece = line;
                if (pieces.size() > 1 && p > 0) piece.name += tr(" (restart %1)").arg(p);
                piece.data = std::make_shared<const SeriesData>(std::move(pieces[p]));
                out.push_back(std::move(piece));
            }
        }
    }
    return out;
}

std::vector<CardRun> CurvesView::speedLines(bool samples) {
    std::vector<CardRun> out;
    for (const RunInfo* run : m_runs->visibleRuns()) {
        const std::optional<double> batch = batchSizeFromParams(run->params);
        if (samples && !batch) continue;
        // The series logged most often with wall times carries the best speed estimate.
        const SeriesSummary* best = nullptr;
        for (const SeriesSummary& summary : run->series)
            if (std::isfinite(summary.firstWallTime) && summary.lastWallTime > summary.firstWallTime &&
                (!best || summary.points > best->points))
                best = &summary;
        if (!best) continue;
        const auto data = series(run->id, best->tag);
        if (!data) continue;
        auto rate = std::make_shared<const SeriesData>(throughputSeries(*data, samples ? *batch : 1.0));
        if (rate->empty()) continue;
        CardRun line;
        line.name = QString::fromStdString(run->name);
        line.color = m_runs->colorOf(run->id);
        line.tag = samples ? kSamplesPerSecond : kStepsPerSecond;
        line.group = groupKeyOf(*run);
        if (!line.group.isEmpty()) line.color = m_groupColors[line.group];
        line.data = std::move(rate);
        out.push_back(std::move(line));
    }
    return out;
}

void CurvesView::updateGroupColors() {
    // By sorted group name, so a group keeps its colour in every card.
    m_groupColors.clear();
    std::set<QString> groups;
    for (const RunInfo* run : m_runs->visibleRuns())
        if (const QString key = groupKeyOf(*run); !key.isEmpty()) groups.insert(key);
    int colorIndex = 0;
    for (const QString& group : groups)
        m_groupColors[group] = runColor(colorIndex++);
}

} // namespace runlens::ui
