// The two-sample Kolmogorov-Smirnov test as scipy 1.10's ks_2samp computes it (two-sided, method 'auto').
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace runlens {

struct KsResult {
    std::int64_t n1 = 0, n2 = 0;
    double statistic = 0; // sup |F1 - F2| over the pooled values
    double location = 0;  // the smallest pooled value where it is reached
    int sign = 1;         // +1 when F1 - F2 is largest there (sample 1 lies to the left), -1 otherwise
    double p = 1;         // two-sided
    bool exact = false;
    std::string method; // "exact" or "asymptotic"
};

// scipy.stats.ks_2samp(a, b) with its defaults: exact when max(n1, n2) <= 10,000 (the probability that a
// random lattice path leaves the band |i/n1 - j/n2| < D, computed as that complement directly), otherwise
// kstwo.sf(D, round(n1 n2 / (n1 + n2))). Non-finite values are dropped; an empty sample gives NaN.
KsResult twoSampleKs(std::span<const double> a, std::span<const double> b);

// The exact two-sided one-sample Kolmogorov distribution's survival function P(D_n >= d) (scipy's kstwo.sf),
// by Simard & L'Ecuyer's (2011) choice of method: Ruben-Gambino's closed forms at the ends, Durbin's matrix
// (Marsaglia-Tsang-Wang) where scipy uses it or Pomeranz's recursion, twice the one-sided Smirnov tail
// (Birnbaum-Tingey sum) for large n d^2, and the Pelz-Good expansion for large n.
double kolmogorovSf(double d, std::int64_t n);

// The one-sided Smirnov tail P(D_n+ >= d) (scipy.special.smirnov).
double smirnovSf(std::int64_t n, double d);

} // namespace runlens
