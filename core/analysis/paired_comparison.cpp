// Paired tests for two models on shared examples: McNemar, DeLong's AUC test and a paired bootstrap.
#include "core/analysis/paired_comparison.h"

#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace runlens {

Alignment alignById(std::span<const std::string> idsA, std::span<const std::string> idsB) {
    // Logs written by the same evaluation script usually list the same ids in the same order: pair them by
    // position without hashing (a repeated id then pairs with its own repeat, which is the natural reading).
    if (idsA.size() == idsB.size() && std::equal(idsA.begin(), idsA.end(), idsB.begin())) {
        Alignment out = alignByRow(idsA.size(), idsB.size());
        out.byId = true;
        return out;
    }
    Alignment out;
    out.byId = true;
    std::unordered_map<std::string_view, std::size_t> rowOfB;
    rowOfB.reserve(idsB.size());
    for (std::size_t i = 0; i < idsB.size(); ++i)
        if (!rowOfB.emplace(idsB[i], i).second) ++out.duplicateIds;
    std::vector<std::uint8_t> usedB(idsB.size(), 0);
    std::unordered_map<std::string_view, bool> seenA;
    for (std::size_t i = 0; i < idsA.size(); ++i) {
        if (!seenA.emplace(idsA[i], true).second) {
            ++out.duplicateIds;
            ++out.unmatchedA;
            continue;
        }
        const auto it = rowOfB.find(idsA[i]);
        if (it == rowOfB.end()) {
            ++out.unmatchedA;
            continue;
        }
        out.rowsA.push_back(i);
        out.rowsB.push_back(it->second);
        usedB[it->second] = 1;
    }
    out.unmatchedB = static_cast<std::int64_t>(std::count(usedB.begin(), usedB.end(), 0));
    return out;
}

Alignment alignByRow(std::size_t rowsA, std::size_t rowsB) {
    Alignment out;
    const std::size_t n = std::min(rowsA, rowsB);
    out.rowsA.resize(n);
    std::iota(out.rowsA.begin(), out.rowsA.end(), 0);
    out.rowsB = out.rowsA;
    out.unmatchedA = static_cast<std::int64_t>(rowsA - n);
    out.unmatchedB = static_cast<std::int64_t>(rowsB - n);
    return out;
}

McNemarResult mcnemar(std::span<const std::uint8_t> correctA, std::span<const std::uint8_t> correctB) {
    McNemarResult r;
    const std::size_t n = std::min(correctA.size(), correctB.size());
    r.n = static_cast<std::int64_t>(n);
    for (std::size_t i = 0; i < n; ++i) {
        const bool a = correctA[i] != 0, b = correctB[i] != 0;
        if (a && b)
            ++r.bothCorrect;
        else if (a)
            ++r.aOnlyCorrect;
        else if (b)
            ++r.bOnlyCorrect;
        else
            ++r.bothWrong;
    }
    const std::int64_t discordant = r.aOnlyCorrect + r.bOnlyCorrect;
    r.exactP = stats::binomialTwoSidedHalf(std::min(r.aOnlyCorrect, r.bOnlyCorrect), discordant);
    if (discordant == 0) {
        r.chi2 = std::numeric_limits<double>::quiet_NaN();
        r.chi2P = 1.0;
        return r;
    }
    const double d = std::abs(static_cast<double>(r.aOnlyCorrect - r.bOnlyCorrect)) - 1.0;
    r.chi2 = d * d / static_cast<double>(discordant);
    r.chi2P = stats::chiSquare1Sf(r.chi2);
    return r;
}

namespace {

// Structural components of one model's AUC from a single sort (equivalent to DeLong's midrank formulas):
// V10 of a positive = (negatives below it + half the negatives tied with it) / n_neg, and
// V01 of a negative = (positives above it + half the positives tied with it) / n_pos.
void placements(std::span<const int> labels, std::span<const double> scores, std::vector<double>& v10,
                std::vector<double>& v01) {
    // (score, is positive, index among its class in example order): both models then list their components in
    // the same example order, which the covariance between the models needs.
    struct Entry {
        double score;
        std::uint32_t positive;
        std::uint32_t index;
    };
    std::vector<Entry> sorted(labels.size());
    std::uint32_t pos = 0, neg = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const bool isPos = labels[i] == 1;
        sorted[i] = {scores[i], isPos ? 1u : 0u, isPos ? pos++ : neg++};
    }
    std::sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) { return a.score < b.score; });
    v10.assign(pos, 0.0);
    v01.assign(neg, 0.0);
    std::size_t negBelow = 0, posBelow = 0;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i, p = 0, q = 0;
        while (j < sorted.size() && sorted[j].score == sorted[i].score)
            (sorted[j].positive ? p : q)++, ++j;
        const double v10Group = (double(negBelow) + 0.5 * double(q)) / double(neg);
        const double v01Group = (double(pos - posBelow - p) + 0.5 * double(p)) / double(pos);
        for (std::size_t k = i; k < j; ++k)
            (sorted[k].positive ? v10 : v01)[sorted[k].index] = sorted[k].positive ? v10Group : v01Group;
        negBelow += q;
        posBelow += p;
        i = j;
    }
}

double mean(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

double covariance(const std::vector<double>& a, const std::vector<double>& b, double ma, double mb) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += (a[i] - ma) * (b[i] - mb);
    return s / static_cast<double>(a.size() - 1);
}

} // namespace

DeLongResult delong(std::span<const int> labels, std::span<const double> scoresA,
                    std::span<const double> scoresB) {
    DeLongResult r;
    std::vector<double> a10, a01, b10, b01;
    placements(labels, scoresA, a10, a01);
    placements(labels, scoresB, b10, b01);
    if (a10.size() < 2 || a01.size() < 2) {
        r.aucA = r.aucB = r.z = std::numeric_limits<double>::quiet_NaN();
        r.p = std::numeric_limits<double>::quiet_NaN();
        return r;
    }
    r.aucA = mean(a10);
    r.aucB = mean(b10);
    const double m = static_cast<double>(a10.size()), n = static_cast<double>(a01.size());
    const double s10 = covariance(a10, a10, r.aucA, r.aucA) + covariance(b10, b10, r.aucB, r.aucB) -
                       2.0 * covariance(a10, b10, r.aucA, r.aucB);
    const double ma01 = mean(a01), mb01 = mean(b01);
    const double s01 = covariance(a01, a01, ma01, ma01) + covariance(b01, b01, mb01, mb01) -
                       2.0 * covariance(a01, b01, ma01, mb01);
    r.variance = s10 / m + s01 / n;
    if (!(r.variance > 0)) {
        r.z = 0;
        r.p = 1;
        return r;
    }
    r.z = (r.aucA - r.aucB) / std::sqrt(r.variance);
    r.p = std::erfc(std::abs(r.z) / std::sqrt(2.0)); // same value, no cancellation for large |z|
    return r;
}

BootstrapDelta pairedBootstrap(const PairedMetric& metric, std::size_t n, int resamples, std::uint64_t seed,
                               std::string metricName) {
    BootstrapDelta out;
    out.metric = std::move(metricName);
    out.resamples = resamples;
    out.seed = seed;
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0);
    out.delta = metric(rows, 1) - metric(rows, 0);
    stats::IndexSampler sampler(seed);
    std::vector<double> deltas;
    deltas.reserve(static_cast<std::size_t>(resamples));
    for (int b = 0; b < resamples; ++b) {
        for (auto& r : rows)
            r = sampler(n);
        deltas.push_back(metric(rows, 1) - metric(rows, 0));
    }
    const auto ci = stats::percentileInterval(std::move(deltas));
    out.ciLow = ci.low;
    out.ciHigh = ci.high;
    return out;
}

BootstrapDelta pairedBootstrapMean(std::span<const double> differences, int resamples, std::uint64_t seed,
                                   std::string metricName) {
    BootstrapDelta out;
    out.metric = std::move(metricName);
    out.resamples = resamples;
    out.seed = seed;
    const std::size_t n = differences.size();
    if (n == 0) {
        out.delta = out.ciLow = out.ciHigh = std::numeric_limits<double>::quiet_NaN();
        return out;
    }
    out.delta = std::accumulate(differences.begin(), differences.end(), 0.0) / static_cast<double>(n);
    stats::IndexSampler sampler(seed);
    std::vector<double> deltas;
    deltas.reserve(static_cast<std::size_t>(resamples));
    // Differences with at most three values (accuracy: -1, 0, 1): a resample is fully described by how many
    // of each it draws, a multinomial draw, so a resample costs a few hundred steps instead of n random
    // reads.
    std::vector<double> levels;
    for (double d : differences) {
        if (std::find(levels.begin(), levels.end(), d) == levels.end()) levels.push_back(d);
        if (levels.size() > 3) break;
    }
    if (levels.size() <= 3) {
        std::vector<std::int64_t> counts(levels.size(), 0);
        for (double d : differences)
            ++counts[static_cast<std::size_t>(std::find(levels.begin(), levels.end(), d) - levels.begin())];
        for (int b = 0; b < resamples; ++b) {
            std::int64_t left = static_cast<std::int64_t>(n);
            double massLeft = 1.0, sum = 0;
            for (std::size_t k = 0; k < levels.size(); ++k) {
                const double p = double(counts[k]) / double(n);
                const std::int64_t drawn =
                    k + 1 == levels.size() ? left : sampler.binomial(left, std::min(1.0, p / massLeft));
                sum += double(drawn) * levels[k];
                left -= drawn;
                massLeft -= p;
            }
            deltas.push_back(sum / static_cast<double>(n));
        }
        const auto ci = stats::percentileInterval(std::move(deltas));
        out.ciLow = ci.low;
        out.ciHigh = ci.high;
        return out;
    }
    for (int b = 0; b < resamples; ++b) {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i)
            sum += differences[sampler(n)];
        deltas.push_back(sum / static_cast<double>(n));
    }
    const auto ci = stats::percentileInterval(std::move(deltas));
    out.ciLow = ci.low;
    out.ciHigh = ci.high;
    return out;
}

} // namespace runlens
