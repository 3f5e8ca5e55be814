// Paired comparison of two regressors: bootstrap deltas, scipy-equal Wilcoxon and paired t, winners and
// losers.
#include "core/analysis/paired_regression.h"

#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace runlens {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Null distribution of rPlus for n untied nonzero differences: P(rPlus = s), s = 0..n(n+1)/2, built by adding
// rank k with probability 1/2 at a time.
std::vector<double> signedRankDistribution(std::int64_t n) {
    std::vector<double> pmf{1.0};
    for (std::int64_t k = 1; k <= n; ++k) {
        std::vector<double> next(std::size_t(k * (k + 1) / 2 + 1), 0.0);
        for (std::size_t s = 0; s < pmf.size(); ++s) {
            next[s] += 0.5 * pmf[s];
            next[s + std::size_t(k)] += 0.5 * pmf[s];
        }
        pmf = std::move(next);
    }
    return pmf;
}

// Average ranks (1-based) of the values, and the sizes of the groups of tied values.
std::vector<double> averageRanks(std::span<const double> values, std::vector<std::int64_t>& tieGroups) {
    const std::size_t n = values.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && values[order[j]] == values[order[i]])
            ++j;
        const double rank = 0.5 * double(i + 1 + j); // mean of ranks i+1 .. j
        for (std::size_t k = i; k < j; ++k)
            ranks[order[k]] = rank;
        if (j - i > 1) tieGroups.push_back(std::int64_t(j - i));
        i = j;
    }
    return ranks;
}

} // namespace

WilcoxonResult wilcoxonSignedRank(std::span<const double> differences) {
    WilcoxonResult r;
    r.n = std::int64_t(differences.size());
    if (r.n == 0) {
        r.statistic = r.p = r.z = kNaN;
        r.note = "no differences";
        return r;
    }
    std::vector<double> nonzero;
    for (double d : differences)
        (d == 0 ? void(++r.zeros) : nonzero.push_back(d));
    r.exact = r.n <= 50 && r.zeros == 0;
    if (!r.exact && r.zeros == r.n) {
        r.statistic = r.p = r.z = kNaN;
        r.note = "every difference is 0: the test is not defined";
        return r;
    }
    // Exact mode ranks all differences (there are no zeros then); the approximation drops the zeros.
    std::vector<double> magnitudes(nonzero.size());
    for (std::size_t i = 0; i < nonzero.size(); ++i)
        magnitudes[i] = std::abs(nonzero[i]);
    std::vector<std::int64_t> tieGroups;
    const auto ranks = averageRanks(magnitudes, tieGroups);
    for (std::size_t i = 0; i < nonzero.size(); ++i)
        (nonzero[i] > 0 ? r.rPlus : r.rMinus) += ranks[i];
    r.statistic = std::min(r.rPlus, r.rMinus);
    const auto count = double(nonzero.size());
    if (r.exact) {
        r.z = kNaN;
        r.note = "exact null distribution (n <= 50, no zero differences)";
        if (!tieGroups.empty()) r.note += "; ties present, rPlus truncated to an integer as scipy 1.10 does";
        const auto pmf = signedRankDistribution(r.n);
        const auto rPlus = std::size_t(r.rPlus); // truncation, as scipy's int(r_plus)
        if (rPlus == (pmf.size() - 1) / 2) {
            r.p = 1.0;
            return r;
        }
        double less = 0, greater = 0;
        for (std::size_t s = 0; s < pmf.size(); ++s) {
            if (s <= rPlus) less += pmf[s];
            if (s >= rPlus) greater += pmf[s];
        }
        r.p = std::clamp(2.0 * std::min(less, greater), 0.0, 1.0);
        return r;
    }
    r.note = r.n > 50 ? "normal approximation (n > 50)" : "normal approximation (zero differences present)";
    if (r.zeros > 0) r.note += "; " + std::to_string(r.zeros) + " zero difference(s) dropped";
    const double mean = count * (count + 1) * 0.25;
    double variance = count * (count + 1) * (2 * count + 1);
    for (const auto t : tieGroups)
        variance -= 0.5 * double(t) * (double(t) * double(t) - 1);
    const double se = std::sqrt(variance / 24);
    r.z = (r.statistic - mean) / se;
    r.p = std::min(1.0, 2.0 * stats::normalCdf(-std::abs(r.z)));
    return r;
}

PairedTResult pairedTTest(std::span<const double> a, std::span<const double> b) {
    PairedTResult r;
    const std::size_t n = std::min(a.size(), b.size());
    r.n = std::int64_t(n);
    r.df = double(n) - 1;
    if (n < 2) {
        r.meanDifference = n ? a[0] - b[0] : kNaN;
        r.sdDifference = r.t = r.p = kNaN;
        return r;
    }
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += a[i] - b[i];
    r.meanDifference = sum / double(n);
    double ss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = a[i] - b[i] - r.meanDifference;
        ss += d * d;
    }
    r.sdDifference = std::sqrt(ss / double(n - 1));
    const double se = r.sdDifference / std::sqrt(double(n));
    if (!(se > 0)) {
        r.t = r.p = kNaN;
        return r;
    }
    r.t = r.meanDifference / se;
    r.p = stats::studentTTwoSided(r.t, r.df);
    return r;
}

PairedRegressionComparison compareRegressors(std::span<const double> labels,
                                             std::span<const double> predictionsA,
                                             std::span<const double> predictionsB,
                                             const PairedRegressionOptions& options) {
    PairedRegressionComparison c;
    c.kind = options.kind;
    const std::size_t rows = std::min({labels.size(), predictionsA.size(), predictionsB.size()});
    std::vector<double> absA, absB, errA, errB;
    std::vector<std::size_t> rowOf;
    for (std::size_t i = 0; i < rows; ++i) {
        if (!std::isfinite(labels[i]) || !std::isfinite(predictionsA[i]) || !std::isfinite(predictionsB[i])) {
            ++c.skipped;
            continue;
        }
        const double ea = predictionsA[i] - labels[i], eb = predictionsB[i] - labels[i];
        absA.push_back(std::abs(ea));
        absB.push_back(std::abs(eb));
        errA.push_back(options.kind == PairedErrorKind::Absolute ? std::abs(ea) : ea * ea);
        errB.push_back(options.kind == PairedErrorKind::Absolute ? std::abs(eb) : eb * eb);
        rowOf.push_back(i);
    }
    c.skipped += std::int64_t(std::max({labels.size(), predictionsA.size(), predictionsB.size()}) - rows);
    const std::size_t n = errA.size();
    c.n = std::int64_t(n);
    c.maeDelta.metric = "mae";
    c.rmseDelta.metric = "rmse";
    if (n == 0) {
        c.sentence = "No example has a label and both predictions.";
        return c;
    }
    // One set of resamples for both deltas: per row |eA|, |eB|, eA^2, eB^2.
    const RowValues values = [&](std::size_t i, double* v) {
        v[0] = absA[i];
        v[1] = absB[i];
        v[2] = absA[i] * absA[i];
        v[3] = absB[i] * absB[i];
    };
    const SumResamples sums = resampleSums(n, 4, values, options.bootstrap);
    c.bootstrapExact = sums.exact;
    const double nn = double(n);
    auto rmseDelta = [&](std::span<const double> s) { return std::sqrt(s[3] / nn) - std::sqrt(s[2] / nn); };
    std::vector<double> mae, rmse;
    for (int b = 0; b < sums.resamples; ++b) {
        const auto s = sums.resample(b);
        mae.push_back((s[1] - s[0]) / nn);
        rmse.push_back(rmseDelta(s));
    }
    for (auto* d : {&c.maeDelta, &c.rmseDelta}) {
        d->resamples = options.bootstrap.resamples;
        d->seed = options.bootstrap.seed;
    }
    c.maeDelta.delta = (sums.totals[1] - sums.totals[0]) / nn;
    c.rmseDelta.delta = rmseDelta(sums.totals);
    const auto maeCi = stats::percentileInterval(std::move(mae), options.bootstrap.alpha);
    const auto rmseCi = stats::percentileInterval(std::move(rmse), options.bootstrap.alpha);
    c.maeDelta.ciLow = maeCi.low;
    c.maeDelta.ciHigh = maeCi.high;
    c.rmseDelta.ciLow = rmseCi.low;
    c.rmseDelta.ciHigh = rmseCi.high;

    std::vector<double> change(n);
    for (std::size_t i = 0; i < n; ++i) {
        change[i] = errB[i] - errA[i];
        change[i]<0 ? ++c.bBetter : change[i]> 0 ? ++c.aBetter : ++c.ties;
    }
    c.wilcoxon = wilcoxonSignedRank(change);
    c.tTest = pairedTTest(errB, errA);
    c.shareBBetter = double(c.bBetter) / nn;
    c.shareBBetterCi = stats::wilson(c.bBetter, c.n);

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    const std::size_t k = std::min(options.topK, n);
    auto pick = [&](auto better, std::vector<ExampleChange>& out, bool wantPositive) {
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(), better);
        for (std::size_t j = 0; j < k; ++j) {
            const std::size_t i = order[j];
            if (wantPositive ? change[i] <= 0 : change[i] >= 0) break;
            out.push_back({rowOf[i], errA[i], errB[i], change[i]});
        }
    };
    pick([&](std::size_t a, std::size_t b) { return change[a] > change[b]; }, c.largestRegressions, true);
    pick([&](std::size_t a, std::size_t b) { return change[a] < change[b]; }, c.largestImprovements, false);

    const bool lower = c.maeDelta.ciHigh<0, higher = c.maeDelta.ciLow> 0;
    c.sentence = "B's MAE is " + formatNumber(std::abs(c.maeDelta.delta)) +
                 (c.maeDelta.delta <= 0 ? " lower" : " higher") + " than A's (95% CI " +
                 formatNumber(c.maeDelta.ciLow) + " to " + formatNumber(c.maeDelta.ciHigh) +
                 (lower    ? ", B better"
                  : higher ? ", A better"
                           : ", no clear winner") +
                 "); B is better on " + formatPercent(c.shareBBetter) + " of " + std::to_string(c.n) +
                 " examples (A on " + formatPercent(double(c.aBetter) / nn) +
                 "); Wilcoxon p = " + formatNumber(c.wilcoxon.p) +
                 ", paired t p = " + formatNumber(c.tTest.p) + ".";
    return c;
}

} // namespace runlens
