// Slicing evaluation sets by features and comparing cohorts slice by slice, with intervals and Simpson's
// verdict.
#include "core/analysis/slices.h"

#include "core/analysis/binary_metrics.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/statistics.h"
#include "core/model/number_text.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <set>
#include <unordered_map>

namespace runlens {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::string kMissing = "(missing)";

constexpr std::array<SliceMetricInfo, 10> kMetricInfo{{
    {"accuracy", true, true, true, false},
    {"error_rate", false, true, true, false},
    {"positive_rate", true, true, true, false},
    {"precision", true, true, false, false},
    {"recall", true, true, false, false},
    {"f1", true, false, false, false},
    {"auc", true, false, false, true},
    {"log_loss", false, false, true, true},
    {"brier", false, false, true, true},
    {"mean_score", true, false, true, true},
}};

// printf's "%g": six significant digits.
std::string formatNumber(double v) {
    return significantText(v, 6);
}

std::vector<std::size_t> allRows(const CohortInput& c) {
    if (!c.rows.empty()) return c.rows;
    std::vector<std::size_t> rows(c.labels.size());
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

int predictionOf(const CohortInput& c, std::size_t row, double threshold) {
    if (!c.predictions.empty()) return c.predictions[row];
    return c.scores[row] >= threshold ? 1 : 0;
}

// Value of a metric over rows (no interval); also returns successes/trials for rate metrics.
double metricValue(SliceMetric metric, const CohortInput& c, std::span<const std::size_t> rows,
                   double threshold, std::int64_t* successes = nullptr, std::int64_t* trials = nullptr) {
    const auto& info = sliceMetricInfo(metric);
    if (info.needsScores || metric == SliceMetric::F1) {
        std::vector<int> labels;
        std::vector<double> scores;
        labels.reserve(rows.size());
        scores.reserve(rows.size());
        for (auto r : rows) {
            labels.push_back(c.labels[r]);
            if (!c.scores.empty()) scores.push_back(c.scores[r]);
        }
        switch (metric) {
        case SliceMetric::Auc:
            return rocAuc(labels, scores);
        case SliceMetric::LogLoss:
            return logLoss(labels, scores);
        case SliceMetric::Brier:
            return brierScore(labels, scores);
        case SliceMetric::MeanScore:
            return scores.empty()
                       ? kNaN
                       : std::accumulate(scores.begin(), scores.end(), 0.0) / double(scores.size());
        default:
            break;
        }
    }
    ConfusionMatrix cm;
    for (auto r : rows) {
        const int y = c.labels[r];
        const int p = predictionOf(c, r, threshold);
        if (y == 1)
            (p == 1 ? cm.tp : cm.fn)++;
        else
            (p == 1 ? cm.fp : cm.tn)++;
    }
    std::int64_t s = 0, t = 0;
    switch (metric) {
    case SliceMetric::Accuracy:
        s = cm.tp + cm.tn;
        t = cm.tp + cm.tn + cm.fp + cm.fn;
        break;
    case SliceMetric::ErrorRate:
        s = cm.fp + cm.fn;
        t = cm.tp + cm.tn + cm.fp + cm.fn;
        break;
    case SliceMetric::PositiveRate:
        s = cm.tp + cm.fp;
        t = cm.tp + cm.tn + cm.fp + cm.fn;
        break;
    case SliceMetric::Precision:
        s = cm.tp;
        t = cm.tp + cm.fp;
        break;
    case SliceMetric::Recall:
        s = cm.tp;
        t = cm.tp + cm.fn;
        break;
    case SliceMetric::F1:
        return f1Of(cm);
    default:
        return kNaN;
    }
    if (successes) *successes = s;
    if (trials) *trials = t;
    return t > 0 ? static_cast<double>(s) / static_cast<double>(t) : kNaN;
}

std::vector<double> quantileEdges(std::vector<double> pooled, int buckets) {
    pooled.erase(std::remove_if(pooled.begin(), pooled.end(), [](double v) { return !std::isfinite(v); }),
                 pooled.end());
    if (pooled.empty()) return {};
    std::sort(pooled.begin(), pooled.end());
    std::vector<double> edges;
    for (int k = 0; k <= buckets; ++k) {
        const double e = stats::quantileAtFraction(pooled, static_cast<std::uint64_t>(k),
                                                   static_cast<std::uint64_t>(buckets));
        if (edges.empty() || e > edges.back()) edges.push_back(e);
    }
    if (edges.size() == 1) edges.push_back(edges.front());
    return edges;
}

std::string bucketLabel(double v, const std::vector<double>& edges) {
    if (!std::isfinite(v)) return kMissing;
    if (edges.size() < 2) return formatNumber(v);
    if (v < edges.front()) return "< " + formatNumber(edges.front());
    if (v > edges.back()) return "> " + formatNumber(edges.back());
    // Buckets are [a, b) except the last, which is closed.
    const auto it = std::upper_bound(edges.begin(), edges.end(), v);
    std::size_t hi = static_cast<std::size_t>(it - edges.begin());
    if (hi >= edges.size()) hi = edges.size() - 1;
    const std::size_t lo = hi - 1;
    const bool last = hi == edges.size() - 1;
    return "[" + formatNumber(edges[lo]) + ", " + formatNumber(edges[hi]) + (last ? "]" : ")");
}

bool fewDistinct(const PredictionColumn& column, std::size_t limit) {
    std::set<double> seen;
    for (double v : column.numbers) {
        if (!std::isfinite(v)) continue;
        seen.insert(v);
        if (seen.size() > limit) return false;
    }
    return true;
}

struct ExamplesProof {
    bool identical = false;  // the same examples, proven by ids (or literally the same rows of one table)
    bool sameStrata = false; // and each example in the same stratum in every cohort
    std::string note;        // why not
};

// strataOf[cohort][row]: the stratum key of each table row. Row order and agreeing labels prove nothing: two
// files are the same examples only when their ids are the same set, each id once.
ExamplesProof proveSameExamples(const std::vector<SliceSource>& cohorts,
                                const std::vector<std::vector<std::string>>& strataOf) {
    ExamplesProof proof;
    if (cohorts.size() < 2) return proof;
    const auto& first = cohorts.front();
    bool sameRows = true;
    for (const auto& c : cohorts)
        sameRows = sameRows && c.table == first.table && c.rows == first.rows;
    if (sameRows) {
        proof.identical = proof.sameStrata = true;
        return proof;
    }
    using IdStrata = std::unordered_map<std::string, std::string>;
    std::vector<IdStrata> maps(cohorts.size());
    for (std::size_t ci = 0; ci < cohorts.size(); ++ci) {
        const auto& c = cohorts[ci];
        if (ci > 0 && c.table == first.table) {
            proof.note = "'" + c.name + "' and '" + first.name + "' are different rows of one table";
            return proof;
        }
        const auto ids = c.table ? exampleIds(*c.table) : std::vector<std::string>{};
        if (ids.empty()) {
            proof.note = "'" + c.name + "' has no id column, so the examples cannot be shown to be the same";
            return proof;
        }
        for (auto r : c.rows) {
            if (ids[r].empty()) {
                proof.note =
                    "'" + c.name + "' has an example without an id (row " + std::to_string(r + 1) + ")";
                return proof;
            }
            if (!maps[ci].emplace(ids[r], strataOf[ci][r]).second) {
                proof.note = "id '" + ids[r] + "' appears more than once in '" + c.name + "'";
                return proof;
            }
        }
    }
    for (std::size_t ci = 1; ci < cohorts.size(); ++ci) {
        if (maps[ci].size() != maps[0].size()) {
            proof.note = "'" + cohorts[ci].name + "' holds " + std::to_string(maps[ci].size()) +
                         " examples and '" + first.name + "' " + std::to_string(maps[0].size());
            return proof;
        }
        for (const auto& [id, stratum] : maps[ci])
            if (!maps[0].count(id)) {
                proof.note =
                    "id '" + id + "' is in '" + cohorts[ci].name + "' but not in '" + first.name + "'";
                return proof;
            }
    }
    proof.identical = true;
    for (std::size_t ci = 1; ci < cohorts.size(); ++ci)
        for (const auto& [id, stratum] : maps[ci]) {
            const auto& other = maps[0].at(id);
            if (other == stratum) continue;
            proof.note = "example '" + id + "' is in stratum " + other + " in '" + first.name + "' but " +
                         stratum + " in '" + cohorts[ci].name + "'";
            return proof;
        }
    proof.sameStrata = true;
    return proof;
}

} // namespace

CohortInput cohortFromEvaluation(std::string name, const PredictionTable& table, const EvaluationSet& eval) {
    CohortInput c;
    c.name = std::move(name);
    c.table = &table;
    if (!eval.multiclass) {
        c.labels = eval.labels;
        c.scores = eval.scores;
        c.predictions = eval.predictions;
        return c;
    }
    const std::size_t k = eval.classCount();
    c.trueClasses = eval.labels;
    c.labels.assign(eval.rows(), 1);
    c.predictions.resize(eval.rows());
    for (std::size_t r = 0; r < eval.rows(); ++r) {
        int predicted = 0;
        if (!eval.predictions.empty()) {
            predicted = eval.predictions[r];
        } else if (k > 0 && !eval.probs.empty()) {
            const double* probs = eval.probs.data() + r * k;
            predicted = static_cast<int>(std::max_element(probs, probs + k) - probs);
        }
        c.predictions[r] = predicted == eval.labels[r] ? 1 : 0;
    }
    return c;
}

double sliceMetricValue(SliceMetric metric, const CohortInput& cohort, std::span<const std::size_t> rows,
                        double threshold) {
    return metricValue(metric, cohort, rows, threshold);
}

std::optional<double> perExampleMetric(SliceMetric metric, const CohortInput& c, std::size_t row,
                                       double threshold) {
    const int y = c.labels[row];
    switch (metric) {
    case SliceMetric::Accuracy:
        return predictionOf(c, row, threshold) == y ? 1.0 : 0.0;
    case SliceMetric::ErrorRate:
        return predictionOf(c, row, threshold) == y ? 0.0 : 1.0;
    case SliceMetric::PositiveRate:
        return predictionOf(c, row, threshold) == 1 ? 1.0 : 0.0;
    default:
        break;
    }
    if (c.scores.empty()) return std::nullopt;
    const double p = c.scores[row];
    switch (metric) {
    case SliceMetric::LogLoss: {
        const double clipped = std::clamp(p, kLogLossEps, 1.0 - kLogLossEps);
        return y == 1 ? -std::log(clipped) : -std::log(1.0 - clipped);
    }
    case SliceMetric::Brier:
        return (p - y) * (p - y);
    case SliceMetric::MeanScore:
        return p;
    default:
        return std::nullopt;
    }
}

const SliceMetricInfo& sliceMetricInfo(SliceMetric metric) {
    return kMetricInfo[static_cast<std::size_t>(metric)];
}

bool parseSliceMetric(std::string_view text, SliceMetric& out) {
    for (std::size_t i = 0; i < kMetricInfo.size(); ++i) {
        if (kMetricInfo[i].name == text) {
            out = static_cast<SliceMetric>(i);
            return true;
        }
    }
    if (text == "error") return out = SliceMetric::ErrorRate, true;
    if (text == "roc_auc") return out = SliceMetric::Auc, true;
    return false;
}

std::vector<std::string> featureLabels(const PredictionColumn& column, const std::vector<double>& edges,
                                       const std::vector<double>& pooled, int quantileBuckets) {
    std::vector<std::string> labels(column.size());
    if (!column.numeric) {
        for (std::size_t r = 0; r < labels.size(); ++r) {
            const auto code = column.codes[r];
            labels[r] = code < 0 || static_cast<std::size_t>(code) >= column.dictionary.size()
                            ? kMissing
                            : column.dictionary[static_cast<std::size_t>(code)];
            if (labels[r].empty()) labels[r] = kMissing;
        }
        return labels;
    }
    if (edges.empty() && fewDistinct(column, 10)) {
        for (std::size_t r = 0; r < labels.size(); ++r)
            labels[r] = std::isfinite(column.numbers[r]) ? formatNumber(column.numbers[r]) : kMissing;
        return labels;
    }
    const auto useEdges = edges.empty() ? quantileEdges(pooled, quantileBuckets) : edges;
    for (std::size_t r = 0; r < labels.size(); ++r)
        labels[r] = bucketLabel(column.numbers[r], useEdges);
    return labels;
}

double zeroRuleValue(SliceMetric metric, const CohortInput& cohort, std::span<const std::size_t> rows,
                     double threshold) {
    if (rows.empty()) return kNaN;
    if (!cohort.trueClasses.empty()) {
        // Multiclass as correct-or-not: always predicting the majority class is right on its share of rows.
        std::map<int, std::int64_t> counts;
        for (auto r : rows)
            ++counts[cohort.trueClasses[r]];
        std::int64_t top = 0;
        for (const auto& [cls, count] : counts)
            top = std::max(top, count);
        const double share = static_cast<double>(top) / static_cast<double>(rows.size());
        if (metric == SliceMetric::Accuracy) return share;
        if (metric == SliceMetric::ErrorRate) return 1.0 - share;
        return kNaN;
    }
    std::int64_t positives = 0;
    for (auto r : rows)
        positives += cohort.labels[r] == 1;
    const int majority = 2 * positives > static_cast<std::int64_t>(rows.size()) ? 1 : 0;
    CohortInput zero;
    zero.labels.reserve(rows.size());
    for (auto r : rows)
        zero.labels.push_back(cohort.labels[r]);
    zero.predictions.assign(rows.size(), majority);
    zero.scores.assign(rows.size(), static_cast<double>(majority));
    std::vector<std::size_t> all(rows.size());
    std::iota(all.begin(), all.end(), 0);
    return metricValue(metric, zero, all, threshold);
}

SliceCell estimateMetric(SliceMetric metric, const CohortInput& cohort, const std::vector<std::size_t>& rows,
                         const SliceOptions& options) {
    SliceCell cell;
    cell.n = static_cast<std::int64_t>(rows.size());
    if (rows.empty()) {
        cell.value = cell.ciLow = cell.ciHigh = kNaN;
        return cell;
    }
    cell.zeroRule = zeroRuleValue(metric, cohort, rows, options.threshold);
    const auto& info = sliceMetricInfo(metric);
    std::int64_t successes = 0, trials = 0;
    cell.value = metricValue(metric, cohort, rows, options.threshold, &successes, &trials);
    if (info.rate) {
        const auto ci = stats::wilson(successes, trials);
        cell.ciLow = ci.low;
        cell.ciHigh = ci.high;
        return cell;
    }
    // Bootstrap percentile interval with a fixed seed, so the same input always gives the same interval.
    stats::IndexSampler sampler(options.seed);
    std::vector<double> replicates;
    replicates.reserve(static_cast<std::size_t>(options.bootstrapResamples));
    std::vector<std::size_t> resample(rows.size());
    for (int b = 0; b < options.bootstrapResamples; ++b) {
        for (auto& r : resample)
            r = rows[sampler(rows.size())];
        replicates.push_back(metricValue(metric, cohort, resample, options.threshold));
    }
    const auto ci = stats::percentileInterval(std::move(replicates));
    cell.ciLow = ci.low;
    cell.ciHigh = ci.high;
    return cell;
}

std::optional<std::vector<CohortInput>> splitByColumn(const CohortInput& all, const std::string& column,
                                                      std::string* error) {
    const PredictionColumn* col = all.table ? all.table->column(column) : nullptr;
    if (!col) {
        if (error) *error = "no column named '" + column + "' to compare by";
        return std::nullopt;
    }
    const auto labels = featureLabels(*col, {}, col->numbers, 4);
    std::map<std::string, std::vector<std::size_t>> groups;
    for (auto r : allRows(all))
        groups[labels[r]].push_back(r);
    if (groups.size() < 2) {
        if (error) *error = "column '" + column + "' has fewer than two values to compare";
        return std::nullopt;
    }
    std::vector<CohortInput> out;
    for (auto& [value, rows] : groups) {
        CohortInput c = all;
        c.name = value;
        c.rows = std::move(rows);
        out.push_back(std::move(c));
    }
    return out;
}

SliceGrouping groupIntoSlices(const std::vector<SliceSource>& sources, const std::vector<std::string>& by,
                              const std::map<std::string, std::vector<double>>& edges, int quantileBuckets) {
    SliceGrouping out;
    std::vector<std::vector<std::vector<std::string>>> labels(sources.size()); // [source][feature][row]
    for (const auto& feature : by) {
        std::vector<double> pooled;
        for (const auto& s : sources) {
            const auto* col = s.table->column(feature);
            if (col->numeric)
                for (auto r : s.rows)
                    pooled.push_back(col->numbers[r]);
        }
        const auto edgesIt = edges.find(feature);
        const std::vector<double> typed = edgesIt == edges.end() ? std::vector<double>{} : edgesIt->second;
        for (std::size_t si = 0; si < sources.size(); ++si)
            labels[si].push_back(
                featureLabels(*sources[si].table->column(feature), typed, pooled, quantileBuckets));
        out.pooled.push_back(std::move(pooled));
    }
    out.strataOf.resize(sources.size());
    for (std::size_t si = 0; si < sources.size(); ++si) {
        out.strataOf[si].resize(sources[si].table->rows());
        for (auto r : sources[si].rows) {
            std::vector<std::string> key;
            for (std::size_t f = 0; f < by.size(); ++f) {
                key.push_back(labels[si][f][r]);
                out.strataOf[si][r] += (f ? ", " : "") + key.back();
            }
            auto& perSource = out.groups[key];
            perSource.resize(sources.size());
            perSource[si].push_back(r);
        }
    }
    for (auto& [key, perSource] : out.groups)
        perSource.resize(sources.size());
    const auto proof = proveSameExamples(sources, out.strataOf);
    out.identicalExamples = proof.identical;
    out.sameStrata = proof.sameStrata;
    out.examplesNote = proof.note;
    return out;
}

std::optional<SliceReport> compareSlices(const std::vector<CohortInput>& cohorts, const SliceOptions& options,
                                         std::string* error, const CohortInput* baseline) {
    auto fail = [&](std::string message) -> std::optional<SliceReport> {
        if (error) *error = std::move(message);
        return std::nullopt;
    };
    if (cohorts.empty()) return fail("no evaluation set to slice");
    if (options.by.empty() || options.by.size() > 3) return fail("choose one to three features to slice by");
    const auto& info = sliceMetricInfo(options.metric);
    std::vector<const CohortInput*> checked;
    for (const auto& c : cohorts)
        checked.push_back(&c);
    if (baseline) checked.push_back(baseline);
    for (const CohortInput* cp : checked) {
        const CohortInput& c = *cp;
        if (!c.table) return fail("cohort '" + c.name + "' has no table");
        if (info.needsScores && c.scores.empty())
            return fail("metric " + std::string(info.name) + " needs a score column, and '" + c.name +
                        "' has none");
        if (c.scores.empty() && c.predictions.empty())
            return fail("'" + c.name + "' has neither a score nor a prediction column");
        for (const auto& f : options.by)
            if (!c.table->column(f)) return fail("'" + c.name + "' has no column named '" + f + "'");
    }

    SliceReport report;
    report.metric = options.metric;
    report.by = options.by;
    report.seed = options.seed;
    report.bootstrapResamples = info.rate ? 0 : options.bootstrapResamples;
    report.intervalMethod = info.rate ? "wilson" : "bootstrap percentile";
    for (const auto& c : cohorts)
        report.cohorts.push_back(c.name);

    std::vector<SliceSource> sources;
    for (const auto& c : cohorts)
        sources.push_back({c.name, c.table, allRows(c)});
    auto grouping = groupIntoSlices(sources, options.by, options.edges, options.quantileBuckets);
    auto& groups = grouping.groups;
    // The baseline's values are left out of the pool so that pinning one never moves the cohorts' slices.
    std::vector<std::vector<std::string>> baselineLabels; // [feature][row]
    if (baseline)
        for (std::size_t f = 0; f < options.by.size(); ++f) {
            const auto edgesIt = options.edges.find(options.by[f]);
            const std::vector<double> edges =
                edgesIt == options.edges.end() ? std::vector<double>{} : edgesIt->second;
            baselineLabels.push_back(featureLabels(*baseline->table->column(options.by[f]), edges,
                                                   grouping.pooled[f], options.quantileBuckets));
        }

    for (std::size_t ci = 0; ci < cohorts.size(); ++ci) {
        auto cell = estimateMetric(options.metric, cohorts[ci], allRows(cohorts[ci]), options);
        cell.share = 1.0;
        report.overall.push_back(cell);
    }
    std::map<std::vector<std::string>, std::vector<std::size_t>> baselineGroups;
    if (baseline) {
        PinnedSliceBaseline pinned;
        pinned.name = baseline->name;
        const auto rows = allRows(*baseline);
        pinned.overall = estimateMetric(options.metric, *baseline, rows, options);
        pinned.overall.share = 1.0;
        for (auto r : rows) {
            std::vector<std::string> key;
            for (std::size_t f = 0; f < options.by.size(); ++f)
                key.push_back(baselineLabels[f][r]);
            if (groups.count(key))
                baselineGroups[key].push_back(r);
            else
                ++pinned.unmatchedRows;
        }
        report.baseline = std::move(pinned);
    }
    SimpsonInput simpson;
    simpson.metricName = std::string(info.name);
    std::string byName;
    for (const auto& f : options.by)
        byName += (byName.empty() ? "" : " x ") + f;
    simpson.stratumName = byName;
    simpson.higherIsBetter = info.higherIsBetter;
    simpson.percent = info.rate;
    simpson.minN = options.minN;
    simpson.cohorts = report.cohorts;
    simpson.cells.resize(cohorts.size());
    for (const auto& c : report.overall)
        simpson.overall.push_back({c.n, c.value, c.ciLow, c.ciHigh});

    for (auto& [key, perCohort] : groups) {
        SliceRow row;
        for (std::size_t f = 0; f < options.by.size(); ++f)
            row.key.emplace_back(options.by[f], key[f]);
        std::string stratum;
        for (const auto& k : key)
            stratum += (stratum.empty() ? "" : ", ") + k;
        simpson.strata.push_back(stratum);
        perCohort.resize(cohorts.size());
        bool comparable = true;
        for (std::size_t ci = 0; ci < cohorts.size(); ++ci) {
            auto cell = estimateMetric(options.metric, cohorts[ci], perCohort[ci], options);
            cell.share = report.overall[ci].n > 0 ? double(cell.n) / double(report.overall[ci].n) : 0.0;
            comparable = comparable && cell.n >= options.minN && std::isfinite(cell.value);
            simpson.cells[ci].push_back({cell.n, cell.value, cell.ciLow, cell.ciHigh});
            row.cohorts.push_back(cell);
        }
        if (comparable && cohorts.size() > 1) {
            std::size_t best = 0;
            bool tie = false;
            for (std::size_t ci = 1; ci < cohorts.size(); ++ci) {
                const double v = row.cohorts[ci].value, b = row.cohorts[best].value;
                if (info.higherIsBetter ? v > b : v < b)
                    best = ci, tie = false;
                else if (v == b)
                    tie = true;
            }
            if (!tie) row.winner = report.cohorts[best];
        }
        if (baseline) {
            const auto it = baselineGroups.find(key);
            auto cell =
                estimateMetric(options.metric, *baseline,
                               it == baselineGroups.end() ? std::vector<std::size_t>{} : it->second, options);
            const auto total = report.baseline->overall.n;
            cell.share = total > 0 ? double(cell.n) / double(total) : 0.0;
            row.baseline = cell;
        }
        report.slices.push_back(std::move(row));
    }
    report.identicalExamples = grouping.identicalExamples;
    report.sameStrata = grouping.sameStrata;
    report.examplesNote = grouping.examplesNote;
    simpson.identicalExamples = grouping.identicalExamples;
    simpson.sameStrata = grouping.sameStrata;
    simpson.decomposable = info.decomposable;
    simpson.examplesNote = grouping.examplesNote;
    if (cohorts.size() > 1) report.simpson = compareAcrossStrata(simpson);
    return report;
}

} // namespace runlens
