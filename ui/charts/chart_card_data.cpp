// A curve card's data per line: each run's curve input (against steps, time or another metric; full points
// or an overview), its own min/max band, and the groups' centre lines and bands (split from chart_card.cpp,
// which builds the chart and prepares each line's points for the view).
#include "ui/charts/chart_card.h"

#include <algorithm>
#include <cmath>
#include <QtConcurrent/QtConcurrentMap>

namespace runlens::ui {
namespace {

// Where a line's values first become NaN or infinite after finite ones: the mark shows when training broke.
std::optional<double> nonFiniteOnset(const CurveInput& input) {
    bool sawFinite = false;
    for (std::size_t i = 0; i < input.y.size(); ++i) {
        if (std::isfinite(input.y[i]))
            sawFinite = true;
        else if (sawFinite)
            return input.x[i];
    }
    return std::nullopt;
}

} // namespace

void ChartCard::prepareInputs() {
    m_prepared.assign(m_runs.size(), Prepared{});
    QtConcurrent::blockingMap(m_prepared, [&](Prepared& prepared) {
        const auto i = static_cast<std::size_t>(&prepared - m_prepared.data());
        prepared.input = inputFor(m_runs[i]);
        prepared.nonFiniteFrom = nonFiniteOnset(prepared.input);
        prepared.ownBand = ownBandOf(m_runs[i]);
    });
}

std::vector<CardRun> ChartCard::fullRuns() const {
    return m_fullProvider ? m_fullProvider(m_tag) : m_provider(m_tag);
}

bool ChartCard::drawsFullResolution() const {
    return std::none_of(m_runs.begin(), m_runs.end(),
                        [](const CardRun& run) { return run.overview && !run.data; });
}

void ChartCard::useResolutionForView() {
    // An overview holds the extremes per column of the whole series: enough for the full view, not for a
    // zoomed one, which needs every point of its range. Back at the full view the overviews are used again
    // and the points are let go.
    const bool hasOverviews = std::any_of(m_runs.begin(), m_runs.end(),
                                          [](const CardRun& run) { return run.overview && !run.data; });
    if (m_zoomed && hasOverviews) {
        m_runs = fullRuns();
        m_fullResolution = true;
    } else if (!m_zoomed && m_fullResolution) {
        m_runs = m_provider(m_tag);
        m_fullResolution = false;
    } else {
        return;
    }
    m_groups = groupsOf(m_runs);
    prepareInputs();
}

QString ChartCard::xMetric() const {
    static const QString prefix = QStringLiteral("metric:");
    return m_display.xAxis.startsWith(prefix) ? m_display.xAxis.mid(prefix.size()) : QString();
}

CurveInput ChartCard::inputFor(const CardRun& run) const {
    if (!run.data) return run.overview ? run.overview->raw : CurveInput{};
    if (!xMetric().isEmpty()) return run.xData ? curveInputByMetric(*run.data, *run.xData) : CurveInput{};
    XAxis axis = XAxis::Step;
    parseXAxis(m_display.xAxis.toStdString(), axis);
    return curveInput(*run.data, axis);
}

BandLines ChartCard::ownBandOf(const CardRun& run) const {
    if (!run.bandLower || !run.bandUpper) return {};
    CardRun lower = run, upper = run;
    lower.data = run.bandLower;
    upper.data = run.bandUpper;
    const CurveInput lo = inputFor(lower), hi = inputFor(upper);
    // The edges at the x values both have (a chart export writes them on the same rows).
    BandLines band;
    for (std::size_t i = 0, j = 0; i < lo.x.size() && j < hi.x.size();) {
        if (lo.x[i] < hi.x[j]) {
            ++i;
        } else if (hi.x[j] < lo.x[i]) {
            ++j;
        } else {
            band.x.push_back(lo.x[i]);
            band.lower.push_back(lo.y[i++]);
            band.upper.push_back(hi.y[j++]);
        }
    }
    return band;
}

std::vector<ChartCard::GroupCurve> ChartCard::groupsOf(const std::vector<CardRun>& runs) {
    // Groups in first-seen order; a line without a group stays a line. Overlaid tags keep their own groups.
    std::vector<GroupCurve> groups;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const CardRun& run = runs[i];
        if (run.group.isEmpty()) continue;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const GroupCurve& g) {
            return g.name == run.group && g.style == run.style;
        });
        if (it == groups.end()) {
            groups.push_back({run.group, run.color, run.style, {}, {}});
            it = std::prev(groups.end());
        }
        it->members.push_back(i);
    }
    return groups;
}

BandLines ChartCard::groupBand(const std::vector<const CurveInput*>& members,
                               const CurveOptions& options) const {
    BandKind band = BandKind::Std;
    if (m_display.band == QLatin1String("minmax"))
        band = BandKind::MinMax;
    else if (m_display.band == QLatin1String("stderr"))
        band = BandKind::StdErr;
    else if (m_display.band == QLatin1String("ci95"))
        band = BandKind::CI95;
    const CenterKind center =
        m_display.center == QLatin1String("median") ? CenterKind::Median : CenterKind::Mean;
    GroupBandOptions bandOptions;
    // One grid point per two pixel columns: enough for a smooth band, cheap to draw.
    bandOptions.gridPoints = static_cast<std::size_t>(std::max(50, options.pixels / 2));
    bandOptions.maxUnionPoints = bandOptions.gridPoints * 2;
    std::vector<XYPoints> curves;
    curves.reserve(members.size());
    for (const CurveInput* input : members) {
        if (input->x.empty()) continue;
        const std::vector<double> y = options.smoothing > 0
                                          ? smooth(options.smoother, input->x, input->y, options.smoothing)
                                          : input->y;
        // Limited to the view, with one point beyond each edge so the band reaches the border.
        std::size_t lo = 0, hi = input->x.size();
        if (options.x0) {
            const auto first =
                std::lower_bound(input->x.begin(), input->x.end(), *options.x0) - input->x.begin();
            lo = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, first - 1));
        }
        if (options.x1) {
            const auto last =
                std::upper_bound(input->x.begin(), input->x.end(), *options.x1) - input->x.begin();
            hi = std::min(input->x.size(), static_cast<std::size_t>(last) + 1);
        }
        if (lo >= hi) continue;
        XYPoints points;
        points.x.assign(input->x.begin() + static_cast<std::ptrdiff_t>(lo),
                        input->x.begin() + static_cast<std::ptrdiff_t>(hi));
        points.y.assign(y.begin() + static_cast<std::ptrdiff_t>(lo),
                        y.begin() + static_cast<std::ptrdiff_t>(hi));
        curves.push_back(std::move(points));
    }
    if (curves.empty()) return {};
    return selectBand(computeGroupBands(curves, bandOptions), center, band);
}

void ChartCard::prepareGroups(const CurveOptions& options) {
    QtConcurrent::blockingMap(m_groups, [&](GroupCurve& group) {
        std::vector<const CurveInput*> members;
        for (const std::size_t i : group.members)
            members.push_back(&m_prepared[i].input);
        group.band = groupBand(members, options);
    });
}

} // namespace runlens::ui
