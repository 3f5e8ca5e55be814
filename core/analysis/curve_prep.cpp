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

PreparedCurve prepareCurve(const SeriesData& series, const CurveOptions& options) {
    PreparedCurve curve;
    curve.sourcePoints = series.size();
    const std::vector<double> allX = xValues(series, options.xAxis);

    // Keep points with a finite x; remember their order so a non-monotonic series can be sorted stably.
    std::vector<std::size_t> order;
    order.reserve(allX.size());
    for (std::size_t i = 0; i < allX.size(); ++i)
        if (std::isfinite(allX[i])) order.push_back(i);
    if (!std::is_sorted(order.begin(), order.end(),
                        [&](std::size_t a, std::size_t b) { return allX[a] < allX[b]; }))
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return allX[a] < allX[b]; });
    if (order.empty()) return curve;

    std::vector<double> x(order.size());
    std::vector<double> y(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        x[k] = allX[order[k]];
        y[k] = series.values[order[k]];
    }
    curve.xMin = x.front();
    curve.xMax = x.back();
    const double x0 = options.x0.value_or(curve.xMin);
    const double x1 = options.x1.value_or(curve.xMax);

    curve.raw = decimateMinMax(x, y, x0, x1, options.pixels);
    if (!(options.smoothing > 0.0)) {
        curve.smoothed = curve.raw;
        return curve;
    }
    const std::vector<double> smoothed = smooth(options.smoother, x, y, options.smoothing);
    curve.smoothed = decimateMinMax(x, smoothed, x0, x1, options.pixels);
    return curve;
}

} // namespace runlens
