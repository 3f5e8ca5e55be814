// Statistical building blocks: Wilson intervals, normal and chi-square tails, exact binomial, BH, bootstrap.
#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace runlens::stats {

Interval wilson(std::int64_t successes, std::int64_t n, double alpha) {
    if (n <= 0) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    const double z = normalQuantile(1.0 - alpha / 2.0);
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(successes) / nn;
    const double z2 = z * z;
    const double denom = 1.0 + z2 / nn;
    const double center = (p + z2 / (2.0 * nn)) / denom;
    const double half = z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
    return {center - half, center + half};
}

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normalQuantile(double p) {
    if (p <= 0.0) return -std::numeric_limits<double>::infinity();
    if (p >= 1.0) return std::numeric_limits<double>::infinity();
    // Acklam's coefficients.
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    const double pLow = 0.02425;
    double x = 0;
    if (p < pLow) {
        const double q = std::sqrt(-2.0 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - pLow) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        const double q = std::sqrt(-2.0 * std::log(1.0 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    // Two Halley refinements bring the approximation to full double precision.
    for (int i = 0; i < 2; ++i) {
        const double e = normalCdf(x) - p;
        const double u = e * std::sqrt(2.0 * M_PI) * std::exp(x * x / 2.0);
        x = x - u / (1.0 + x * u / 2.0);
    }
    return x;
}

double chiSquare1Sf(double x) {
    if (!(x > 0.0)) return 1.0;
    return std::erfc(std::sqrt(x / 2.0));
}

double binomialTwoSidedHalf(std::int64_t k, std::int64_t n) {
    if (n <= 0) return 1.0;
    const std::int64_t lo = std::min(k, n - k);
    // P(X <= lo) for Binomial(n, 1/2), summed in log space to stay exact for large n.
    const double logHalfN = static_cast<double>(n) * std::log(0.5);
    double total = 0.0;
    for (std::int64_t i = 0; i <= lo; ++i) {
        const double logC = std::lgamma(static_cast<double>(n) + 1.0) - std::lgamma(static_cast<double>(i) + 1.0) -
                            std::lgamma(static_cast<double>(n - i) + 1.0);
        total += std::exp(logC + logHalfN);
    }
    return std::min(1.0, 2.0 * total);
}

std::vector<double> benjaminiHochberg(std::span<const double> pValues) {
    const std::size_t m = pValues.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pValues[a] < pValues[b]; });
    std::vector<double> adjusted(m);
    double running = 1.0;
    for (std::size_t r = m; r-- > 0;) {
        const std::size_t i = order[r];
        const double value = pValues[i] * static_cast<double>(m) / static_cast<double>(r + 1);
        running = std::min(running, value);
        adjusted[i] = std::min(1.0, running);
    }
    return adjusted;
}

std::size_t IndexSampler::operator()(std::size_t n) {
    if (n <= 1) return 0;
    // Rejection sampling keeps the draw unbiased and defined by the engine's output alone.
    const std::uint64_t range = static_cast<std::uint64_t>(n);
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
    std::uint64_t x = 0;
    do {
        x = m_engine();
    } while (x >= limit);
    return static_cast<std::size_t>(x % range);
}

double quantileSorted(std::span<const double> sorted, double q) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Interval percentileInterval(std::vector<double> values, double alpha) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty()) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    std::sort(values.begin(), values.end());
    return {quantileSorted(values, alpha / 2.0), quantileSorted(values, 1.0 - alpha / 2.0)};
}

} // namespace runlens::stats
