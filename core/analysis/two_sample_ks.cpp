// Two-sample KS: the statistic, the exact lattice-path p-value and the one-sample Kolmogorov tail it falls
// back to.
#include "core/analysis/two_sample_ks.h"

#include <algorithm>
#include <cmath>
#include <Eigen/Dense>
#include <limits>
#include <numeric>
#include <vector>

namespace runlens {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;

// P(path leaves the band) for a uniformly random lattice path from (0, 0) to (m, n): a point (i, j) is inside
// when |i n/g - j m/g| < h. q(i, j), the share of paths to (i, j) that have left, is 1 outside and
// (i q(i-1, j) + j q(i, j-1)) / (i + j) inside, since a random path reaches (i, j) from the left with
// probability i / (i + j). Computing q rather than 1 - q keeps small p-values accurate (Viehmann 2021).
double pathsLeaveBand(std::int64_t m, std::int64_t n, std::int64_t h) {
    if (m < n) std::swap(m, n);
    const std::int64_t g = std::gcd(m, n), mg = m / g, ng = n / g;
    std::vector<double> q(std::size_t(n) + 1, 1.0);
    auto bandLow = [&](std::int64_t i) { // smallest j with i ng - j mg < h
        const std::int64_t num = i * ng - h;
        return std::max<std::int64_t>(0, num < 0 ? 0 : num / mg + 1);
    };
    auto bandHigh = [&](std::int64_t i) { // largest j with j mg - i ng < h
        return std::min<std::int64_t>(n, (i * ng + h - 1) / mg);
    };
    for (std::int64_t j = 0; j <= bandHigh(0); ++j)
        q[std::size_t(j)] = 0.0;
    for (std::int64_t i = 1; i <= m; ++i) {
        const std::int64_t lo = bandLow(i), hi = bandHigh(i);
        if (lo > hi) return 1.0;
        for (std::int64_t j = lo; j <= hi; ++j) {
            const double left = j == lo ? (j == 0 ? 0.0 : 1.0) : q[std::size_t(j - 1)];
            q[std::size_t(j)] = (double(i) * q[std::size_t(j)] + double(j) * left) / double(i + j);
        }
    }
    return q[std::size_t(n)];
}

// Durbin's matrix formula in Marsaglia, Tsang & Wang's (2003) form: P(D_n < d) = n!/n^n (H^n)_{kk}, with the
// power's exponent tracked separately so that it neither overflows nor underflows.
double durbinCdf(std::int64_t n, double d) {
    const double nd = double(n) * d;
    const auto k = std::int64_t(std::ceil(nd));
    const double h = double(k) - nd;
    const auto m = Eigen::Index(2 * k - 1);
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(m, m);
    std::vector<double> invFactorial(std::size_t(m) + 1, 1.0);
    for (std::size_t i = 1; i < invFactorial.size(); ++i)
        invFactorial[i] = invFactorial[i - 1] / double(i);
    for (Eigen::Index i = 0; i < m; ++i)
        for (Eigen::Index j = 0; j < m; ++j)
            if (i - j + 1 >= 0) H(i, j) = invFactorial[std::size_t(i - j + 1)];
    for (Eigen::Index i = 0; i < m; ++i) {
        H(i, 0) -= std::pow(h, double(i + 1)) * invFactorial[std::size_t(i + 1)];
        H(m - 1, i) -= std::pow(h, double(m - i)) * invFactorial[std::size_t(m - i)];
    }
    if (2 * h - 1 > 0) H(m - 1, 0) += std::pow(2 * h - 1, double(m)) * invFactorial[std::size_t(m)];
    Eigen::MatrixXd power = Eigen::MatrixXd::Identity(m, m);
    int powerExp = 0, baseExp = 0;
    const double big = std::ldexp(1.0, 256);
    for (std::int64_t e = n; e > 0; e >>= 1) {
        if (e & 1) {
            power = power * H;
            powerExp += baseExp;
            if (std::abs(power(k - 1, k - 1)) > big) power /= big, powerExp += 256;
        }
        if (e > 1) {
            H = H * H;
            baseExp *= 2;
            if (std::abs(H(k - 1, k - 1)) > big) H /= big, baseExp += 256;
        }
    }
    double p = power(k - 1, k - 1);
    for (std::int64_t i = 1; i <= n; ++i) { // times n! / n^n, rescaled as it shrinks
        p = p * double(i) / double(n);
        if (std::abs(p) < 1.0 / big) p *= big, powerExp -= 256;
    }
    return std::clamp(std::ldexp(p, powerExp), 0.0, 1.0);
}

// Pelz & Good (1976): P(D_n <= x) ~ K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 with z = x sqrt(n), each K
// written as theta-function sums that converge fast for small z.
double pelzGoodCdf(std::int64_t n, double x) {
    const double z = std::sqrt(double(n)) * x;
    const double z2 = z * z, z4 = z2 * z2, z6 = z4 * z2, z8 = z4 * z4;
    const double logQ = -kPi * kPi / (8 * z2);
    if (logQ < -708) return 0.0;
    const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
    const auto maxK = std::int64_t(std::ceil(16 * z / kPi));
    double s[4] = {0, 0, 0, 0};
    for (std::int64_t k = 1; k <= maxK; ++k) {
        const double m = double(2 * k - 1), m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
        const double w = std::exp(logQ * m2);
        s[0] += w;
        s[1] += w * (pi2 * m2 / 4 - z2);
        s[2] += w * (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * pi2 * m2 / 4 + pi4 * (1 - 2 * z2) * m4 / 16);
        s[3] += w * (-30 * z6 - 90 * z8 + pi2 * (135 * z4 - 96 * z6) * m2 / 4 +
                     pi4 * (212 * z4 - 60 * z2) * m4 / 16 + pi6 * (5 - 30 * z2) * m6 / 64);
    }
    const double root2pi = std::sqrt(2 * kPi);
    double K[4] = {root2pi * s[0] / z, root2pi * s[1] / (6 * z4), root2pi * s[2] / (72 * z4 * z2 * z),
                   root2pi * s[3] / (6480 * z8 * z2)};
    const double logQ2 = -pi2 / (2 * z2);
    double extra2 = 0, extra3 = 0;
    for (std::int64_t k = 1; k <= maxK; ++k) {
        const double kk = double(k) * double(k), w = std::exp(logQ2 * kk);
        extra2 += kk * w;
        extra3 += (3 * z2 - pi2 * kk) * kk * w;
    }
    K[2] += extra2 * pi2 * root2pi / (-36 * z2 * z);
    K[3] += extra3 * pi2 * root2pi / (216 * z6);
    const double rn = std::sqrt(double(n));
    return K[0] + K[1] / rn + K[2] / double(n) + K[3] / (double(n) * rn);
}

} // namespace

double smirnovSf(std::int64_t n, double d) {
    if (!(n > 0) || !(d >= 0 && d <= 1)) return kNaN;
    if (d == 0) return 1.0;
    if (d == 1) return 0.0;
    if (n > 1000000) { // scipy's approximation for n this large: exp(-(6 n d + 1)^2 / (18 n))
        const double t = 6.0 * double(n) * d + 1;
        return std::exp(-t * t / (18.0 * double(n)));
    }
    // Birnbaum-Tingey: d * sum_{j=0}^{floor(n(1-d))} C(n, j) (d + j/n)^(j-1) (1 - d - j/n)^(n-j), in long
    // double logs; the terms fall off fast, so the sum stops once the rest cannot reach the last digit.
    const long double N = n, D = d, logFactN = std::lgamma(N + 1);
    const auto last = std::int64_t(std::floor(double(n) * (1.0 - d)));
    long double sum = 0, peak = 0;
    for (std::int64_t j = 0; j <= last; ++j) {
        const long double a = D + (long double)j / N, b = 1.0L - D - (long double)j / N;
        if (b <= 0) break;
        const long double logTerm = logFactN - std::lgamma((long double)j + 1) -
                                    std::lgamma(N - (long double)j + 1) + ((long double)j - 1) * std::log(a) +
                                    (N - (long double)j) * std::log(b);
        const long double term = std::exp(logTerm);
        sum += term;
        peak = std::max(peak, term);
        if (term < peak && (long double)(last - j) * term < 1e-19L * sum) break;
    }
    return std::clamp(double(D * sum), 0.0, 1.0);
}

double kolmogorovSf(double x, std::int64_t n) {
    if (n <= 0 || std::isnan(x)) return kNaN;
    if (x >= 1.0) return 0.0;
    if (x <= 0.0) return 1.0;
    const double t = double(n) * x;
    if (t <= 1.0) { // Ruben-Gambino: P(D_n < x) = n!/n^n (2t - 1)^n for 1/(2n) < x <= 1/n
        if (t <= 0.5) return 1.0;
        const double logCdf =
            std::lgamma(double(n) + 1) - double(n) * std::log(double(n)) + double(n) * std::log(2 * t - 1);
        return std::clamp(1.0 - std::exp(logCdf), 0.0, 1.0);
    }
    if (t >= double(n) - 1) return std::clamp(2 * std::pow(1.0 - x, double(n)), 0.0, 1.0);
    if (x >= 0.5) return std::clamp(2 * smirnovSf(n, x), 0.0, 1.0);
    const double nx2 = t * x;
    if (n <= 140) {
        if (nx2 <= 4) return std::clamp(1.0 - durbinCdf(n, x), 0.0, 1.0);
        return std::clamp(2 * smirnovSf(n, x), 0.0, 1.0);
    }
    if (nx2 >= 370) return 0.0;
    if (nx2 >= 2.2) return std::clamp(2 * smirnovSf(n, x), 0.0, 1.0);
    const double cdf =
        n <= 100000 && double(n) * std::pow(x, 1.5) <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
    return std::clamp(1.0 - cdf, 0.0, 1.0);
}

KsResult twoSampleKs(std::span<const double> a, std::span<const double> b) {
    KsResult r;
    std::vector<double> x, y;
    for (double v : a)
        if (std::isfinite(v)) x.push_back(v);
    for (double v : b)
        if (std::isfinite(v)) y.push_back(v);
    r.n1 = std::int64_t(x.size());
    r.n2 = std::int64_t(y.size());
    if (x.empty() || y.empty()) {
        r.statistic = r.p = r.location = kNaN;
        r.method = "an empty sample";
        return r;
    }
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    // Walk the pooled values in order; at each distinct value both ECDFs count everything <= it.
    const double n1 = double(x.size()), n2 = double(y.size());
    double maxPlus = -1, maxMinus = -1, locPlus = 0, locMinus = 0;
    std::size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
        const double v = j >= y.size() || (i < x.size() && x[i] <= y[j]) ? x[i] : y[j];
        while (i < x.size() && x[i] == v)
            ++i;
        while (j < y.size() && y[j] == v)
            ++j;
        const double diff = double(i) / n1 - double(j) / n2;
        if (diff > maxPlus) maxPlus = diff, locPlus = v;
        if (-diff > maxMinus) maxMinus = -diff, locMinus = v;
    }
    maxMinus = std::clamp(maxMinus, 0.0, 1.0);
    // scipy takes the negative side only when it is strictly larger.
    if (maxMinus > maxPlus) {
        r.statistic = maxMinus, r.location = locMinus, r.sign = -1;
    } else {
        r.statistic = maxPlus, r.location = locPlus, r.sign = 1;
    }
    if (std::max(r.n1, r.n2) <= 10000) {
        const std::int64_t g = std::gcd(r.n1, r.n2), lcm = (r.n1 / g) * r.n2;
        const auto h = std::int64_t(std::llround(r.statistic * double(lcm)));
        r.statistic = double(h) / double(lcm);
        r.p = h == 0 ? 1.0 : std::clamp(pathsLeaveBand(r.n1, r.n2, h), 0.0, 1.0);
        r.exact = true;
        r.method = "exact";
        return r;
    }
    const double m = double(std::max(r.n1, r.n2)), n = double(std::min(r.n1, r.n2));
    r.p = kolmogorovSf(r.statistic, std::llround(m * n / (m + n)));
    r.method = "asymptotic";
    return r;
}

} // namespace runlens
