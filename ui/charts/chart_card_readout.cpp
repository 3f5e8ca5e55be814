// A curve card's crosshair readout: per run under the mouse, the smoothed and raw value, the logged step and
// the time into the run, nearest line first.
#include "core/analysis/axis_ticks.h"
#include "ui/charts/chart_card.h"

#include <algorithm>
#include <cmath>
#include <QDateTime>
#include <QFileInfo>

namespace runlens::ui {
namespace {

constexpr int kMaxTooltipRuns = 12; // lines listed in the readout, nearest first

// Per step of `steps`, the seconds from the series' first wall time to its point at that step; NaN where
// the series has no wall time there. Built once per prepared line, so a hover only indexes it.
std::vector<double> relativeSeconds(const SeriesData& series, const std::vector<std::int64_t>& steps) {
    std::vector<double> out(steps.size(), NAN);
    if (series.wallTimes.size() != series.steps.size()) return out;
    double first = NAN;
    for (const double w : series.wallTimes)
        if (std::isfinite(w)) {
            first = w;
            break;
        }
    if (!std::isfinite(first)) return out;
    std::vector<std::pair<std::int64_t, double>> byStep;
    byStep.reserve(series.steps.size());
    for (std::size_t i = 0; i < series.steps.size(); ++i)
        byStep.emplace_back(series.steps[i], series.wallTimes[i]);
    std::stable_sort(byStep.begin(), byStep.end(),
                     [](const auto& l, const auto& r) { return l.first < r.first; });
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto it =
            std::lower_bound(byStep.begin(), byStep.end(), steps[k],
                             [](const auto& entry, std::int64_t step) { return entry.first < step; });
        if (it != byStep.end() && it->first == steps[k]) out[k] = it->second - first;
    }
    return out;
}

// "42.0 s", "3m 20s", "2h 05m": a duration as a reader of training logs writes it.
QString durationText(double seconds) {
    if (seconds < 60) return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const auto whole = static_cast<qint64>(std::llround(seconds));
    if (whole < 3600)
        return QStringLiteral("%1m %2s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h %2m").arg(whole / 3600).arg(whole % 3600 / 60, 2, 10, QLatin1Char('0'));
}

// Index of the x nearest to value in a sorted, non-empty xs.
std::size_t nearestIndex(const std::vector<double>& xs, double value) {
    const auto it = std::lower_bound(xs.begin(), xs.end(), value);
    std::size_t index = static_cast<std::size_t>(it - xs.begin());
    if (index == xs.size() || (index > 0 && value - xs[index - 1] < xs[index] - value)) --index;
    return index;
}

QString formatValue(double value) {
    return std::isfinite(value) ? QString::number(value, 'g', 5) : QString::number(value);
}

} // namespace

QString ChartCard::tooltipAt(const QPointF& value) const {
    const double x = value.x() / xScale();
    struct Entry {
        double distance;
        QString line;
    };
    std::vector<Entry> entries;
    // The value of the line at the point nearest to x.
    const auto valueAt = [x](const std::vector<double>& xs, const std::vector<double>& ys) -> double {
        if (xs.empty() || ys.size() != xs.size()) return NAN;
        return ys[nearestIndex(xs, x)];
    };
    const auto add = [&](double y, const QColor& color, const QString& label) {
        if (!std::isfinite(y)) return;
        const QString line = QStringLiteral("<span style='color:%1'>&#9632;</span> %2: <b>%3</b>")
                                 .arg(color.name(), label.toHtmlEscaped(), QString::number(y, 'g', 5));
        entries.push_back({std::abs(y - value.y()), line});
    };
    for (const GroupCurve& group : m_groups)
        add(valueAt(group.band.x, group.band.center), group.color,
            tr("%1 (%2 runs, %3)").arg(group.name).arg(group.members.size()).arg(m_display.center));
    // Per run, the logged point nearest to x: its smoothed value (what the line shows there), raw value and
    // step. Sorted by how near the smoothed value is to the cursor, so the line under it comes first.
    const double smoothing = this->smoothing();
    Smoother smoother = Smoother::Ema;
    parseSmoother(m_display.smoother.toStdString(), smoother);
    for (std::size_t i = 0; i < m_prepared.size() && i < m_runs.size(); ++i) {
        const Prepared& prepared = m_prepared[i];
        const CurveInput& input = prepared.input;
        // A line that is not drawn (runs folded into a group's band) is not read out either.
        if (!prepared.drawn || input.x.empty() || input.y.size() != input.x.size()) continue;
        const CardRun& run = m_runs[i];
        const CurveOverview* overview = run.overview && !run.data ? run.overview.get() : nullptr;
        if (overview && smoothing > 0 && overview->smoothing == smoothing && overview->smoother == smoother &&
            !overview->smoothed.x.empty()) {
            // A line drawn from its overview: the readout names the kept point nearest the cursor, whose
            // smoothed value (made at full resolution), raw value and step are all exact.
            const CurveInput& kept = overview->smoothed;
            const std::size_t k = nearestIndex(kept.x, x);
            const double shown = std::isfinite(kept.y[k]) ? kept.y[k] : overview->smoothedRaw[k];
            QString line = QStringLiteral("<span style='color:%1'>&#9632;</span> %2: <b>%3</b>")
                               .arg(run.color.name(), run.name.toHtmlEscaped(), formatValue(shown));
            line += tr(" &nbsp;raw %1").arg(formatValue(overview->smoothedRaw[k]));
            if (k < kept.steps.size())
                line += tr(" &nbsp;step %1").arg(kept.steps[k]);
            else if (m_display.xAxis == QLatin1String("step")) // the overview's x is the step itself
                line += tr(" &nbsp;step %1").arg(std::llround(kept.x[k]));
            entries.push_back({std::isfinite(shown) ? std::abs(shown - value.y()) : INFINITY, line});
            continue;
        }
        const std::size_t k = nearestIndex(input.x, x);
        const double raw = input.y[k];
        double smoothed = raw;
        if (smoothing > 0) {
            if (prepared.hoverSmoothed.size() != input.y.size())
                prepared.hoverSmoothed = smooth(smoother, input.x, input.y, smoothing);
            if (k < prepared.hoverSmoothed.size()) smoothed = prepared.hoverSmoothed[k];
        }
        const double shown = std::isfinite(smoothed) ? smoothed : raw;
        QString line = QStringLiteral("<span style='color:%1'>&#9632;</span> %2: <b>%3</b>")
                           .arg(m_runs[i].color.name(), m_runs[i].name.toHtmlEscaped(), formatValue(shown));
        if (smoothing > 0) line += tr(" &nbsp;raw %1").arg(formatValue(raw));
        if (k < input.steps.size()) {
            line += tr(" &nbsp;step %1").arg(input.steps[k]);
            if (prepared.hoverRelative.size() != input.steps.size())
                prepared.hoverRelative =
                    m_runs[i].data ? relativeSeconds(*m_runs[i].data, input.steps) : std::vector<double>{};
            const double relative = k < prepared.hoverRelative.size() ? prepared.hoverRelative[k] : NAN;
            if (std::isfinite(relative) && relative >= 0)
                line += tr(" &nbsp;%1 in").arg(durationText(relative));
        }
        entries.push_back({std::isfinite(shown) ? std::abs(shown - value.y()) : INFINITY, line});
    }
    if (entries.empty()) return {};
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.distance < b.distance; });
    QString head;
    if (m_display.xAxis == QLatin1String("wall"))
        head = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(value.x()))
                   .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
    else if (!xMetric().isEmpty())
        head = QStringLiteral("%1 %2").arg(xMetric().toHtmlEscaped(), QString::number(x, 'g', 6));
    else if (m_display.xAxis == QLatin1String("relative"))
        head = tr("%1 s").arg(QString::number(x, 'f', 1));
    else
        head = tr("step %1").arg(QString::number(std::llround(x)));
    QString text = QStringLiteral("<b>%1</b> — %2").arg(m_tag.toHtmlEscaped(), head);
    for (std::size_t i = 0; i < entries.size() && i < kMaxTooltipRuns; ++i)
        text += QStringLiteral("<br>") + entries[i].line;
    if (entries.size() > kMaxTooltipRuns) text += tr("<br>… %1 more").arg(entries.size() - kMaxTooltipRuns);
    return text;
}

} // namespace runlens::ui
