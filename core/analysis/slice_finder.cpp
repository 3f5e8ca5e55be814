// Slice finding by exhaustive counting over coded features (up to 3-way crosses) with SliceLine's score and
// BH.
#include "core/analysis/slice_finder.h"

#include "core/analysis/slices.h"
#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace runlens {

namespace {

// A feature as small integer codes per row (only rows in use are meaningful) plus its value labels.
struct CodedFeature {
    std::string name;
    std::vector<std::uint16_t> codes;
    std::vector<std::string> values;
};

std::vector<std::size_t> rowsOrAll(const std::vector<std::size_t>& rows, std::size_t n) {
    if (!rows.empty()) return rows;
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    return all;
}

std::vector<CodedFeature> codeFeatures(const PredictionTable& table, const std::vector<std::size_t>& rows,
                                       const SliceFinderOptions& options, std::vector<std::string>& skipped) {
    std::vector<CodedFeature> out;
    for (const auto& column : table.columns) {
        const bool wanted = options.features.empty()
                                ? column.role == ColumnRole::Feature
                                : std::find(options.features.begin(), options.features.end(), column.name) !=
                                      options.features.end();
        if (!wanted) continue;
        std::vector<double> pooled;
        if (column.numeric)
            for (auto r : rows)
                pooled.push_back(column.numbers[r]);
        const auto labels = featureLabels(column, {}, pooled, options.quantileBuckets);
        CodedFeature f;
        f.name = column.name;
        f.codes.assign(column.size(), 0);
        std::unordered_map<std::string, std::uint16_t> index;
        bool tooMany = false;
        for (auto r : rows) {
            auto [it, added] = index.emplace(labels[r], static_cast<std::uint16_t>(f.values.size()));
            if (added) {
                f.values.push_back(labels[r]);
                if (static_cast<int>(f.values.size()) > options.maxValuesPerFeature) {
                    tooMany = true;
                    break;
                }
            }
            f.codes[r] = it->second;
        }
        if (tooMany) {
            skipped.push_back(column.name + " (more than " + std::to_string(options.maxValuesPerFeature) +
                              " values)");
            continue;
        }
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> keyOf(const std::vector<const CodedFeature*>& fs,
                                                       std::size_t idx) {
    std::vector<std::pair<std::string, std::string>> key(fs.size());
    for (std::size_t k = fs.size(); k-- > 0;) {
        const std::size_t radix = fs[k]->values.size();
        key[k] = {fs[k]->name, fs[k]->values[idx % radix]};
        idx /= radix;
    }
    return key;
}

// Calls fn(features) for every combination of 1..maxLevel distinct features.
template <typename Fn> void forEachCross(const std::vector<CodedFeature>& features, int maxLevel, Fn fn) {
    const std::size_t m = features.size();
    for (std::size_t a = 0; a < m; ++a) {
        fn(std::vector<const CodedFeature*>{&features[a]});
        if (maxLevel < 2) continue;
        for (std::size_t b = a + 1; b < m; ++b) {
            fn(std::vector<const CodedFeature*>{&features[a], &features[b]});
            if (maxLevel < 3) continue;
            for (std::size_t c = b + 1; c < m; ++c)
                fn(std::vector<const CodedFeature*>{&features[a], &features[b], &features[c]});
        }
    }
}

// Every slice (a cell of a cross of 1..maxLevel features) with minSupport <= n < all rows, with the count,
// sum and sum of squares of the per-row loss over its rows: the binary finder passes 0/1 errors, the
// continuous finder a loss. fn(key, n, sum, sumOfSquares).
template <typename Fn>
void forEachSlice(const std::vector<CodedFeature>& features, const std::vector<std::size_t>& rows,
                  std::span<const double> loss, const SliceFinderOptions& options, Fn fn) {
    forEachCross(features, options.maxLevel, [&](const std::vector<const CodedFeature*>& fs) {
        std::size_t cells = 1;
        for (auto* f : fs)
            cells *= f->values.size();
        std::vector<std::int64_t> n(cells, 0);
        std::vector<double> sum(cells, 0.0), sumSq(cells, 0.0);
        for (auto r : rows) {
            std::size_t idx = 0;
            for (auto* f : fs)
                idx = idx * f->values.size() + f->codes[r];
            ++n[idx];
            sum[idx] += loss[r];
            sumSq[idx] += loss[r] * loss[r];
        }
        for (std::size_t idx = 0; idx < cells; ++idx) {
            if (n[idx] < options.minSupport || n[idx] == static_cast<std::int64_t>(rows.size())) continue;
            fn(keyOf(fs, idx), n[idx], sum[idx], sumSq[idx]);
        }
    });
}

// BH q-values over every slice evaluated, then the slices worse than the whole set ranked by score; a cross
// whose rows are exactly those of a simpler slice already listed adds nothing (sameRows compares the counts).
template <typename Slice, typename Worse, typename SameRows>
std::vector<Slice> rankSlices(std::vector<Slice> all, int topK, Worse worse, SameRows sameRows) {
    std::vector<double> p;
    p.reserve(all.size());
    for (const auto& s : all)
        p.push_back(s.pValue);
    const auto q = stats::benjaminiHochberg(p);
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i].qValue = q[i];
    // SliceLine reports only positive scores; with alpha 0.5 that hides large failing slices, so the score
    // ranks and does not filter.
    std::vector<Slice> kept;
    for (auto& s : all)
        if (worse(s)) kept.push_back(std::move(s));
    std::stable_sort(kept.begin(), kept.end(), [](const Slice& a, const Slice& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.key.size() < b.key.size();
    });
    std::vector<Slice> top;
    for (auto& s : kept) {
        const bool redundant = std::any_of(top.begin(), top.end(), [&](const Slice& t) {
            if (!sameRows(t, s) || t.key.size() >= s.key.size()) return false;
            return std::all_of(t.key.begin(), t.key.end(), [&](const auto& kv) {
                return std::find(s.key.begin(), s.key.end(), kv) != s.key.end();
            });
        });
        if (redundant) continue;
        top.push_back(std::move(s));
        if (static_cast<int>(top.size()) >= topK) break;
    }
    return top;
}

double cohenH(double p1, double p2) {
    return 2.0 * std::asin(std::sqrt(p1)) - 2.0 * std::asin(std::sqrt(p2));
}

// One-sided pooled two-proportion z-test that p1 > p2.
double oneSidedTwoProportion(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2) {
    if (n1 <= 0 || n2 <= 0) return 1.0;
    const double p1 = double(x1) / double(n1), p2 = double(x2) / double(n2);
    const double p = double(x1 + x2) / double(n1 + n2);
    const double se = std::sqrt(p * (1 - p) * (1.0 / double(n1) + 1.0 / double(n2)));
    if (!(se > 0)) return p1 > p2 ? 0.0 : 1.0;
    return 1.0 - stats::normalCdf((p1 - p2) / se);
}

} // namespace

SliceFinderResult findSlices(const PredictionTable& table, std::span<const std::uint8_t> errors,
                             const std::vector<std::size_t>& rowsIn, const SliceFinderOptions& options) {
    SliceFinderResult result;
    const auto rows = rowsOrAll(rowsIn, table.rows());
    if (rows.empty()) return result;
    std::int64_t totalErrors = 0;
    std::vector<double> loss(errors.size(), 0.0);
    for (auto r : rows) {
        totalErrors += errors[r];
        loss[r] = errors[r];
    }
    const double total = static_cast<double>(rows.size());
    result.overallErrorRate = double(totalErrors) / total;
    const auto features = codeFeatures(table, rows, options, result.skippedFeatures);

    std::vector<FoundSlice> all;
    forEachSlice(
        features, rows, loss, options,
        [&](std::vector<std::pair<std::string, std::string>> key, std::int64_t n, double sum, double) {
            FoundSlice s;
            s.n = n;
            s.errors = std::llround(sum);
            s.errorRate = double(s.errors) / double(n);
            const std::int64_t restN = static_cast<std::int64_t>(rows.size()) - n;
            s.restErrorRate = double(totalErrors - s.errors) / double(restN);
            s.score = result.overallErrorRate > 0
                          ? options.alpha * (s.errorRate / result.overallErrorRate - 1.0) -
                                (1.0 - options.alpha) * (total / double(n) - 1.0)
                          : -1.0;
            s.effectSize = cohenH(s.errorRate, s.restErrorRate);
            s.pValue = oneSidedTwoProportion(s.errors, n, totalErrors - s.errors, restN);
            s.key = std::move(key);
            all.push_back(std::move(s));
        });
    result.slicesEvaluated = static_cast<std::int64_t>(all.size());
    const double overall = result.overallErrorRate;
    result.slices = rankSlices(
        std::move(all), options.topK, [&](const FoundSlice& s) { return s.errorRate > overall; },
        [](const FoundSlice& a, const FoundSlice& b) { return a.n == b.n && a.errors == b.errors; });
    return result;
}

LossSliceFinderResult findLossSlices(const PredictionTable& table, std::span<const double> loss,
                                     const std::vector<std::size_t>& rowsIn,
                                     const SliceFinderOptions& options) {
    LossSliceFinderResult result;
    std::vector<std::size_t> rows;
    for (auto r : rowsOrAll(rowsIn, table.rows())) {
        if (std::isfinite(loss[r]))
            rows.push_back(r);
        else
            ++result.skippedRows;
    }
    if (rows.empty()) return result;
    double mean = 0;
    for (auto r : rows)
        mean += loss[r];
    mean /= double(rows.size());
    // Sums of the loss minus its mean keep the variances accurate when the loss is large and its spread
    // small.
    std::vector<double> centred(loss.size(), 0.0);
    double totalSq = 0;
    for (auto r : rows) {
        centred[r] = loss[r] - mean;
        totalSq += centred[r] * centred[r];
    }
    const double total = static_cast<double>(rows.size());
    result.overallMeanLoss = mean;
    const auto features = codeFeatures(table, rows, options, result.skippedFeatures);

    std::vector<FoundLossSlice> all;
    forEachSlice(
        features, rows, centred, options,
        [&](std::vector<std::pair<std::string, std::string>> key, std::int64_t n, double sum, double sumSq) {
            FoundLossSlice s;
            s.n = n;
            const std::int64_t restN = static_cast<std::int64_t>(rows.size()) - n;
            const double restSum = -sum; // the centred sum over all rows is 0
            const double restSumSq = totalSq - sumSq;
            s.meanLoss = mean + sum / double(n);
            s.restMeanLoss = mean + restSum / double(restN);
            const double varS = n > 1 ? std::max(0.0, (sumSq - sum * sum / double(n)) / double(n - 1)) : 0.0;
            const double varR =
                restN > 1 ? std::max(0.0, (restSumSq - restSum * restSum / double(restN)) / double(restN - 1))
                          : 0.0;
            s.score = mean > 0 ? options.alpha * (s.meanLoss / mean - 1.0) -
                                     (1.0 - options.alpha) * (total / double(n) - 1.0)
                               : -1.0;
            const double pooled =
                n + restN > 2 ? ((n - 1) * varS + (restN - 1) * varR) / double(n + restN - 2) : 0.0;
            const double diff = s.meanLoss - s.restMeanLoss;
            s.effectSize = pooled > 0 ? diff / std::sqrt(pooled) : 0.0;
            // Welch's t-test, one-sided (the slice's mean loss is greater), as scipy's
            // ttest_ind(equal_var=False, alternative='greater').
            const double a = varS / double(n), b = varR / double(restN);
            const double se = std::sqrt(a + b);
            if (se > 0) {
                s.t = diff / se;
                s.df =
                    (a + b) * (a + b) /
                    ((n > 1 ? a * a / double(n - 1) : 0.0) + (restN > 1 ? b * b / double(restN - 1) : 0.0));
                // The upper tail by symmetry: 1 - cdf(t) would round p-values below 1e-16 to 0.
                s.pValue = stats::studentTCdf(-s.t, s.df);
            } else {
                s.pValue = diff > 0 ? 0.0 : 1.0;
            }
            s.key = std::move(key);
            all.push_back(std::move(s));
        });
    result.slicesEvaluated = static_cast<std::int64_t>(all.size());
    result.slices = rankSlices(
        std::move(all), options.topK, [&](const FoundLossSlice& s) { return s.meanLoss > mean; },
        [](const FoundLossSlice& a, const FoundLossSlice& b) {
            return a.n == b.n &&
                   std::abs(a.meanLoss - b.meanLoss) <= 1e-12 * std::max(1.0, std::abs(a.meanLoss));
        });
    return result;
}

std::vector<SliceChange> sliceChanges(const PredictionTable& table, std::span<const std::size_t> tableRows,
                                      std::span<const std::uint8_t> correctA,
                                      std::span<const std::uint8_t> correctB,
                                      const SliceFinderOptions& options, double fdr) {
    const std::vector<std::size_t> rows(tableRows.begin(), tableRows.end());
    std::vector<std::string> skipped;
    const auto features = codeFeatures(table, rows, options, skipped);
    // Per aligned example index i, the table row is tableRows[i]; count over aligned indices.
    std::vector<SliceChange> all;
    forEachCross(features, std::min(options.maxLevel, 2), [&](const std::vector<const CodedFeature*>& fs) {
        std::size_t cells = 1;
        for (auto* f : fs)
            cells *= f->values.size();
        std::vector<std::int64_t> n(cells, 0), ca(cells, 0), cb(cells, 0), onlyA(cells, 0), onlyB(cells, 0);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            std::size_t idx = 0;
            for (auto* f : fs)
                idx = idx * f->values.size() + f->codes[rows[i]];
            ++n[idx];
            ca[idx] += correctA[i];
            cb[idx] += correctB[i];
            onlyA[idx] += correctA[i] && !correctB[i];
            onlyB[idx] += !correctA[i] && correctB[i];
        }
        for (std::size_t idx = 0; idx < cells; ++idx) {
            if (n[idx] < options.minSupport) continue;
            SliceChange c;
            c.key = keyOf(fs, idx);
            c.n = n[idx];
            c.accuracyA = double(ca[idx]) / double(n[idx]);
            c.accuracyB = double(cb[idx]) / double(n[idx]);
            c.delta = c.accuracyB - c.accuracyA;
            c.pValue = stats::binomialTwoSidedHalf(std::min(onlyA[idx], onlyB[idx]), onlyA[idx] + onlyB[idx]);
            all.push_back(std::move(c));
        }
    });
    std::vector<double> p;
    for (const auto& c : all)
        p.push_back(c.pValue);
    const auto q = stats::benjaminiHochberg(p);
    std::vector<SliceChange> significant;
    for (std::size_t i = 0; i < all.size(); ++i) {
        all[i].qValue = q[i];
        if (q[i] < fdr) significant.push_back(all[i]);
    }
    std::sort(significant.begin(), significant.end(),
              [](const SliceChange& a, const SliceChange& b) { return a.delta < b.delta; });
    return significant;
}

} // namespace runlens
