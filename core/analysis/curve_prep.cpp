// Builds what a chart draws from a stored series: x axis choice, full-resolution smoothing, decimation.
#include "core/analysis/curve_prep.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

bool parseXAxis(std::string_view text, XAxis& out) {
    if (text == "step")
        out = XAxis::Step;
    else if (text == "relative")
        out = XAxis::RelativeTime;
    else if (text == "wall")
        out = XAxis::WallTime;
    else
        return false;
    return true;
}

std::string_view xAxisName(XAxis axis) {
    switch (axis) {
    case XAxis::Step:
        return "Step";
    case XAxis::RelativeTime:
        return "Relative time (s)";
    case XAxis::WallTime:
        return "Wall time";
    }
    return "Step";
}

std::vector<double> xValues(const SeriesData& series, XAxis axis) {
    const std::size_t n = series.size();
    std::vector<double> x(n, kNaN);
    if (axis == XAxis::Step) {
        for (std::size_t i = 0; i < n && i < series.steps.size(); ++i)
            x[i] = static_cast<double>(series.steps[i]);
        return x;
    }
    for (std::size_t i = 0; i < n && i < series.wallTimes.size(); ++i)
        x[i] = series.wallTimes[i];
    if (axis == XAxis::WallTime) return x;
    const auto first = std::find_if(x.begin(), x.end(), [](double t) { return std::isfinite(t); });
    if (first == x.end()) return x;
    const double origin = *first;
    for (double& t : x)
        t -= origin; // NaN stays NaN
    return x;
}

namespace {

// Points in x order, sorted stably when the x values are not monotonic.
CurveInput sortedByX(CurveInput input) {
    if (std::is_sorted(input.x.begin(), input.x.end())) return input;
    std::vector<std::size_t> order(input.x.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return input.x[a] < input.x[b]; });
    CurveInput sorted;
    sorted.sourcePoints = input.sourcePoints;
    sorted.x.resize(order.size());
    sorted.y.resize(order.size());
    const bool hasSteps = input.steps.size() == order.size();
    if (hasSteps) sorted.steps.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        sorted.x[k] = input.x[order[k]];
        sorted.y[k] = input.y[order[k]];
        if (hasSteps) sorted.steps[k] = input.steps[order[k]];
    }
    return sorted;
}

} // namespace

CurveInput curveInput(const SeriesData& series, XAxis axis) {
    CurveInput input;
    input.sourcePoints = series.size();
    const std::vector<double> allX = xValues(series, axis);
    const std::size_t n = std::min(allX.size(), series.values.size());
    input.x.reserve(n);
    input.y.reserve(n);
    const bool hasSteps = series.steps.size() >= n;
    if (hasSteps) input.steps.reserve(n);
    bool sorted = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(allX[i])) continue;
        if (!input.x.empty() && allX[i] < input.x.back()) sorted = false;
        input.x.push_back(allX[i]);
        input.y.push_back(series.values[i]);
        if (hasSteps) input.steps.push_back(series.steps[i]);
    }
    if (sorted) return input;
    return sortedByX(std::move(input)); // a restarted or merged log
}

void curveInputInto(const SeriesData& series, XAxis axis, CurveInput& out) {
    const std::size_t n = std::min(series.steps.size(), series.values.size());
    // The common case, steps logged in order on a step axis, without the copies curveInput makes.
    if (axis != XAxis::Step || n != series.values.size() ||
        !std::is_sorted(series.steps.begin(), series.steps.end())) {
        out = curveInput(series, axis);
        return;
    }
    out.sourcePoints = n;
    out.x.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        out.x[i] = static_cast<double>(series.steps[i]);
    out.y.assign(series.values.begin(), series.values.end());
    out.steps.assign(series.steps.begin(), series.steps.end());
}

CurveInput curveInputByMetric(const SeriesData& series, const SeriesData& xMetric) {
    // The x metric's (step, value) pairs by step; of repeated steps the last logged value wins.
    std::vector<std::pair<std::int64_t, double>> byStep;
    byStep.reserve(xMetric.size());
    for (std::size_t i = 0; i < xMetric.size() && i < xMetric.steps.size(); ++i)
        if (std::isfinite(xMetric.values[i])) byStep.emplace_back(xMetric.steps[i], xMetric.values[i]);
    std::stable_sort(byStep.begin(), byStep.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    CurveInput input;
    input.sourcePoints = series.size();
    if (byStep.empty()) return input;
    input.x.reserve(series.size());
    input.y.reserve(series.size());
    for (std::size_t i = 0; i < series.size() && i < series.steps.size(); ++i) {
        const std::int64_t step = series.steps[i];
        // The last entry with a step <= this one.
        const auto after =
            std::upper_bound(byStep.begin(), byStep.end(), step,
                             [](std::int64_t s, const auto& entry) { return s < entry.first; });
        if (after == byStep.begin()) continue;
        input.x.push_back(std::prev(after)->second);
        input.y.push_back(series.values[i]);
        input.steps.push_back(step);
    }
    return sortedByX(std::move(input));
}

std::vector<SeriesData> splitAtRestarts(const SeriesData& series) {
    std::vector<SeriesData> pieces;
    for (std::size_t i = 0; i < series.size() && i < series.steps.size(); ++i) {
        if (pieces.empty() || series.steps[i] < pieces.back().steps.back()) pieces.emplace_back();
        const double wall = i < series.wallTimes.size() ? series.wallTimes[i] : kNaN;
        pieces.back().push(series.steps[i], wall, series.values[i]);
    }
    return pieces;
}

namespace {

std::pair<double, double> viewRange(const CurveInput& input, const CurveOptions& options) {
    return {options.x0.value_or(input.x.front()), options.x1.value_or(input.x.back())};
}

} // namespace

XYPoints rawPoints(const CurveInput& input, const CurveOptions& options) {
    if (input.x.empty()) return {};
    const auto [x0, x1] = viewRange(input, options);
    return options.extremaOnly ? decimateExtrema(input.x, input.y, x0, x1, options.pixels)
                               : decimateMinMax(input.x, input.y, x0, x1, options.pixels);
}

XYPoints smoothedPoints(const CurveInput& input, const CurveOptions& options) {
    if (input.x.empty()) return {};
    if (!(options.smoothing > 0.0)) return rawPoints(input, options);
    const auto [x0, x1] = viewRange(input, options);
    const std::vector<double> smoothed = smooth(options.smoother, input.x, input.y, options.smoothing);
    return options.extremaOnly ? decimateExtrema(input.x, smoothed, x0, x1, options.pixels)
                               : decimateMinMax(input.x, smoothed, x0, x1, options.pixels);
}

PreparedCurve prepareCurve(const CurveInput& input, const CurveOptions& options) {
    PreparedCurve curve;
    curve.sourcePoints = input.sourcePoints;
    if (input.x.empty()) return curve;
    curve.xMin = input.x.front();
    curve.xMax = input.x.back();
    curve.raw = rawPoints(input, options);
    curve.smoothed = options.smoothing > 0.0 ? smoothedPoints(input, options) : curve.raw;
    return curve;
}

PreparedCurve prepareCurve(const SeriesData& series, const CurveOptions& options) {
    return prepareCurve(curveInput(series, options.xAxis), options);
}

namespace {

CurveInput pick(const CurveInput& input, std::span<const double> y, const std::vector<std::size_t>& indices) {
    CurveInput out;
    out.sourcePoints = input.sourcePoints;
    out.x.reserve(indices.size());
    out.y.reserve(indices.size());
    const bool hasSteps = input.steps.size() == input.x.size();
    if (hasSteps) out.steps.reserve(indices.size());
    for (const std::size_t i : indices) {
        out.x.push_back(input.x[i]);
        out.y.push_back(y[i]);
        if (hasSteps) out.steps.push_back(input.steps[i]);
    }
    return out;
}

} // namespace

CurveOverview curveOverview(const CurveInput& input, Smoother smoother, double smoothing, int buckets) {
    CurveOverview overview;
    overview.smoother = smoother;
    overview.smoothing = smoothing > 0.0 ? smoothing : 0.0;
    overview.buckets = buckets;
    // With smoothing on, a card of many lines draws no raw line: the raw points then only carry the extent,
    // the first non-finite value and the y range, for which an eighth of the buckets is plenty.
    const bool smoothed = smoothing > 0.0 && !input.x.empty();
    overview.raw = pick(input, input.y,
                        overviewIndices(input.x, input.y, smoothed ? std::max(1, buckets / 8) : buckets));
    if (!smoothed) return overview;
    const std::vector<double> values = smooth(smoother, input.x, input.y, smoothing);
    const std::vector<std::size_t> indices = overviewIndices(input.x, values, buckets);
    overview.smoothed = pick(input, values, indices);
    // On a step axis x is the step: a second copy of it would be a third of the overview's memory.
    const CurveInput& kept = overview.smoothed;
    bool xIsStep = kept.steps.size() == kept.x.size();
    for (std::size_t k = 0; xIsStep && k < kept.x.size(); ++k)
        xIsStep = kept.x[k] == static_cast<double>(kept.steps[k]);
    if (xIsStep) overview.smoothed.steps = std::vector<std::int64_t>(); // `= {}` would keep the capacity
    overview.smoothedRaw.reserve(indices.size());
    for (const std::size_t i : indices)
        overview.smoothedRaw.push_back(input.y[i]);
    return overview;
}

} // namespace runlens
