// A curve card's layer content: the runs' raw and smoothed lines, own and group bands, point and diagnostic
// marks, and the key of groups and overlaid tags (split from chart_card.cpp, which builds the chart and
// prepares each line's points for the view).
#include "core/model/tag_names.h"
#include "ui/charts/chart_card.h"

#include <algorithm>
#include <cmath>

namespace runlens::ui {

namespace {

std::vector<QPointF> chartPoints(const std::vector<double>& xs, const std::vector<double>& ys,
                                 double xScale) {
    std::vector<QPointF> points;
    const std::size_t n = std::min(xs.size(), ys.size());
    points.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        points.emplace_back(xs[i] * xScale, ys[i]);
    return points;
}

} // namespace

void ChartCard::pushToLayer() {
    if (!m_layer) return;
    const double scale = xScale();
    const bool manyLines = m_runs.size() > 8;
    std::vector<CurveLayer::Band> bands;
    std::vector<CurveLayer::Line> lines;
    std::vector<CurveLayer::Mark> marks;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const BandLines& own = m_prepared[i].ownBand;
        if (own.x.empty() || drawnOnlyInGroup(i)) continue;
        // The view's part with one point beyond each edge, thinned to about two points per pixel column.
        std::size_t lo = 0, hi = own.x.size();
        if (m_rawX0)
            lo = static_cast<std::size_t>(std::max<std::ptrdiff_t>(
                0, std::lower_bound(own.x.begin(), own.x.end(), *m_rawX0) - own.x.begin() - 1));
        if (m_rawX1)
            hi = std::min(own.x.size(),
                          static_cast<std::size_t>(std::upper_bound(own.x.begin(), own.x.end(), *m_rawX1) -
                                                   own.x.begin()) +
                              1);
        const std::size_t stride = std::max<std::size_t>(1, (hi - lo) / std::max(1, 2 * m_lastPixels));
        CurveLayer::Band band;
        band.fill = m_runs[i].color;
        band.fill.setAlpha(45);
        for (std::size_t k = lo; k < hi; k += stride) {
            band.upper.emplace_back(own.x[k] * scale, own.upper[k]);
            band.lower.emplace_back(own.x[k] * scale, own.lower[k]);
        }
        bands.push_back(std::move(band));
    }
    for (const GroupCurve& group : m_groups) {
        QColor fill = group.color;
        fill.setAlpha(60);
        bands.push_back({fill, chartPoints(group.band.x, group.band.upper, scale),
                         chartPoints(group.band.x, group.band.lower, scale)});
    }
    // Faint raw lines first, member lines next, smoothed and group lines on top.
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_prepared[i].raw.size() == 0) continue;
        QColor faint = m_runs[i].color;
        faint.setAlpha(70);
        lines.push_back({m_runs[i].name + tr(" (raw)"), faint, 1.0, m_runs[i].style,
                         chartPoints(m_prepared[i].raw.x, m_prepared[i].raw.y, scale)});
    }
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_prepared[i].smoothed.size() == 0) continue;
        QColor color = m_runs[i].color;
        const bool member = !m_runs[i].group.isEmpty();
        if (member) color.setAlpha(110);
        // Wide strokes cost far more than cosmetic one-pixel lines; many lines are clearer thin anyway.
        const qreal width = member || manyLines ? 1.0 : 1.8;
        lines.push_back({m_runs[i].name, color, width, m_runs[i].style,
                         chartPoints(m_prepared[i].smoothed.x, m_prepared[i].smoothed.y, scale)});
    }
    for (const GroupCurve& group : m_groups)
        lines.push_back(
            {group.name, group.color, 2.2, group.style, chartPoints(group.band.x, group.band.center, scale)});
    // A value logged once draws no line, and a learning curve's folds are points: both get a marker per
    // point.
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const XYPoints& line = m_prepared[i].smoothed;
        if (line.size() == 1 || (drawsUnsmoothed() && line.size() <= kMaxPointMarkers))
            for (std::size_t k = 0; k < line.size(); ++k)
                marks.push_back(
                    {m_runs[i].color, QPointF(line.x[k] * scale, line.y[k]), QString() /* the dot alone */});
    }
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (const auto onset = m_prepared[i].nonFiniteFrom)
            marks.push_back({m_runs[i].color, QPointF(*onset * scale, NAN), QStringLiteral("✕")});
        // Diagnostic marks sit on the drawn line at their step (only meaningful when x is the step).
        const XYPoints& line = m_prepared[i].smoothed;
        if (m_display.xAxis != QLatin1String("step") || line.size() == 0) continue;
        for (const auto& [step, symbol] : m_runs[i].marks) {
            const auto it = std::lower_bound(line.x.begin(), line.x.end(), static_cast<double>(step));
            if (it == line.x.end()) continue;
            const double y = line.y[static_cast<std::size_t>(it - line.x.begin())];
            marks.push_back({m_runs[i].color, QPointF(static_cast<double>(step), y), symbol});
        }
    }
    m_layer->setContent(std::move(bands), std::move(lines), std::move(marks));
    m_layer->setLegend(legendEntries());
}

std::vector<CurveLayer::LegendEntry> ChartCard::legendEntries() const {
    // The run table is the legend of plain runs; groups and overlaid tags need their own key.
    std::vector<CurveLayer::LegendEntry> entries;
    QStringList tags;
    std::vector<Qt::PenStyle> styles;
    for (const CardRun& run : m_runs) {
        const QString base = QString::fromStdString(foldWorkerTag(run.tag.toStdString()));
        if (!tags.contains(base)) {
            tags << base;
            styles.push_back(run.style);
        }
    }
    const QPalette pal = palette();
    if (tags.size() > 1)
        for (qsizetype i = 0; i < tags.size(); ++i)
            entries.push_back({pal.color(QPalette::Text), styles[static_cast<std::size_t>(i)], tags[i]});
    for (const GroupCurve& group : m_groups) {
        if (group.style != Qt::SolidLine && tags.size() > 1) continue; // one entry per group, not per tag
        QString name = group.name;
        if (tags.size() > 1) name = name.section(QStringLiteral(" · "), 0, 0);
        entries.push_back({group.color, Qt::SolidLine, tr("%1 (%2)").arg(name).arg(group.members.size())});
    }
    return entries;
}

std::vector<QPointF> ChartCard::drawnLine(const QString& name) const {
    if (!m_layer) return {};
    const CurveLayer::Line* line = m_layer->findLine(name);
    return line ? line->points : std::vector<QPointF>{};
}

std::size_t ChartCard::drawnPointCount() const {
    return m_layer ? m_layer->pointCount() : 0;
}

} // namespace runlens::ui
