// Regression metrics with scikit-learn 1.2's definitions, their bootstrap intervals, and constant baselines.
#pragma once

#include "core/analysis/bootstrap_sums.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// Sign convention: error = prediction - label (positive = over-prediction), so meanError (bias) > 0 means the
// model predicts too high on average. Residual plots use residual = label - prediction (see
// residual_views.h).
struct RegressionMetrics {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::int64_t n = 0;           // rows used
    std::int64_t skippedRows = 0; // label, prediction or weight not finite, or weight < 0
    bool weighted = false;
    double weightSum = 0;
    double mae = kNaN;      // mean_absolute_error
    double mse = kNaN;      // mean_squared_error
    double rmse = kNaN;     // sqrt(mse), mean_squared_error(squared=False)
    double r2 = kNaN;       // r2_score: 1 when labels are constant and predictions exact, else 0 for constant
                            // labels; NaN with fewer than 2 rows (scikit-learn warns and returns NaN)
    double medianAe = kNaN; // median_absolute_error (weighted: _weighted_percentile(50), the lower median)
    double mape = kNaN;     // mean of |pred - label| / max(|label|, 2.22e-16), a fraction (0.1 = 10%)
    double smape = kNaN;    // mean of 2 |pred - label| / (|label| + |pred|) (0 when both are 0), in [0, 2]
    double maxError = kNaN; // max |pred - label| (unweighted, as scikit-learn's max_error)
    double meanError = kNaN; // bias: mean of pred - label

    // MAPE divides by |label|: labels at or near 0 make it meaningless. A label is near 0 when |label| <
    // nearZeroFraction * mean |label| (default 1%); MAPE is flagged when any label is 0 (below machine
    // epsilon) or the near-zero rows make up more than half of the MAPE sum.
    std::int64_t labelsAtZero = 0;
    std::int64_t labelsNearZero = 0;
    double mapeShareFromNearZero = 0;
    bool mapeMeaningful = true;
    std::string mapeNote; // empty when MAPE is meaningful
};

struct RegressionOptions {
    double nearZeroFraction = 0.01;
};

// Point metrics of predictions against labels, with optional sample weights (empty = unweighted). Rows with a
// non-finite label, prediction or weight, or a negative weight, are skipped and counted.
RegressionMetrics regressionMetrics(std::span<const double> labels, std::span<const double> predictions,
                                    std::span<const double> weights = {},
                                    const RegressionOptions& options = {});

struct MetricInterval {
    double value = RegressionMetrics::kNaN;
    double low = RegressionMetrics::kNaN;
    double high = RegressionMetrics::kNaN;
};

struct RegressionBootstrap {
    RegressionMetrics point;
    MetricInterval mae, mse, rmse, r2, medianAe, mape, smape, maxError, meanError;
    int resamples = 0;
    std::uint64_t seed = 0;
    double level = 0.95;
    bool exact = true;  // false when the fast scheme of bootstrap_sums.h was used
    std::string method; // how the resamples were drawn, in a sentence
};

// Every metric with a seeded bootstrap percentile interval (rows resampled with replacement, weights riding
// along; numpy's linear percentiles of the resampled values). The sum-based metrics share one set of
// resamples (resampleSums); the median and the maximum use resampleMedians / resampleMaxima with the same
// seed.
RegressionBootstrap bootstrapRegressionMetrics(std::span<const double> labels,
                                               std::span<const double> predictions,
                                               std::span<const double> weights = {},
                                               const BootstrapOptions& bootstrap = {},
                                               const RegressionOptions& options = {});

enum class RegressionBaselineKind { TrainingMean, EvaluationMean, Median, PinnedRun };

// One row of the table that sits beside a model's metrics: a constant predictor or a pinned run.
struct RegressionBaseline {
    RegressionBaselineKind kind = RegressionBaselineKind::EvaluationMean;
    std::string name;                          // "training_mean", "evaluation_mean", "median", or the run
    double constant = RegressionMetrics::kNaN; // the predicted constant (NaN for a pinned run)
    RegressionMetrics metrics;
    std::string note; // e.g. "no training mean in the log: the evaluation mean is used (optimistic)"
};

// The mean baseline predicts the training mean when given (from the log), else the evaluation labels' mean
// (optimistic: it has seen the labels, and is said so); the median baseline predicts the training median when
// given, else the evaluation labels' (weighted) median.
std::vector<RegressionBaseline> regressionBaselines(std::span<const double> labels,
                                                    std::span<const double> weights = {},
                                                    std::optional<double> trainingMean = std::nullopt,
                                                    std::optional<double> trainingMedian = std::nullopt);

// A pinned run's predictions on the same (aligned) rows, scored as a baseline row.
RegressionBaseline pinnedRunBaseline(std::string runName, std::span<const double> labels,
                                     std::span<const double> pinnedPredictions,
                                     std::span<const double> weights = {});

// Relative improvement of a lower-is-better metric over a baseline: 1 - model / baseline (0.25 = 25% lower).
double skillOver(double model, double baseline);

} // namespace runlens
