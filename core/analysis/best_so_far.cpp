// Running best of a sequence of sweep results.
#include "core/analysis/best_so_far.h"

#include <cmath>

namespace runlens {

std::vector<double> bestSoFar(std::span<const double> values, bool maximise) {
    std::vector<double> best;
    best.reserve(values.size());
    double current = NAN;
    for (const double v : values) {
        if (std::isfinite(v) && (!std::isfinite(current) || (maximise ? v > current : v < current)))
            current = v;
        best.push_back(current);
    }
    return best;
}

} // namespace runlens
