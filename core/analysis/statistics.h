// Small statistical building blocks for slices and paired tests: intervals, p-values, bootstrap, FDR.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace runlens::stats {

struct Interval {
    double low = 0;
    double high = 0;
};

// Wilson score interval of successes/n at two-sided level 1 - alpha (statsmodels proportion_confint
// 'wilson').
Interval wilson(std::int64_t successes, std::int64_t n, double alpha = 0.05);

double normalCdf(double z);
// Inverse of the standard normal CDF (Acklam's rational approximation refined by one Halley step).
double normalQuantile(double p);
// Upper tail of chi-square with one degree of freedom.
double chiSquare1Sf(double x);

// Two-sided exact binomial test p-value of k successes in n trials with p = 0.5, as statsmodels'
// mcnemar(exact=True): min(1, 2 * P(X <= min(k, n-k))).
double binomialTwoSidedHalf(std::int64_t k, std::int64_t n);

// Benjamini-Hochberg adjusted p-values (same order as the input), as statsmodels multipletests('fdr_bh').
std::vector<double> benjaminiHochberg(std::span<const double> pValues);

// A deterministic generator of indices in [0, n) that does not depend on the standard library's
// distributions, so a bootstrap with a given seed gives the same resamples on every platform. xoshiro256**
// seeded through splitmix64, with Lemire's multiply-shift rejection method: fast enough for millions of draws
// per resample.
class IndexSampler {
  public:
    explicit IndexSampler(std::uint64_t seed);
    std::size_t operator()(std::size_t n);
    double uniform(); // in (0, 1)
    // Exact Binomial(n, p) draw by inversion over outcomes enumerated outwards from the mode (any fixed order
    // of outcomes gives exact inverse-transform sampling); O(sqrt(n p (1 - p))) steps.
    std::int64_t binomial(std::int64_t n, double p);

  private:
    std::uint64_t next();
    std::uint64_t m_state[4];
};

// Percentile interval (linear interpolation between order statistics, numpy's default) of the values.
Interval percentileInterval(std::vector<double> values, double alpha = 0.05);

// Quantile q in [0, 1] of sorted values with numpy's linear interpolation.
double quantileSorted(std::span<const double> sorted, double q);

} // namespace runlens::stats
