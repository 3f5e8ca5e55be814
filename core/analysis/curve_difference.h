// Two runs' curves set against each other: one metric against another by step, and B - A on a common grid.
#pragma once

#include "core/analysis/decimation.h"
#include "core/model/series.h"

#include <cstddef>

namespace runlens {

// Sorted by x with repeated x values averaged and non-finite points dropped.
XYPoints tidyCurve(const XYPoints& points);

// y at x by linear interpolation between the neighbouring points of a tidy curve (its own y at one of its
// x values); NaN outside [x.front(), x.back()].
double interpolateCurve(const XYPoints& tidy, double x);

// B - A on a common grid: the union of both x values inside their overlap (an even kEvenGrid-point grid when
// that union has more than kMaxUnionGrid points), both linearly interpolated. Inputs need not be sorted;
// repeated x values are averaged. Empty when the curves do not overlap.
inline constexpr std::size_t kMaxUnionGrid = 20000;
inline constexpr std::size_t kEvenGrid = 2000;
XYPoints differenceOnGrid(const XYPoints& a, const XYPoints& b);

// One metric against another: for each point of y, the x series' value logged at the same step (the last
// one when a step repeats); points of y at steps x did not log are left out. In y's order.
XYPoints pairByStep(const SeriesData& x, const SeriesData& y);

// y against step, as doubles.
XYPoints againstStep(const SeriesData& y);

// At most maxPoints + 1 points of a curve whose x need not be sorted (a metric-against-metric trajectory):
// every (size/maxPoints)-th point and the last; the curve itself when it is short enough.
XYPoints strideCurve(const XYPoints& points, std::size_t maxPoints);

} // namespace runlens
