// What makes a prediction table a regression log: column names for weights, intervals and training
// statistics, and the test that a label and a prediction are continuous.
#pragma once

#include "core/model/prediction_table.h"

#include <optional>
#include <string_view>

namespace runlens {

// The one sentence every classification command and view gives for a regression log.
inline constexpr std::string_view kRegressionLogRefusal =
    "this is a regression log (continuous label and prediction); see `runlens regression`";

// True when the table has a numeric Label and a numeric Prediction column, no Score or ClassScore column,
// and some finite label or prediction is not a whole number. Whole numbers alone stay a classification log
// (class indices), however many distinct values they take: a hard-prediction classifier with 1,000 classes
// must not turn into a regressor.
bool isRegressionTable(const PredictionTable& table);

// "weight", "weights", "sample_weight", "sample_weights" (any case).
bool isWeightColumnName(std::string_view name);

// The quantile a column name stands for: q05 -> 0.05, q5 -> 0.05, q975 -> 0.975, q0.9 -> 0.9, quantile_10
// -> 0.1; nullopt for other names and for levels outside (0, 1).
std::optional<double> quantileOfColumnName(std::string_view name);

enum class IntervalBound { Lower, Upper };
struct IntervalBoundName {
    IntervalBound bound = IntervalBound::Lower;
    std::optional<double> level; // lower_90 -> 0.90; nullopt for a bare lower / upper
};

// lower, upper, lo, hi, pred_lower, y_upper, lower_95, upper95, lo90, ... (any case); nullopt otherwise.
std::optional<IntervalBoundName> intervalBoundOfColumnName(std::string_view name);

enum class TrainingStatistic { Mean, Median };
// train_mean, training_mean, y_train_mean -> Mean; train_median, training_median -> Median.
std::optional<TrainingStatistic> trainingStatisticOfColumnName(std::string_view name);

} // namespace runlens
