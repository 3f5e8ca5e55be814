// Turns a stored series into what a chart draws: chosen x axis, smoothing at full resolution, decimation.
#pragma once

#include "core/analysis/decimation.h"
#include "core/analysis/smoothing.h"
#include "core/model/series.h"

#include <optional>
#include <string_view>

namespace runlens {

enum class XAxis { Step, RelativeTime, WallTime };

bool parseXAxis(std::string_view text, XAxis& out); // "step", "relative", "wall"
std::string_view xAxisName(XAxis axis);             // "Step", "Relative time (s)", "Wall time"

// x values of a series on the chosen axis (relative time: seconds since the series' first wall time).
std::vector<double> xValues(const SeriesData& series, XAxis axis);

struct CurveOptions {
    XAxis xAxis = XAxis::Step;
    Smoother smoother = Smoother::Ema;
    double smoothing = 0.0; // 0 = off
    int pixels = 1600;      // view width in pixels
    std::optional<double> x0, x1; // visible x range; whole series when unset
};

struct PreparedCurve {
    XYPoints raw;      // decimated raw points
    XYPoints smoothed; // decimated smoothed points (equal to raw when smoothing is 0)
    double xMin = 0, xMax = 0;
    std::size_t sourcePoints = 0;
};

// Smooths the full-resolution series, then decimates raw and smoothed for the view. Points whose x is not
// finite (no wall time) are dropped for time axes; x is sorted stably when the series is not monotonic.
PreparedCurve prepareCurve(const SeriesData& series, const CurveOptions& options);

} // namespace runlens
