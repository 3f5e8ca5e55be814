// Aggregates several runs' curves onto one x grid: centre line and spread bands (min/max, std, SE, 95% CI).
#pragma once

#include "core/analysis/decimation.h"

#include <span>
#include <string>
#include <vector>

namespace runlens {

enum class BandKind { MinMax, Std, StdErr, CI95 };
enum class CenterKind { Mean, Median };

struct GroupBandOptions {
    // The union of the runs' x values is the grid when the runs mostly agree: every run's own distinct x
    // count summed, divided by (runs x union size), is at least this. Else an even grid is used.
    double agreement = 0.8;
    std::size_t maxUnionPoints = 100000; // a larger union falls back to the even grid
    std::size_t gridPoints = 500;        // size of the even grid over the runs' overlapping x range
};

// Per grid point statistics over the runs present there (a run is present between its own first and last
// finite x, linearly interpolated, never extrapolated). std is the sample std (ddof = 1), stdErr = std /
// sqrt(count), ci95 is mean -/+ t_{0.975, count-1} * stdErr. With count < 2 std, stdErr and the CI are NaN;
// with count 0 everything is NaN.
struct GroupBands {
    std::vector<double> x;
    std::vector<int> count;
    std::vector<double> mean, median, min, max, std, stdErr, ciLow, ciHigh;
    bool unionGrid = false; // true when x is the union of the runs' x values
    std::string error;      // set when no grid could be built (no run with a finite point)
    std::size_t size() const { return x.size(); }
};

// runs[i].x need not be sorted; non-finite points are skipped; repeated x values of one run are averaged.
GroupBands computeGroupBands(std::span<const XYPoints> runs, const GroupBandOptions& options = {});

// What a chart draws: centre line and band edges. MinMax is the range of the runs; Std, StdErr and CI95 are
// intervals around the mean (their statistical meaning) whichever centre line is drawn.
struct BandLines {
    std::vector<double> x, center, lower, upper;
};
BandLines selectBand(const GroupBands& bands, CenterKind center, BandKind band);

// Student t quantile: the q with P(T <= q) = p for dof degrees of freedom (p in (0, 1), dof > 0); NaN
// otherwise. Inverts the CDF (regularised incomplete beta by continued fraction) by bisection to 1e-12.
double studentTQuantile(double p, double dof);
// P(T <= t) for Student's t with dof degrees of freedom.
double studentTCdf(double t, double dof);

} // namespace runlens
