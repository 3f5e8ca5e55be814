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
    double smoothing = 0.0;       // 0 = off
    int pixels = 1600;            // view width in pixels
    std::optional<double> x0, x1; // visible x range; whole series when unset
    bool extremaOnly = false;     // min and max per column only (decimateExtrema): for cards with many lines
};

struct PreparedCurve {
    XYPoints raw;      // decimated raw points
    XYPoints smoothed; // decimated smoothed points (equal to raw when smoothing is 0)
    double xMin = 0, xMax = 0;
    std::size_t sourcePoints = 0;
};

// A series on the chosen x axis in x order: points whose x is not finite (no wall time) are dropped, and x
// is sorted stably when the series is not monotonic. Views keep it while only smoothing or zoom change.
struct CurveInput {
    std::vector<double> x, y;
    std::vector<std::int64_t> steps; // each point's logged step, so a readout can name it on any x axis
    std::size_t sourcePoints = 0;
};
CurveInput curveInput(const SeriesData& series, XAxis axis);
// The same into out (replaced), reusing its buffers when a loop prepares many series.
void curveInputInto(const SeriesData& series, XAxis axis, CurveInput& out);

// A series against another logged metric (epoch, tokens seen): each point's x is the x metric's value at the
// same step, or else at the nearest earlier step (the metric is logged less often); points before the
// metric's first step are dropped. xMetric's steps need not be sorted.
CurveInput curveInputByMetric(const SeriesData& series, const SeriesData& xMetric);

// Pieces of a series split where its step goes back (a run restarted from a checkpoint and logged over the
// same steps again), so each attempt can be drawn as its own line instead of being merged by step.
std::vector<SeriesData> splitAtRestarts(const SeriesData& series);

// The raw points of the view: decimated over [x0, x1] (the whole input when unset).
XYPoints rawPoints(const CurveInput& input, const CurveOptions& options);
// Smoothed at full resolution, then decimated for the view; equal to rawPoints when smoothing is off.
XYPoints smoothedPoints(const CurveInput& input, const CurveOptions& options);

// Smooths the full-resolution series, then decimates raw and smoothed for the view.
PreparedCurve prepareCurve(const CurveInput& input, const CurveOptions& options);
PreparedCurve prepareCurve(const SeriesData& series, const CurveOptions& options);

// What a card of many lines keeps of a series instead of all its points (issue 19): the points that
// overviewIndices picks for `buckets` columns, of the raw values and, when smoothing is on, of the line
// smoothed at full resolution (smoothing first, then choosing points, so every kept smoothed value is exact).
// Every kept point is a logged one: steps and raw values stay true for the readout.
struct CurveOverview {
    CurveInput raw; // picked by the raw values' extremes (an eighth of the buckets when smoothing is on)
    // y = smoothed values, picked by their extremes; empty when off. Its steps are left out when x is the
    // step.
    CurveInput smoothed;
    std::vector<double> smoothedRaw;   // the raw value of each point of `smoothed`, for the readout
    Smoother smoother = Smoother::Ema; // what `smoothed` was made with
    double smoothing = 0.0;
    int buckets = 0;
    std::size_t keptPoints() const { return raw.x.size() + smoothed.x.size(); }
};
CurveOverview curveOverview(const CurveInput& input, Smoother smoother, double smoothing, int buckets);

} // namespace runlens
