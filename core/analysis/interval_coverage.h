// How often logged prediction intervals hold the label, against their nominal level, and how wide they are.
#pragma once

#include "core/analysis/statistics.h"

#include <cstdint>
#include <span>
#include <string>

namespace runlens {

enum class CoverageVerdict {
    NoData,
    Consistent,  // the Wilson interval of the coverage contains the nominal level
    UnderCovers, // the whole interval is below the nominal level: the intervals are too narrow
    OverCovers,  // the whole interval is above it: the intervals are wider than they need to be
};

struct IntervalCoverage {
    std::string name;   // e.g. "q05-q95"
    double nominal = 0; // e.g. 0.90 for the 5% and 95% quantiles (upper quantile minus lower quantile)
    std::int64_t n = 0; // rows with a finite label and finite, ordered bounds
    std::int64_t inside = 0, below = 0, above = 0; // label < lower is below, label > upper above
    std::int64_t crossed = 0;   // lower > upper: not scored, counted (a quantile-crossing model)
    std::int64_t skipped = 0;   // a label or bound not finite
    double coverage = 0;        // inside / n, bounds inclusive
    stats::Interval coverageCi; // Wilson interval at 1 - alpha
    double meanWidth = 0, medianWidth = 0;
    CoverageVerdict verdict = CoverageVerdict::NoData;
    std::string sentence;
};

// Coverage of [lower, upper] (inclusive) over the labels, with a Wilson interval and a verdict against
// nominal.
IntervalCoverage intervalCoverage(std::span<const double> labels, std::span<const double> lower,
                                  std::span<const double> upper, double nominal, std::string name = {},
                                  double alpha = 0.05);

std::string_view coverageVerdictName(CoverageVerdict verdict); // "consistent", "under-covers", ...

} // namespace runlens
