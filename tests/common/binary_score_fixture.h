// The synthetic binary scores and labels the Calibration and Trade-offs view tests import, one formula so
// their hand-worked and scikit-learn reference numbers describe the same rows.
#pragma once

#include <cmath>

namespace runlens::test {

// Row i's score in (0, 1): 200 distinct values, in an order unrelated to i.
inline double scoreOf(int i) {
    return ((i * 37) % 200 + 0.5) / 200.0;
}

// Row i's label: positive with probability scoreOf(i)^0.8, drawn from a second fixed sequence.
inline int labelOf(int i) {
    const double u = ((i * 71 + 13) % 200 + 0.5) / 200.0;
    return u < std::pow(scoreOf(i), 0.8) ? 1 : 0;
}

} // namespace runlens::test
