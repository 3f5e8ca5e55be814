// Reliability bins as scikit-learn's calibration_curve, calibration errors, and exact binomial intervals.
#include "core/analysis/calibration.h"

#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace runlens {

namespace {

// Continued fraction of the incomplete beta function (modified Lentz), valid for x < (a+1)/(a+b+2).
double betaContinuedFraction(double x, double a, double b) {
    constexpr double kTiny = 1e-300;
    constexpr double kEps = 1e-16;
    const int maxIter = 10000 + static_cast<int>(10 * std::sqrt(std::max(a, b)));
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::fabs(d) < kTiny) d = kTiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= maxIter; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < kEps) break;
    }
    return h;
}

double fractionOf(std::int64_t part, std::int64_t whole) {
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

std::size_t binOf(const std::vector<double>& edges, double s) {
    // searchsorted(edges[1:-1], s, side='left'): the number of inner edges strictly below s.
    const auto first = edges.begin() + 1;
    const auto last = edges.end() - 1;
    return static_cast<std::size_t>(std::lower_bound(first, last, s) - first);
}

struct BinTotals {
    std::vector<std::int64_t> counts, positives;
    std::vector<double> sums;
    explicit BinTotals(std::size_t bins) : counts(bins, 0), positives(bins, 0), sums(bins, 0.0) {}
};

BinTotals totalsByRow(const std::vector<double>& edges, std::span<const int> labels,
                      std::span<const double> scores) {
    BinTotals t(edges.size() - 1);
    const std::size_t n = std::min(labels.size(), scores.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t b = binOf(edges, scores[i]);
        ++t.counts[b];
        t.sums[b] += scores[i];
        t.positives[b] += labels[i] == 1;
    }
    return t;
}

// Sorted scores visit the bins in order, so no search per score is needed.
BinTotals totalsSorted(const std::vector<double>& edges, const RankedScores& ranked) {
    BinTotals t(edges.size() - 1);
    const std::size_t last = edges.size() - 2;
    std::size_t b = 0;
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        const double s = ranked.scores[i];
        while (b < last && s > edges[b + 1])
            ++b;
        ++t.counts[b];
        t.sums[b] += s;
        t.positives[b] += ranked.labels[i];
    }
    return t;
}

CalibrationReport reportWithEdges(std::vector<double> edges, const RankedScores* ranked,
                                  std::span<const int> labels, std::span<const double> scores,
                                  std::int64_t positives, const CalibrationOptions& options) {
    CalibrationReport r;
    r.n = static_cast<std::int64_t>(std::min(labels.size(), scores.size()));
    r.positives = positives;
    r.edges = std::move(edges);
    if (r.n == 0 || r.edges.size() < 2) return r;

    const std::size_t binCount = r.edges.size() - 1;
    const BinTotals totals = ranked ? totalsSorted(r.edges, *ranked) : totalsByRow(r.edges, labels, scores);
    const auto& counts = totals.counts;
    const auto& pos = totals.positives;
    const auto& sums = totals.sums;

    const double total = double(r.n);
    const double base = fractionOf(positives, r.n);
    double ece = 0, mce = 0, gapSum = 0, l2 = 0, rel = 0, res = 0;
    for (std::size_t b = 0; b < binCount; ++b) {
        if (counts[b] == 0) continue;
        CalibrationBin bin;
        bin.lower = r.edges[b];
        bin.upper = r.edges[b + 1];
        bin.count = counts[b];
        bin.positives = pos[b];
        bin.meanPredicted = sums[b] / double(counts[b]);
        bin.fractionPositive = double(pos[b]) / double(counts[b]);
        const auto ci = options.interval == IntervalMethod::Wilson
                            ? wilsonInterval(pos[b], counts[b], options.alpha)
                            : clopperPearsonInterval(pos[b], counts[b], options.alpha);
        bin.ciLow = ci.first;
        bin.ciHigh = ci.second;
        if (options.consistencyBands) {
            const double nb = double(counts[b]);
            bin.consistencyLow = double(binomialQuantile(0.025, counts[b], bin.meanPredicted)) / nb;
            bin.consistencyHigh = double(binomialQuantile(0.975, counts[b], bin.meanPredicted)) / nb;
        }
        const double weight = double(counts[b]) / total;
        const double diff = bin.meanPredicted - bin.fractionPositive;
        const double gap = std::fabs(diff);
        ece += weight * gap;
        mce = std::max(mce, gap);
        gapSum += gap;
        if (counts[b] >= 2) {
            const double f = bin.fractionPositive;
            l2 += weight * (diff * diff - f * (1.0 - f) / double(counts[b] - 1));
        }
        rel += double(counts[b]) * diff * diff;
        res += double(counts[b]) * (bin.fractionPositive - base) * (bin.fractionPositive - base);
        r.bins.push_back(bin);
    }
    r.ece = ece;
    r.mce = mce;
    r.aceAvgBins = gapSum / double(r.bins.size());
    r.l2CeDebiased = std::sqrt(std::max(l2, 0.0));
    r.brier = brierScore(labels, scores);
    auto& d = r.brierDecomposition;
    d.reliability = rel / total;
    d.resolution = res / total;
    d.uncertainty = base * (1.0 - base);
    d.residual = r.brier - (d.reliability - d.resolution + d.uncertainty);
    return r;
}

std::int64_t countPositives(std::span<const int> labels) {
    return std::count(labels.begin(), labels.end(), 1);
}

} // namespace

std::vector<double> uniformEdges(int bins) {
    bins = std::max(bins, 1);
    std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
    const double step = 1.0 / double(bins); // numpy's linspace: i * step, last edge exactly 1
    for (int i = 0; i < bins; ++i)
        edges[static_cast<std::size_t>(i)] = double(i) * step;
    edges.back() = 1.0;
    return edges;
}

// Edges at the B+1 linear-interpolated percentiles, position (n-1)k/B computed exactly, so an edge that lands
// on an observed score is that score and the example stays in the bin (a, b] that ends on it.
std::vector<double> quantileEdges(std::span<const double> ascendingScores, int bins) {
    std::vector<double> edges(static_cast<std::size_t>(bins) + 1, 0.0);
    if (ascendingScores.empty()) return edges;
    for (std::size_t k = 0; k < edges.size(); ++k)
        edges[k] = stats::quantileAtFraction(ascendingScores, k, static_cast<std::uint64_t>(bins));
    return edges;
}

CalibrationReport calibrationReport(const RankedScores& ranked, std::span<const int> labels,
                                    std::span<const double> scores, const CalibrationOptions& options) {
    std::vector<double> edges = options.strategy == BinStrategy::Quantile
                                    ? quantileEdges(ranked.scores, options.bins)
                                    : uniformEdges(options.bins);
    return reportWithEdges(std::move(edges), &ranked, labels, scores, ranked.positives, options);
}

CalibrationReport calibrationReport(std::span<const int> labels, std::span<const double> scores,
                                    const CalibrationOptions& options) {
    if (options.strategy == BinStrategy::Quantile)
        return calibrationReport(rankScores(labels, scores), labels, scores, options);
    return reportWithEdges(uniformEdges(options.bins), nullptr, labels, scores, countPositives(labels),
                           options);
}

CalibrationReport topLabelCalibration(std::span<const int> labels, std::span<const double> probs,
                                      std::size_t k, const CalibrationOptions& options) {
    if (k == 0) return {};
    const std::size_t n = std::min(labels.size(), probs.size() / k);
    std::vector<double> confidence(n);
    std::vector<int> correct(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = probs.subspan(i * k, k);
        const auto best = std::max_element(row.begin(), row.end()); // first maximum, as numpy's argmax
        confidence[i] = *best;
        correct[i] = static_cast<int>(best - row.begin()) == labels[i] ? 1 : 0;
    }
    return calibrationReport(correct, confidence, options);
}

ClasswiseCalibration classwiseCalibration(std::span<const int> labels, std::span<const double> probs,
                                          std::size_t k, const CalibrationOptions& options) {
    ClasswiseCalibration out;
    if (k == 0) return out;
    const std::size_t n = std::min(labels.size(), probs.size() / k);
    std::vector<double> scores(n);
    std::vector<int> isClass(n);
    double eceSum = 0;
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t i = 0; i < n; ++i) {
            scores[i] = probs[i * k + c];
            isClass[i] = labels[i] == static_cast<int>(c) ? 1 : 0;
        }
        out.perClass.push_back(calibrationReport(isClass, scores, options));
        eceSum += out.perClass.back().ece;
    }
    out.meanEce = eceSum / double(k);
    return out;
}

std::pair<double, double> wilsonInterval(std::int64_t count, std::int64_t nobs, double alpha) {
    if (nobs <= 0) return {BinaryMetrics::kNaN, BinaryMetrics::kNaN};
    const double crit = normalQuantile(1.0 - alpha / 2.0);
    const double crit2 = crit * crit;
    const double n = double(nobs);
    const double q = double(count) / n;
    const double denom = 1.0 + crit2 / n;
    const double center = (q + crit2 / (2.0 * n)) / denom;
    const double dist = crit * std::sqrt(q * (1.0 - q) / n + crit2 / (4.0 * n * n)) / denom;
    // At k = 0 (k = n) the bound is exactly 0 (1) in exact arithmetic; center - dist would leave a rounding
    // residue of about 1e-17 (or a negative one) that a reader takes for a real bound.
    const double low = count <= 0 ? 0.0 : std::max(0.0, center - dist);
    const double high = count >= nobs ? 1.0 : std::min(1.0, center + dist);
    return {low, high};
}

std::pair<double, double> clopperPearsonInterval(std::int64_t count, std::int64_t nobs, double alpha) {
    if (nobs <= 0) return {BinaryMetrics::kNaN, BinaryMetrics::kNaN};
    const double k = double(count), n = double(nobs);
    const double low = count == 0 ? 0.0 : betaQuantile(alpha / 2.0, k, n - k + 1.0);
    // The upper limit is beta.isf(alpha/2, k+1, n-k) = 1 - beta.ppf(alpha/2, n-k, k+1), by symmetry.
    const double high = count == nobs ? 1.0 : 1.0 - betaQuantile(alpha / 2.0, n - k, k + 1.0);
    return {low, high};
}

double normalQuantile(double p) {
    if (!(p > 0.0 && p < 1.0)) {
        if (p == 0.0) return -HUGE_VAL;
        if (p == 1.0) return HUGE_VAL;
        return BinaryMetrics::kNaN;
    }
    // Acklam's rational approximation (relative error 1e-9), then one Halley step on erfc for full precision.
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double pLow = 0.02425;
    double x;
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
    for (int i = 0; i < 2; ++i) {
        const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
        const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
        x -= u / (1.0 + x * u / 2.0);
    }
    return x;
}

double regularizedIncompleteBeta(double x, double a, double b) {
    if (!(a > 0 && b > 0) || std::isnan(x)) return BinaryMetrics::kNaN;
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    const double logFront =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(logFront);
    if (x < (a + 1.0) / (a + b + 2.0)) return front * betaContinuedFraction(x, a, b) / a;
    return 1.0 - front * betaContinuedFraction(1.0 - x, b, a) / b;
}

double betaQuantile(double p, double a, double b) {
    if (!(p >= 0.0 && p <= 1.0) || !(a > 0 && b > 0)) return BinaryMetrics::kNaN;
    if (p == 0.0) return 0.0;
    if (p == 1.0) return 1.0;
    // Bisection: I_x(a, b) is increasing in x; 200 halvings exhaust double precision anywhere in (0, 1).
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (regularizedIncompleteBeta(mid, a, b) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

std::int64_t binomialQuantile(double q, std::int64_t n, double p) {
    if (n <= 0 || std::isnan(p) || std::isnan(q)) return 0;
    if (p <= 0.0) return 0;
    if (p >= 1.0) return n;
    // P(X <= k) = I_{1-p}(n - k, k + 1) for k < n; search the smallest k whose CDF reaches q.
    auto cdf = [&](std::int64_t k) {
        return k >= n ? 1.0 : regularizedIncompleteBeta(1.0 - p, double(n - k), double(k + 1));
    };
    std::int64_t lo = 0, hi = n;
    while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (cdf(mid) >= q)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

} // namespace runlens
