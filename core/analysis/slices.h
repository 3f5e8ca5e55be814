// Per-slice metrics with intervals for one or more cohorts, and the Simpson verdict across the slices.
#pragma once

#include "core/analysis/evaluation_set.h"
#include "core/analysis/simpson.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

enum class SliceMetric {
    Accuracy,
    ErrorRate,
    PositiveRate,
    Precision,
    Recall,
    F1,
    Auc,
    LogLoss,
    Brier,
    MeanScore
};

struct SliceMetricInfo {
    std::string_view name; // "accuracy", "error_rate", ...
    bool higherIsBetter;
    bool rate;         // a proportion with a Wilson interval; others get a bootstrap interval
    bool decomposable; // an average over examples (cannot reverse on identical examples)
    bool needsScores;
};

const SliceMetricInfo& sliceMetricInfo(SliceMetric metric);
bool parseSliceMetric(std::string_view text, SliceMetric& out);

// A cohort's binary evaluation data: labels 0/1, scores P(1) (may be empty), predictions 0/1 (may be empty:
// then score >= threshold), and the table that holds its feature columns. rows selects the table rows that
// belong to the cohort (empty = all rows); labels/scores/predictions are indexed by table row.
struct CohortInput {
    std::string name;
    const PredictionTable* table = nullptr;
    std::vector<std::size_t> rows;
    std::vector<int> labels;
    std::vector<double> scores;
    std::vector<int> predictions;
    // Multiclass sets seen as "correct or not": the true class per row (for the zero-rule baseline); empty
    // for binary sets.
    std::vector<int> trueClasses;
};

// The binary view of an evaluation set used by slices and paired tests. A multiclass set becomes "correct or
// not" (label 1, prediction 1 when the logged prediction or the top class is right), which supports accuracy
// and error rate only. `table` must outlive the result.
CohortInput cohortFromEvaluation(std::string name, const PredictionTable& table, const EvaluationSet& eval);

struct SliceOptions {
    std::vector<std::string> by;                      // one to three feature columns
    int quantileBuckets = 4;                          // numeric features without typed edges
    std::map<std::string, std::vector<double>> edges; // typed bucket edges per numeric feature
    SliceMetric metric = SliceMetric::Accuracy;
    double threshold = 0.5;
    std::int64_t minN = 10;
    int bootstrapResamples = 500;
    std::uint64_t seed = 20261126;
};

struct SliceCell {
    std::int64_t n = 0;
    double value = 0;
    double ciLow = 0;
    double ciHigh = 0;
    double share = 0; // of the cohort's examples
    // The zero-rule baseline on the same rows: always the majority label of these rows (ties: the negative
    // class), with certainty (score 1 or 0), scored by the same metric.
    double zeroRule = std::numeric_limits<double>::quiet_NaN();
};

struct SliceRow {
    std::vector<std::pair<std::string, std::string>> key; // feature -> value label
    std::vector<SliceCell> cohorts;                       // per cohort, same order as SliceReport::cohorts
    std::string winner;                                   // empty when not comparable or tied
    std::optional<SliceCell> baseline;                    // the pinned baseline's rows of this slice
};

// A baseline model pinned beside the cohorts: its own log, sliced with the cohorts' buckets, scored by the
// same metric. It takes no part in winners or the Simpson verdict.
struct PinnedSliceBaseline {
    std::string name;
    SliceCell overall;
    std::int64_t unmatchedRows = 0; // rows in slices none of the cohorts has (not shown)
};

struct SliceReport {
    SliceMetric metric = SliceMetric::Accuracy;
    std::vector<std::string> by;
    std::vector<std::string> cohorts;
    std::vector<SliceCell> overall;
    std::vector<SliceRow> slices;
    SimpsonVerdict simpson;
    bool identicalExamples = false; // proven by ids (each id once, the same set in every cohort)
    bool sameStrata = false;        // and each example in the same slice in every cohort
    std::string examplesNote;       // why not, when either is false
    int bootstrapResamples = 0;
    std::uint64_t seed = 0;
    std::string intervalMethod; // "wilson" or "bootstrap percentile"
    std::optional<PinnedSliceBaseline> baseline;
};

// Assigns every row of every cohort to a slice (crosses of the `by` features; numeric features bucketed on
// the pooled values; missing values as their own "(missing)" slice) and computes the metric per slice and
// cohort. A pinned baseline (may be null) is bucketed on the cohorts' edges, so its slices are the cohorts'
// slices, and scored per slice beside them. Returns nullopt and sets error for unknown features or unusable
// input.
std::optional<SliceReport> compareSlices(const std::vector<CohortInput>& cohorts, const SliceOptions& options,
                                         std::string* error, const CohortInput* baseline = nullptr);

// Splits one evaluation set into cohorts by the values of a column (e.g. period = before/after).
std::optional<std::vector<CohortInput>> splitByColumn(const CohortInput& all, const std::string& column,
                                                      std::string* error);

// The metric of a cohort over the given table rows (no interval).
double sliceMetricValue(SliceMetric metric, const CohortInput& cohort, std::span<const std::size_t> rows,
                        double threshold = 0.5);

// For metrics that are a mean over examples (accuracy, error rate, positive rate, log loss, Brier, mean
// score): one example's contribution, so that the metric over rows is the mean of these values. nullopt
// otherwise.
std::optional<double> perExampleMetric(SliceMetric metric, const CohortInput& cohort, std::size_t row,
                                       double threshold = 0.5);

// The zero-rule baseline's metric over the given rows of a cohort (see SliceCell::zeroRule).
double zeroRuleValue(SliceMetric metric, const CohortInput& cohort, std::span<const std::size_t> rows,
                     double threshold = 0.5);

// The metric of a cohort over the given table rows, with its interval.
SliceCell estimateMetric(SliceMetric metric, const CohortInput& cohort, const std::vector<std::size_t>& rows,
                         const SliceOptions& options);

// The rows of one cohort to be sliced: its table (for the feature columns and ids) and the table rows it uses
// (explicit: every row it uses is listed).
struct SliceSource {
    std::string name;
    const PredictionTable* table = nullptr;
    std::vector<std::size_t> rows;
};

// Every row of every source assigned to a slice, shared by the classification and the regression slices so
// both bucket and prove examples the same way.
struct SliceGrouping {
    std::vector<std::vector<double>>
        pooled; // per `by` feature: the numeric values its quantile edges come from
    // slice key (one label per `by` feature) -> per source, the table rows in that slice
    std::map<std::vector<std::string>, std::vector<std::vector<std::size_t>>> groups;
    std::vector<std::vector<std::string>> strataOf; // [source][table row]: the key joined by ", "
    bool identicalExamples = false; // proven by ids (each id once, the same set in every source)
    bool sameStrata = false;        // and each example in the same slice in every source
    std::string examplesNote;       // why not, when either is false
};

// Buckets numeric features on the values pooled over all sources (typed `edges` win), so slices line up
// across cohorts, groups rows by key and checks whether the sources hold the same examples. Every source's
// table must have every `by` column.
SliceGrouping groupIntoSlices(const std::vector<SliceSource>& sources, const std::vector<std::string>& by,
                              const std::map<std::string, std::vector<double>>& edges, int quantileBuckets);

// Per-row bucket labels of one feature column ("(missing)" for missing values); numeric features are bucketed
// into the given edges, or quantile edges of `pooled` when edges is empty. Columns with at most 10 distinct
// numbers are treated as categories.
std::vector<std::string> featureLabels(const PredictionColumn& column, const std::vector<double>& edges,
                                       const std::vector<double>& pooled, int quantileBuckets);

} // namespace runlens
