// Min/max-per-pixel decimation so a chart draws a few thousand points and every spike survives.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace runlens {

struct XYPoints {
    std::vector<double> x;
    std::vector<double> y;
    std::size_t size() const { return x.size(); }
};

// For a view of `pixels` columns over [x0, x1] keeps, per column, the first, min, max and last point (in
// x order, duplicates dropped), plus the nearest point outside each edge so lines reach the border.
// x must be non-decreasing. Non-finite y values are kept (a chart shows gaps/markers for them).
XYPoints decimateMinMax(std::span<const double> x, std::span<const double> y, double x0, double x1,
                        int pixels);

// As decimateMinMax, but each column keeps only its min and max (in x order; plus a NaN marker): about half
// the points. The line between neighbouring columns then joins their extremes instead of their edge points, a
// sub-pixel difference that matters little when dozens of lines overlap, and it halves what has to be drawn.
XYPoints decimateExtrema(std::span<const double> x, std::span<const double> y, double x0, double x1,
                         int pixels);

} // namespace runlens

namespace runlens {

// The points a card of many lines needs from a whole series, as indices into x/y in x order: per
// equal-width bucket of [x.front(), x.back()] its min and max point and its first non-finite one, plus the
// series' first and last point (duplicates dropped). The kept points hold exactly each bucket's min and max,
// so decimateExtrema of them at a card's width equals that of the full series up to where bucket and column
// edges fall. x must be non-decreasing.
std::vector<std::size_t> overviewIndices(std::span<const double> x, std::span<const double> y, int buckets);

} // namespace runlens
