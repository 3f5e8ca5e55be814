// Learning-curve fit value(m) = a * m^b + c by Levenberg-Marquardt, with delta-method/bootstrap intervals.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// a > 0 with b < 0 is an error metric falling towards c as the size m grows; a < 0 with b < 0 is a score
// (accuracy) rising towards c. The sign is found from the data.
struct PowerLawFit {
    bool ok = false;
    std::string error; // why there is no fit (too few distinct sizes, non-positive sizes, no convergence)
    double a = 0, b = 0, c = 0;
    double rmse = 0;             // sqrt(SSE / n)
    double residualVariance = 0; // s^2 = SSE / (n - 3)
    int dof = 0;                 // n - 3
    // Covariance of (a, b, c): s^2 (J^T J)^-1 at the optimum; NaN when J^T J is singular.
    std::array<std::array<double, 3>, 3> covariance{};
    std::vector<double> sizes, values; // the points that were fitted (finite, m > 0)
    // Internal scale: the fit runs in u = m / sizeScale (conditioning), aScaled = a * sizeScale^b.
    double sizeScale = 1;
    double aScaled = 0;
    std::array<std::array<double, 3>, 3> covarianceScaled{}; // of (aScaled, b, c)

    double valueAt(double m) const;
};

struct PowerLawPrediction {
    double size = 0;
    double value = 0;
    // 95% delta-method interval of the fitted MEAN curve at this size (where the curve is), t with n-3 dof.
    double lower = 0, upper = 0;
    // 95% prediction interval for ONE new run at this size: adds the run-to-run noise, the residual
    // variance s^2, to the curve's variance (half-width t * sqrt(g'Cov g + s^2)), so it is always wider.
    double predictionLower = 0, predictionUpper = 0;
    bool hasBootstrap = false;
    double bootLower = 0, bootUpper = 0; // 2.5% / 97.5% percentiles of the residual bootstrap
    int bootResamples = 0;
    std::uint64_t bootSeed = 0;
};

// Needs finite points with m > 0 at >= 4 distinct sizes (several runs per size are fine).
PowerLawFit fitPowerLaw(std::span<const double> sizes, std::span<const double> values);

// Delta-method interval: var = g^T Cov g with g = d value / d(a, b, c) at m.
PowerLawPrediction predictPowerLaw(const PowerLawFit& fit, double size);

// As predictPowerLaw plus a residual bootstrap: refit on fitted + resampled residuals `resamples` times
// (std::mt19937_64 seeded with `seed`, so the interval is reproducible) and take the 2.5/97.5 percentiles.
PowerLawPrediction predictPowerLawBootstrap(const PowerLawFit& fit, double size, int resamples = 200,
                                            std::uint64_t seed = 20240601);

} // namespace runlens
