// Tick arithmetic for chart axes (round linear steps, decades of a log axis, compact step counts), kept
// free of Qt so the card, the export and their tests share one definition of a "round" tick.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace runlens {

// A step of 1, 2, 2.5 or 5 times a power of ten, the smallest such step at least span / targetTicks; 1 for
// an empty or non-finite span.
double niceTickStep(double span, int targetTicks);

// The multiples of niceTickStep(hi - lo, targetTicks) inside [lo, hi] (ends included up to rounding).
std::vector<double> niceTicks(double lo, double hi, int targetTicks);

// How many ticks fit along an axis of the given length: one per minSpacing pixels, 2 to 10.
int tickTargetFor(double pixels, double minSpacing);

// [lo, hi] (both > 0) widened outward to whole powers of ten, so every label of a log axis is a decade;
// a range within one decade still gets two decades to label.
std::pair<double, double> decadeRange(double lo, double hi);

// The powers of ten inside [lo, hi] (both > 0), tolerant of rounding at the ends.
std::vector<double> decadeTicks(double lo, double hi);

// Decimals that print every multiple of step exactly: 0 for 500, 2 for 0.05, 3 for 0.025.
int tickDecimals(double step);

// A tick value as a plain number with the decimals step needs: 0.25 with step 0.05 -> "0.25", 2000 with
// step 500 -> "2000", never an exponent between 1e-12 and 1e15.
std::string plainTickLabel(double value, double step);

// A step count for an axis: plain below 10,000 ("9999"), then k, M, B with at most two decimals, trailing
// zeros dropped ("10k", "250k", "1.25M", "1.5M", "2B").
std::string compactCount(double value);

} // namespace runlens
