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

// The same quantile of unsorted values by selection (nth_element) instead of a full sort, for a range fitted
// on every redraw; values are reordered. NaN when empty.
double quantileBySelection(std::span<double> values, double q);

// The quantile at q = k / parts (0 <= k <= parts) with numpy's linear interpolation at position (n-1)q, the
// position computed exactly in integers: when (n-1)k is a multiple of parts the result IS that order
// statistic (a floating-point q can land one ulp short and pick a value just below it).
double quantileAtFraction(std::span<const double> sorted, std::uint64_t k, std::uint64_t parts);

} // namespace runlens::stats

namespace runlens::stats {

// Standard normal density.
double normalPdf(double z);
// Student's t distribution with df degrees of freedom: CDF and the two-sided tail P(|T| >= |t|).
double studentTCdf(double t, double df);
double studentTTwoSided(double t, double df);
// Regularized upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a) (series below a + 1, Lentz's continued
// fraction above), and the chi-square upper tail with df degrees of freedom built on it.
double regularizedGammaQ(double a, double x);
double chiSquareSf(double x, double df);

} // namespace runlens::stats

namespace runlens::stats {

// numpy's median (mean of the two middle values for an even count); NaN when empty. Reorders values.
double median(std::vector<double> values);
// scikit-learn 1.2's _weighted_percentile(values, weights, q * 100): the smallest value whose cumulative
// weight (values sorted ascending) reaches q times the total weight. NaN when empty.
double weightedPercentile(std::span<const double> values, std::span<const double> weights, double q = 0.5);

} // namespace runlens::stats

namespace runlens::stats {

// Quantile of Student's t with df degrees of freedom (bisection on studentTCdf, to double precision).
double studentTQuantile(double p, double df);

} // namespace runlens::stats
