// Exact and fast bootstrap resampling of sums, medians and maxima over rows.
#include "core/analysis/bootstrap_sums.h"

#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <Eigen/Dense>
#include <limits>
#include <numeric>

namespace runlens {

namespace {

constexpr double kExtremeSd = 4.0;
constexpr std::size_t kMaxExtremeRows = 65536;

// A row z sd from the mean moves a resample's standardised sum by z / sqrt(n) each time it is drawn; beyond
// sqrt(n) / 32 sd (and at least 4 sd) that step is large enough to keep the row's draws exact.
double extremeThreshold(std::size_t n) {
    return std::max(kExtremeSd, std::sqrt(double(n)) / 32.0);
}

double standardNormal(stats::IndexSampler& sampler) {
    return stats::normalQuantile(sampler.uniform());
}

SumResamples exactSums(std::size_t n, std::size_t d, const RowValues& values, const BootstrapOptions& o) {
    SumResamples out;
    out.dims = d;
    out.resamples = o.resamples;
    out.method = "multinomial resampling of all rows";
    std::vector<double> rows(n * d);
    for (std::size_t i = 0; i < n; ++i)
        values(i, rows.data() + i * d);
    out.totals.assign(d, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j)
            out.totals[j] += rows[i * d + j];
    out.sums.assign(std::size_t(std::max(o.resamples, 0)) * d, 0.0);
    stats::IndexSampler sampler(o.seed);
    for (int b = 0; b < o.resamples; ++b) {
        double* acc = out.sums.data() + std::size_t(b) * d;
        for (std::size_t k = 0; k < n; ++k) {
            const double* row = rows.data() + sampler(n) * d;
            for (std::size_t j = 0; j < d; ++j)
                acc[j] += row[j];
        }
    }
    return out;
}

SumResamples fastSums(std::size_t n, std::size_t d, const RowValues& values, const BootstrapOptions& o) {
    SumResamples out;
    out.dims = d;
    out.resamples = o.resamples;
    out.exact = false;
    std::vector<double> row(d), shift(d), s1(d, 0.0), s2(d, 0.0);
    // Pass 1: mean and sd of each value (sums shifted by the first row keep the variance accurate).
    values(0, shift.data());
    for (std::size_t i = 0; i < n; ++i) {
        values(i, row.data());
        for (std::size_t j = 0; j < d; ++j) {
            const double v = row[j] - shift[j];
            s1[j] += v;
            s2[j] += v * v;
        }
    }
    std::vector<double> mean(d), sd(d);
    out.totals.resize(d);
    for (std::size_t j = 0; j < d; ++j) {
        const double m = s1[j] / double(n);
        mean[j] = shift[j] + m;
        sd[j] = std::sqrt(std::max(0.0, s2[j] / double(n) - m * m));
        out.totals[j] = s1[j] + shift[j] * double(n);
    }
    // Pass 2: rows beyond the cutoff are extreme candidates; the others go into the bulk's mean and
    // covariance (centred on the overall means, lower triangle).
    const double cutoff = extremeThreshold(n);
    std::vector<double> bulkSum(d, 0.0), bulkCross(d * d, 0.0), centred(d);
    std::size_t bulkRows = 0;
    auto addToBulk = [&](const double* r) {
        for (std::size_t j = 0; j < d; ++j)
            centred[j] = r[j] - mean[j];
        for (std::size_t j = 0; j < d; ++j) {
            bulkSum[j] += centred[j];
            for (std::size_t k = 0; k <= j; ++k)
                bulkCross[j * d + k] += centred[j] * centred[k];
        }
        ++bulkRows;
    };
    std::vector<double> extreme;
    std::vector<std::pair<double, std::size_t>> distance; // (z, candidate index)
    for (std::size_t i = 0; i < n; ++i) {
        values(i, row.data());
        double z = 0;
        for (std::size_t j = 0; j < d; ++j)
            if (sd[j] > 0) z = std::max(z, std::abs(row[j] - mean[j]) / sd[j]);
        if (z > cutoff) {
            distance.emplace_back(z, distance.size());
            extreme.insert(extreme.end(), row.begin(), row.end());
        } else {
            addToBulk(row.data());
        }
    }
    double threshold = cutoff;
    if (distance.size() > kMaxExtremeRows) {
        // Too many candidates: keep the most extreme, the rest join the bulk.
        std::nth_element(distance.begin(), distance.begin() + std::ptrdiff_t(kMaxExtremeRows), distance.end(),
                         std::greater<>());
        threshold = distance[kMaxExtremeRows].first;
        std::vector<double> kept;
        kept.reserve(kMaxExtremeRows * d);
        for (std::size_t c = 0; c < distance.size(); ++c) {
            const double* r = extreme.data() + distance[c].second * d;
            if (c < kMaxExtremeRows)
                kept.insert(kept.end(), r, r + d);
            else
                addToBulk(r);
        }
        extreme = std::move(kept);
    }
    const std::size_t extremeRows = extreme.size() / d;
    out.extremeRows = extremeRows;
    Eigen::VectorXd bulkMean = Eigen::VectorXd::Zero(Eigen::Index(d));
    Eigen::MatrixXd root = Eigen::MatrixXd::Zero(Eigen::Index(d), Eigen::Index(d));
    if (bulkRows > 0) {
        Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(Eigen::Index(d), Eigen::Index(d));
        for (std::size_t j = 0; j < d; ++j) {
            const double dj = bulkSum[j] / double(bulkRows);
            bulkMean[Eigen::Index(j)] = mean[j] + dj;
            for (std::size_t k = 0; k <= j; ++k) {
                const double c = bulkCross[j * d + k] / double(bulkRows) - dj * bulkSum[k] / double(bulkRows);
                cov(Eigen::Index(j), Eigen::Index(k)) = cov(Eigen::Index(k), Eigen::Index(j)) = c;
            }
        }
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
        root = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
    }
    char cut[32];
    std::snprintf(cut, sizeof cut, "%.3g", double(threshold));
    out.method = "multinomial draws of the " + std::to_string(extremeRows) + " extreme rows (beyond " + cut +
                 " sd) and the normal limit of the draws from the other " + std::to_string(bulkRows) +
                 " rows";

    out.sums.assign(std::size_t(std::max(o.resamples, 0)) * d, 0.0);
    stats::IndexSampler sampler(o.seed);
    const double extremeShare = double(extremeRows) / double(n);
    Eigen::VectorXd z = Eigen::VectorXd::Zero(Eigen::Index(d));
    for (int b = 0; b < o.resamples; ++b) {
        double* acc = out.sums.data() + std::size_t(b) * d;
        const std::int64_t onExtreme =
            bulkRows == 0 ? std::int64_t(n) : sampler.binomial(std::int64_t(n), extremeShare);
        for (std::int64_t k = 0; k < onExtreme; ++k) {
            const double* r = extreme.data() + sampler(extremeRows) * d;
            for (std::size_t j = 0; j < d; ++j)
                acc[j] += r[j];
        }
        const double onBulk = double(std::int64_t(n) - onExtreme);
        if (onBulk <= 0) continue;
        for (std::size_t j = 0; j < d; ++j)
            z[Eigen::Index(j)] = standardNormal(sampler);
        const Eigen::VectorXd bulk = onBulk * bulkMean + std::sqrt(onBulk) * (root * z);
        for (std::size_t j = 0; j < d; ++j)
            acc[j] += bulk[Eigen::Index(j)];
    }
    return out;
}

// The resample median of the drawn values (and weights), as stats::median / stats::weightedPercentile.
double drawnMedian(std::vector<double>& drawn, std::vector<double>& drawnWeights, bool weighted) {
    if (!weighted) return stats::median(std::move(drawn));
    return stats::weightedPercentile(drawn, drawnWeights, 0.5);
}

std::vector<double> exactMedians(std::span<const double> values, std::span<const double> weights,
                                 const BootstrapOptions& o) {
    const std::size_t n = values.size();
    const bool weighted = !weights.empty();
    std::vector<double> out;
    out.reserve(std::size_t(std::max(o.resamples, 0)));
    stats::IndexSampler sampler(o.seed);
    std::vector<double> drawn(n), drawnWeights(weighted ? n : 0);
    for (int b = 0; b < o.resamples; ++b) {
        drawn.resize(n);
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = sampler(n);
            drawn[k] = values[i];
            if (weighted) drawnWeights[k] = weights[i];
        }
        out.push_back(drawnMedian(drawn, drawnWeights, weighted));
    }
    return out;
}

struct MeanVar {
    double mean = 0, var = 0;
};

MeanVar meanVar(const std::vector<std::pair<double, double>>& rows, std::size_t from, std::size_t to) {
    MeanVar m;
    if (to <= from) return m;
    double s = 0, s2 = 0;
    for (std::size_t i = from; i < to; ++i)
        s += rows[i].second;
    m.mean = s / double(to - from);
    for (std::size_t i = from; i < to; ++i)
        s2 += (rows[i].second - m.mean) * (rows[i].second - m.mean);
    m.var = s2 / double(to - from);
    return m;
}

std::vector<double> fastMedians(std::span<const double> values, std::span<const double> weights,
                                const BootstrapOptions& o) {
    const std::size_t n = values.size();
    const bool weighted = !weights.empty();
    // (value, weight) pairs; only the window of ranks [lo, hi) around the median is sorted.
    std::vector<std::pair<double, double>> rows(n);
    for (std::size_t i = 0; i < n; ++i)
        rows[i] = {values[i], weighted ? weights[i] : 1.0};
    const auto halfWidth = std::size_t(std::ceil((weighted ? 12.0 : 5.0) * std::sqrt(double(n)))) + 16;
    const std::size_t lo = n / 2 > halfWidth ? n / 2 - halfWidth : 0;
    const std::size_t hi = std::min(n, n / 2 + halfWidth + 1);
    auto byValue = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (lo > 0) std::nth_element(rows.begin(), rows.begin() + std::ptrdiff_t(lo), rows.end(), byValue);
    if (hi < n)
        std::nth_element(rows.begin() + std::ptrdiff_t(lo), rows.begin() + std::ptrdiff_t(hi), rows.end(),
                         byValue);
    std::sort(rows.begin() + std::ptrdiff_t(lo), rows.begin() + std::ptrdiff_t(hi), byValue);
    const MeanVar below = meanVar(rows, 0, lo), above = meanVar(rows, hi, n);
    const std::size_t window = hi - lo;
    std::vector<std::int64_t> counts(window);
    std::vector<double> out;
    out.reserve(std::size_t(std::max(o.resamples, 0)));
    stats::IndexSampler sampler(o.seed);
    for (int b = 0; b < o.resamples; ++b) {
        const std::int64_t kBelow = sampler.binomial(std::int64_t(n), double(lo) / double(n));
        const std::int64_t kWindow =
            hi == n ? std::int64_t(n) - kBelow
                    : sampler.binomial(std::int64_t(n) - kBelow, double(window) / double(n - lo));
        const std::int64_t kAbove = std::int64_t(n) - kBelow - kWindow;
        std::fill(counts.begin(), counts.end(), 0);
        for (std::int64_t k = 0; k < kWindow; ++k)
            ++counts[sampler(window)];
        if (!weighted) {
            // Ranks (1-based) of the middle value(s) among the n drawn values.
            const auto r1 = std::int64_t((n + 1) / 2), r2 = std::int64_t(n / 2 + 1);
            double v1 = rows[lo].first, v2 = rows[hi - 1].first;
            std::int64_t seen = kBelow;
            bool got1 = r1 <= seen, got2 = r2 <= seen;
            for (std::size_t i = 0; i < window && !(got1 && got2); ++i) {
                seen += counts[i];
                if (!got1 && seen >= r1) v1 = rows[lo + i].first, got1 = true;
                if (!got2 && seen >= r2) v2 = rows[lo + i].first, got2 = true;
            }
            out.push_back(n % 2 == 1 ? v1 : 0.5 * (v1 + v2));
            continue;
        }
        auto normalSum = [&](std::int64_t k, const MeanVar& m) {
            if (k <= 0) return 0.0;
            return std::max(0.0, double(k) * m.mean + std::sqrt(double(k) * m.var) * standardNormal(sampler));
        };
        const double wBelow = normalSum(kBelow, below), wAbove = normalSum(kAbove, above);
        double wWindow = 0;
        for (std::size_t i = 0; i < window; ++i)
            wWindow += double(counts[i]) * rows[lo + i].second;
        const double target = 0.5 * (wBelow + wWindow + wAbove);
        double cumulative = wBelow, value = rows[hi - 1].first;
        if (cumulative >= target) {
            value = rows[lo].first;
        } else {
            for (std::size_t i = 0; i < window; ++i) {
                cumulative += double(counts[i]) * rows[lo + i].second;
                if (counts[i] > 0 && cumulative >= target) {
                    value = rows[lo + i].first;
                    break;
                }
            }
        }
        out.push_back(value);
    }
    return out;
}

} // namespace

bool usesExactResampling(std::size_t n, const BootstrapOptions& options) {
    if (options.mode == BootstrapMode::Exact) return true;
    if (options.mode == BootstrapMode::Fast) return false;
    return double(n) * double(std::max(options.resamples, 0)) <= kExactBootstrapBudget;
}

SumResamples resampleSums(std::size_t n, std::size_t dims, const RowValues& values,
                          const BootstrapOptions& options) {
    if (n == 0 || dims == 0) {
        SumResamples out;
        out.dims = dims;
        out.totals.assign(dims, 0.0);
        out.method = "no rows";
        return out;
    }
    return usesExactResampling(n, options) ? exactSums(n, dims, values, options)
                                           : fastSums(n, dims, values, options);
}

std::vector<double> resampleMedians(std::span<const double> values, std::span<const double> weights,
                                    const BootstrapOptions& options) {
    if (values.empty()) return {};
    if (!weights.empty() && weights.size() != values.size()) return {};
    return usesExactResampling(values.size(), options) ? exactMedians(values, weights, options)
                                                       : fastMedians(values, weights, options);
}

std::vector<double> resampleMaxima(std::span<const double> values, const BootstrapOptions& options) {
    const std::size_t n = values.size();
    std::vector<double> out;
    if (n == 0) return out;
    out.reserve(std::size_t(std::max(options.resamples, 0)));
    stats::IndexSampler sampler(options.seed);
    if (usesExactResampling(n, options)) {
        for (int b = 0; b < options.resamples; ++b) {
            double m = -std::numeric_limits<double>::infinity();
            for (std::size_t k = 0; k < n; ++k)
                m = std::max(m, values[sampler(n)]);
            out.push_back(m);
        }
        return out;
    }
    // The 64 largest values, largest first: a resample's maximum is below them with probability ~e^-64.
    const std::size_t top = std::min<std::size_t>(64, n);
    std::vector<double> largest(values.begin(), values.end());
    std::partial_sort(largest.begin(), largest.begin() + std::ptrdiff_t(top), largest.end(),
                      std::greater<>());
    for (int b = 0; b < options.resamples; ++b) {
        const double u = sampler.uniform();
        const double k = std::ceil(double(n) * std::exp(std::log(u) / double(n)));
        const auto fromTop = std::size_t(std::clamp(double(n) - k, 0.0, double(top - 1)));
        out.push_back(largest[fromTop]);
    }
    return out;
}

} // namespace runlens
