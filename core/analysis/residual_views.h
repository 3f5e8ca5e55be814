// The numbers behind regression plots: residuals, their histogram with a normal reference, binned residual
// means, and 2-D density counts of predicted against actual for a million points.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace runlens {

// residual = label - prediction (statsmodels' resid; the opposite sign of the bias in regression_metrics.h).
std::vector<double> residuals(std::span<const double> labels, std::span<const double> predictions);

struct ResidualHistogram {
    std::vector<double> edges; // bins + 1 edges, equal widths; bins are [a, b), the last one [a, b]
    std::vector<std::int64_t> counts;
    std::vector<double> centres;
    std::vector<double> normalDensity;  // N(mean, sd^2) density at each centre
    std::vector<double> expectedCounts; // n * bin width * density: the normal reference drawn over the counts
    std::int64_t n = 0;                 // finite residuals
    double mean = 0, sd = 0;            // sd with ddof = 1
};

// Histogram of the finite residuals as numpy.histogram; bins = 0 picks numpy's 'auto' rule (the smaller of
// the Freedman-Diaconis and Sturges widths, Sturges when the IQR is 0).
ResidualHistogram residualHistogram(std::span<const double> residuals, int bins = 0);

struct ResidualBin {
    double xLow = 0, xHigh = 0, xMean = 0;
    std::int64_t n = 0;
    double mean = 0, sd = 0;      // residual mean and sd (ddof = 1; 0 for a single row)
    double ciLow = 0, ciHigh = 0; // mean +- t(0.975, n - 1) sd / sqrt(n); the mean itself for n = 1
};

// Residual mean per quantile bin of x (the prediction or a feature): edges at numpy's linear percentiles of
// x, repeated edges merged, rows binned as numpy.histogram with those edges. Rows with non-finite x or
// residual are left out.
std::vector<ResidualBin> binnedResiduals(std::span<const double> x, std::span<const double> residuals,
                                         int bins = 20);

struct DensityRange {
    double xMin = 0, xMax = 0, yMin = 0, yMax = 0;
};

struct Density2D {
    int nx = 0, ny = 0;
    DensityRange range;
    std::vector<std::int64_t> counts; // nx x ny, row-major by x bin: counts[ix * ny + iy] (numpy.histogram2d)
    std::int64_t maxCount = 0;
    std::int64_t outside = 0; // finite points outside the range, and points with a non-finite coordinate
};

// Counts of (x, y) on a fixed nx x ny grid, equal to numpy.histogram2d(x, y, bins=[nx, ny], range=...).
// Without a range, each axis spans its finite min to max; sameRange makes both axes span the union (predicted
// against actual, so the diagonal is the identity line). O(n) for a million points.
Density2D density2D(std::span<const double> x, std::span<const double> y, int nx = 100, int ny = 100,
                    std::optional<DensityRange> range = std::nullopt, bool sameRange = false);

} // namespace runlens
