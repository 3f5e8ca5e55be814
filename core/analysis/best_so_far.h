// The best result of a sweep up to each run, for the Sweep tab's "best so far" chart.
#pragma once

#include <span>
#include <vector>

namespace runlens {

// Cumulative best of values in the given order (minimise: running minimum; maximise: running maximum);
// non-finite values do not count, and the best is NaN until the first finite value.
std::vector<double> bestSoFar(std::span<const double> values, bool maximise);

} // namespace runlens
