// Statistical building blocks: Wilson intervals, normal and chi-square tails, exact binomial, BH, bootstrap.
#include "core/analysis/statistics.h"

#include "core/analysis/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace runlens::stats {

// The interval and quantile code lives with the calibration intervals; these names serve the slice and paired
// code.
Interval wilson(std::int64_t successes, std::int64_t n, double alpha) {
    const auto [low, high] = wilsonInterval(successes, n, alpha);
    return {low, high};
}

double normalCdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normalQuantile(double p) {
    return runlens::normalQuantile(p);
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
        const double logC = std::lgamma(static_cast<double>(n) + 1.0) -
                            std::lgamma(static_cast<double>(i) + 1.0) -
                            std::lgamma(static_cast<double>(n - i) + 1.0);
        total += std::exp(logC + logHalfN);
    }
    return std::min(1.0, 2.0 * total);
}

std::vector<double> benjaminiHochberg(std::span<const double> pValues) {
    const std::size_t m = pValues.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pValues[a] < pValues[b]; });
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

IndexSampler::IndexSampler(std::uint64_t seed) {
    for (auto& word : m_state) {
        std::uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        word = z ^ (z >> 31);
    }
}

std::uint64_t IndexSampler::next() {
    auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

std::size_t IndexSampler::operator()(std::size_t n) {
    if (n <= 1) return 0;
    // Lemire (2019): the high half of x * n is uniform in [0, n) once the biased low part is rejected.
    const auto range = static_cast<std::uint64_t>(n);
    // GCC and Clang's 128-bit product; __extension__ marks the one non-ISO type as intended under -Wpedantic.
    __extension__ using Wide = unsigned __int128;
    Wide m = static_cast<Wide>(next()) * range;
    auto low = static_cast<std::uint64_t>(m);
    if (low < range) {
        const std::uint64_t threshold = (0 - range) % range;
        while (low < threshold) {
            m = static_cast<Wide>(next()) * range;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::size_t>(m >> 64);
}

double IndexSampler::uniform() {
    return (static_cast<double>(next() >> 11) + 0.5) / 9007199254740992.0;
}

std::int64_t IndexSampler::binomial(std::int64_t n, double p) {
    if (n <= 0 || !(p > 0.0)) return 0;
    if (p >= 1.0) return n;
    const double q = 1.0 - p;
    const auto mode = std::min(n, static_cast<std::int64_t>(std::floor(static_cast<double>(n + 1) * p)));
    const double logPmfMode = std::lgamma(double(n) + 1) - std::lgamma(double(mode) + 1) -
                              std::lgamma(double(n - mode) + 1) + double(mode) * std::log(p) +
                              double(n - mode) * std::log(q);
    double u = uniform();
    const double pmfMode = std::exp(logPmfMode);
    if (u <= pmfMode) return mode;
    u -= pmfMode;
    // pmf(k+1)/pmf(k) = (n-k)/(k+1) * p/q walking up; pmf(k-1)/pmf(k) = k/(n-k+1) * q/p walking down.
    double up = pmfMode, down = pmfMode;
    std::int64_t hi = mode, lo = mode;
    while (hi < n || lo > 0) {
        if (hi < n) {
            up *= double(n - hi) / double(hi + 1) * (p / q);
            ++hi;
            if (u <= up) return hi;
            u -= up;
        }
        if (lo > 0) {
            down *= double(lo) / double(n - lo + 1) * (q / p);
            --lo;
            if (u <= down) return lo;
            u -= down;
        }
        if (up < 1e-300 && down < 1e-300) break; // the remaining mass is below double precision
    }
    return mode;
}

double quantileSorted(std::span<const double> sorted, double q) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

double quantileBySelection(std::span<double> values, double q) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double position = q * static_cast<double>(values.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(lower);
    std::nth_element(values.begin(), at, values.end());
    const double below = *at;
    if (lower + 1 >= values.size()) return below;
    const double above = *std::min_element(at + 1, values.end());
    return below + (position - static_cast<double>(lower)) * (above - below);
}

double quantileAtFraction(std::span<const double> sorted, std::uint64_t k, std::uint64_t parts) {
    if (sorted.empty() || parts == 0) return std::numeric_limits<double>::quiet_NaN();
    k = std::min(k, parts);
    const std::uint64_t position = static_cast<std::uint64_t>(sorted.size() - 1) * k;
    const std::size_t lo = static_cast<std::size_t>(position / parts);
    const std::uint64_t remainder = position % parts;
    if (remainder == 0) return sorted[lo];
    const double t = static_cast<double>(remainder) / static_cast<double>(parts);
    const double a = sorted[lo], b = sorted[lo + 1], diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t; // numpy's _lerp, monotone in t
}

Interval percentileInterval(std::vector<double> values, double alpha) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.empty())
        return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    std::sort(values.begin(), values.end());
    return {quantileSorted(values, alpha / 2.0), quantileSorted(values, 1.0 - alpha / 2.0)};
}

} // namespace runlens::stats

namespace runlens::stats {

double normalPdf(double z) {
    return std::exp(-0.5 * z * z) * 0.3989422804014327; // 1 / sqrt(2 pi)
}

double studentTCdf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
    // P(T <= -|t|) = I_{df / (df + t^2)}(df / 2, 1 / 2) / 2.
    const double tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), 0.5 * df, 0.5);
    return t > 0 ? 1.0 - tail : tail;
}

double studentTTwoSided(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (std::isinf(t)) return 0.0;
    return std::min(1.0, regularizedIncompleteBeta(df / (df + t * t), 0.5 * df, 0.5));
}

namespace {

// Lower regularized gamma P(a, x) by its power series; converges fast for x < a + 1.
double gammaPSeries(double a, double x) {
    double term = 1.0 / a, sum = term;
    for (int k = 1; k < 100000; ++k) {
        term *= x / (a + k);
        sum += term;
        if (std::abs(term) < std::abs(sum) * 1e-17) break;
    }
    return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Upper regularized gamma Q(a, x) by the continued fraction (modified Lentz); converges fast for x >= a + 1.
double gammaQFraction(double a, double x) {
    constexpr double tiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 100000; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < tiny) d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < 1e-17) break;
    }
    return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

} // namespace

double regularizedGammaQ(double a, double x) {
    if (std::isnan(a) || std::isnan(x) || !(a > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (x <= 0) return 1.0;
    if (std::isinf(x)) return 0.0;
    if (x < a + 1.0) return 1.0 - gammaPSeries(a, x);
    return gammaQFraction(a, x);
}

double chiSquareSf(double x, double df) {
    if (!(df > 0)) return std::numeric_limits<double>::quiet_NaN();
    return regularizedGammaQ(0.5 * df, 0.5 * x);
}

} // namespace runlens::stats

namespace runlens::stats {

double median(std::vector<double> values) {
    const std::size_t n = values.size();
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(values.begin(), mid, values.end());
    if (n % 2 == 1) return *mid;
    const double below = *std::max_element(values.begin(), mid);
    return 0.5 * (below + *mid);
}

double weightedPercentile(std::span<const double> values, std::span<const double> weights, double q) {
    const std::size_t n = std::min(values.size(), weights.size());
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        total += weights[i];
    double target = q * total;
    // scikit-learn moves a zero target just above 0 so that leading zero-weight values are skipped.
    if (target == 0) target = std::nextafter(0.0, 1.0);
    double cumulative = 0;
    for (std::size_t i = 0; i < n; ++i) {
        cumulative += weights[order[i]];
        if (cumulative >= target) return values[order[i]];
    }
    return values[order[n - 1]];
}

} // namespace runlens::stats

namespace runlens::stats {

double studentTQuantile(double p, double df) {
    if (!(p > 0 && p < 1) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (p == 0.5) return 0.0;
    // Bracket by doubling, then bisect: the CDF is increasing, 200 halvings exhaust double precision.
    double lo = -1, hi = 1;
    while (studentTCdf(lo, df) > p)
        lo *= 2;
    while (studentTCdf(hi, df) < p)
        hi *= 2;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        (studentTCdf(mid, df) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

} // namespace runlens::stats
