// Pairs two evaluation sets with every mismatch counted, then runs the paired tests on the pairs that are
// provably the same example.
#include "core/analysis/paired_evaluation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_map>

namespace runlens {

namespace {

std::string exactNumberText(double v) {
    if (std::isnan(v)) return {};
    if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f", v);
        return buffer;
    }
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v); // shortest exact round trip
    return ec == std::errc() ? std::string(buffer, end) : std::string();
}

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

const std::string& labelName(const EvaluationSet& e, std::size_t row) {
    return e.classes[static_cast<std::size_t>(e.labels[row])];
}

struct IdCount {
    std::size_t firstRow = 0;
    std::int64_t count = 0;
};

std::unordered_map<std::string_view, IdCount> countIds(const std::vector<std::string>& ids,
                                                       std::int64_t& duplicates) {
    std::unordered_map<std::string_view, IdCount> counts;
    counts.reserve(ids.size());
    for (std::size_t r = 0; r < ids.size(); ++r) {
        auto [it, fresh] = counts.try_emplace(ids[r], IdCount{r, 0});
        if (!fresh) ++duplicates;
        ++it->second.count;
    }
    return counts;
}

std::optional<CheckedAlignment> alignByIds(const std::vector<std::string>& idsA, const EvaluationSet& a,
                                           const std::vector<std::string>& idsB, const EvaluationSet& b) {
    CheckedAlignment out;
    out.summary.byId = true;
    out.pairs.byId = true;
    const auto countsA = countIds(idsA, out.summary.duplicates);
    const auto countsB = countIds(idsB, out.summary.duplicates);
    for (std::size_t r = 0; r < idsA.size(); ++r) {
        const auto& own = countsA.at(idsA[r]);
        if (own.count > 1) continue; // ambiguous: counted among the duplicates
        const auto it = countsB.find(idsA[r]);
        if (it == countsB.end()) {
            ++out.summary.onlyA;
            continue;
        }
        if (it->second.count > 1) continue;
        ++out.summary.matched;
        const std::size_t rb = it->second.firstRow;
        if (labelName(a, r) != labelName(b, rb)) {
            ++out.summary.labelConflicts;
            continue;
        }
        out.pairs.rowsA.push_back(r);
        out.pairs.rowsB.push_back(rb);
    }
    for (const auto& [id, count] : countsB)
        if (count.count == 1 && !countsA.count(id)) ++out.summary.onlyB;
    out.pairs.unmatchedA = static_cast<std::int64_t>(idsA.size() - out.pairs.rowsA.size());
    out.pairs.unmatchedB = static_cast<std::int64_t>(idsB.size() - out.pairs.rowsB.size());
    out.summary.used = static_cast<std::int64_t>(out.pairs.rowsA.size());
    return out;
}

std::optional<CheckedAlignment> alignByRows(const EvaluationSet& a, const EvaluationSet& b,
                                            std::string* error) {
    auto fail = [&](std::string message) -> std::optional<CheckedAlignment> {
        if (error) *error = std::move(message);
        return std::nullopt;
    };
    if (a.rows() != b.rows())
        return fail("the logs have no id column in both, and A has " + std::to_string(a.rows()) +
                    " rows while B has " + std::to_string(b.rows()) +
                    ": rows cannot be paired (add an id column to both)");
    std::int64_t differing = 0;
    std::size_t first = 0;
    for (std::size_t r = 0; r < a.rows(); ++r) {
        if (labelName(a, r) == labelName(b, r)) continue;
        if (differing++ == 0) first = r;
    }
    if (differing > 0)
        return fail("the logs have no id column in both, and rows are paired by position only when their "
                    "labels agree on every row; " +
                    plural(differing, "row differs", "rows differ") + ", first row " +
                    std::to_string(first + 1) + " (label " + labelName(a, first) + " in A, " +
                    labelName(b, first) + " in B): add an id column to both");
    CheckedAlignment out;
    out.pairs = alignByRow(a.rows(), b.rows());
    out.summary.matched = out.summary.used = static_cast<std::int64_t>(a.rows());
    return out;
}

std::uint8_t correctAt(const CohortInput& c, std::size_t row, double threshold) {
    const int p = c.predictions.empty() ? (c.scores[row] >= threshold ? 1 : 0) : c.predictions[row];
    return static_cast<std::uint8_t>(p == c.labels[row]);
}

} // namespace

std::vector<std::string> exampleIds(const PredictionTable& table) {
    const PredictionColumn* ids = table.find(ColumnRole::Id);
    std::vector<std::string> out;
    if (!ids) return out;
    out.reserve(ids->size());
    for (std::size_t r = 0; r < ids->size(); ++r) {
        if (ids->numeric)
            out.push_back(exactNumberText(ids->numbers[r]));
        else
            out.push_back(ids->codes[r] < 0 ? std::string()
                                            : ids->dictionary[static_cast<std::size_t>(ids->codes[r])]);
    }
    return out;
}

std::string AlignmentSummary::warning() const {
    if (clean()) return {};
    std::string parts;
    auto add = [&](std::int64_t n, const char* one, const char* many) {
        if (n == 0) return;
        parts += (parts.empty() ? "" : ", ") + plural(n, one, many);
    };
    add(onlyA, "id only in A", "ids only in A");
    add(onlyB, "id only in B", "ids only in B");
    add(duplicates, "duplicated id row", "duplicated id rows");
    add(labelConflicts, "id whose labels differ", "ids whose labels differ");
    return "warning: aligned by id, " + std::to_string(used) + " pairs used; left out: " + parts;
}

std::optional<CheckedAlignment> alignEvaluations(const PredictionTable& tableA, const EvaluationSet& a,
                                                 const PredictionTable& tableB, const EvaluationSet& b,
                                                 std::string* error) {
    const auto idsA = exampleIds(tableA);
    const auto idsB = exampleIds(tableB);
    if (!idsA.empty() && !idsB.empty()) return alignByIds(idsA, a, idsB, b);
    return alignByRows(a, b, error);
}

std::optional<PairedEvaluation> comparePaired(const PredictionTable& tableA, const EvaluationSet& a,
                                              const PredictionTable& tableB, const EvaluationSet& b,
                                              const PairedOptions& options, std::string* error) {
    auto aligned = alignEvaluations(tableA, a, tableB, b, error);
    if (!aligned) return std::nullopt;
    if (aligned->pairs.rowsA.empty()) {
        if (error)
            *error = "the two evaluation sets share no example" +
                     std::string(aligned->summary.byId ? " with the same id and label" : "");
        return std::nullopt;
    }
    PairedEvaluation out;
    out.alignment = std::move(*aligned);
    const auto& rowsA = out.alignment.pairs.rowsA;
    const auto& rowsB = out.alignment.pairs.rowsB;
    const CohortInput ca = cohortFromEvaluation("A", tableA, a);
    const CohortInput cb = cohortFromEvaluation("B", tableB, b);
    const std::size_t n = rowsA.size();
    std::vector<std::uint8_t> correctA(n), correctB(n);
    for (std::size_t i = 0; i < n; ++i) {
        correctA[i] = correctAt(ca, rowsA[i], options.threshold);
        correctB[i] = correctAt(cb, rowsB[i], options.threshold);
        if (correctA[i] != correctB[i]) out.flips.push_back(i);
    }
    out.mcnemar = mcnemar(correctA, correctB);

    // A mean over examples bootstraps the mean of per-example differences (fast for millions of pairs);
    // other metrics are recomputed on the same resampled pairs for both models.
    const std::string metricName(sliceMetricInfo(options.metric).name);
    std::vector<double> differences;
    differences.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto va = perExampleMetric(options.metric, ca, rowsA[i], options.threshold);
        const auto vb = perExampleMetric(options.metric, cb, rowsB[i], options.threshold);
        if (!va || !vb) break;
        differences.push_back(*vb - *va);
    }
    const PairedMetric paired = [&](std::span<const std::size_t> idx, int model) {
        std::vector<std::size_t> rows;
        rows.reserve(idx.size());
        const auto& map = model == 0 ? rowsA : rowsB;
        for (auto i : idx)
            rows.push_back(map[i]);
        return sliceMetricValue(options.metric, model == 0 ? ca : cb, rows, options.threshold);
    };
    out.metricA = sliceMetricValue(options.metric, ca, rowsA, options.threshold);
    out.metricB = sliceMetricValue(options.metric, cb, rowsB, options.threshold);
    out.zeroRule = zeroRuleValue(options.metric, ca, rowsA, options.threshold);
    out.bootstrap = differences.size() == n
                        ? pairedBootstrapMean(differences, options.resamples, options.seed, metricName)
                        : pairedBootstrap(paired, n, options.resamples, options.seed, metricName);

    if (a.multiclass || b.multiclass) {
        out.delongSkipped = "multiclass evaluation set";
    } else if (ca.scores.empty() || cb.scores.empty()) {
        out.delongSkipped = "a model has no scores";
    } else {
        std::vector<int> labels(n);
        std::vector<double> sa(n), sb(n);
        std::int64_t positives = 0;
        for (std::size_t i = 0; i < n; ++i) {
            labels[i] = ca.labels[rowsA[i]];
            sa[i] = ca.scores[rowsA[i]];
            sb[i] = cb.scores[rowsB[i]];
            positives += labels[i] == 1;
        }
        const std::int64_t negatives = static_cast<std::int64_t>(n) - positives;
        if (positives < 2 || negatives < 2)
            out.delongSkipped = "the paired examples need at least two of each class";
        else
            out.delong = delong(labels, sa, sb);
    }
    SliceFinderOptions sliceOptions;
    sliceOptions.maxLevel = options.sliceLevels;
    out.sliceChanges = sliceChanges(tableA, rowsA, correctA, correctB, sliceOptions);
    if (a.multiclass && b.multiclass && a.classes == b.classes) {
        const auto predictedA = predictedClasses(a), predictedB = predictedClasses(b);
        std::vector<int> labels(n), pa(n), pb(n);
        for (std::size_t i = 0; i < n; ++i) {
            labels[i] = a.labels[rowsA[i]];
            pa[i] = predictedA[rowsA[i]];
            pb[i] = predictedB[rowsB[i]];
        }
        out.classFlips = perClassFlips(labels, pa, pb, a.classCount());
    }
    return out;
}

PinnedOnPairs pinnedOnPairs(const PredictionTable& tableA, const EvaluationSet& a,
                            const PredictionTable& tableB, const EvaluationSet& b,
                            const PredictionTable& pinnedTable, const EvaluationSet& pinned,
                            const PairedEvaluation& p, SliceMetric metric) {
    PinnedOnPairs out;
    std::string error;
    const auto aligned = alignEvaluations(tableA, a, pinnedTable, pinned, &error);
    if (!aligned) {
        out.skipped = error;
        return out;
    }
    std::map<std::size_t, std::size_t> pinnedRowOf; // A's row -> the baseline's row of the same example
    for (std::size_t i = 0; i < aligned->pairs.rowsA.size(); ++i)
        pinnedRowOf[aligned->pairs.rowsA[i]] = aligned->pairs.rowsB[i];
    std::vector<std::size_t> rowsA, rowsB, rowsPinned;
    for (std::size_t i = 0; i < p.alignment.pairs.rowsA.size(); ++i) {
        const auto it = pinnedRowOf.find(p.alignment.pairs.rowsA[i]);
        if (it == pinnedRowOf.end()) continue;
        rowsA.push_back(it->first);
        rowsB.push_back(p.alignment.pairs.rowsB[i]);
        rowsPinned.push_back(it->second);
    }
    out.n = static_cast<std::int64_t>(rowsA.size());
    if (rowsA.empty()) {
        out.skipped = "the baseline shares no example with the pairs";
        return out;
    }
    out.value = sliceMetricValue(metric, cohortFromEvaluation("pinned", pinnedTable, pinned), rowsPinned);
    out.a = sliceMetricValue(metric, cohortFromEvaluation("A", tableA, a), rowsA);
    out.b = sliceMetricValue(metric, cohortFromEvaluation("B", tableB, b), rowsB);
    return out;
}

} // namespace runlens
