// Charts of a regressor's predictions: predicted against actual (density-shaded cells, identity line),
// residual means per prediction bin with intervals, and the residual histogram with its normal reference.
#pragma once

#include "core/analysis/residual_views.h"

#include <QChart>
#include <QString>
#include <vector>

namespace runlens::ui {

// A new chart (caller owns it): one square marker per non-empty cell of the density grid (x = actual, y =
// predicted), darker where more points fall (five shades on a log scale of the count, named in the
// legend), and the dashed identity line. A million points draw as at most nx * ny markers.
QChart* buildPredictedActualChart(const Density2D& density, const QString& title);

// Residual mean per bin of the prediction (points joined by a line) with 95% t-interval whiskers and the
// zero line.
QChart* buildResidualBinsChart(const std::vector<ResidualBin>& bins, const QString& xTitle,
                               const QString& title);

// The residual histogram as bars with the normal density of the same mean and sd drawn over it as expected
// counts per bin.
QChart* buildResidualHistogramChart(const ResidualHistogram& histogram, const QString& title);

} // namespace runlens::ui
