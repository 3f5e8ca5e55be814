// Group fairness across a sensitive column: per-group rates with intervals and Fairlearn's disparity
// measures.
#pragma once

#include "core/analysis/evaluation_set.h"
#include "core/analysis/statistics.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct GroupRates {
    std::string group;
    std::int64_t n = 0;
    double weight = 0;                   // sum of weights (n without weights)
    double positives = 0, negatives = 0; // weighted label counts
    double predictedPositive = 0;        // weighted
    double selectionRate = 0, tpr = 0, fpr = 0, precision = 0;
    stats::Interval selectionCi, tprCi, fprCi, precisionCi; // Wilson (with weights: on Kish's effective n)
    bool tprDefined = true, fprDefined = true, precisionDefined = true; // false: no positive / negative /
                                                                        // predicted positive in the group
};

enum class FairnessSeverity { None, Minor, Major };

struct FairnessOptions {
    double alpha = 0.05;
    // Fairlearn's true_positive_rate / false_positive_rate give 0 for a group without positives / negatives
    // (confusion_matrix(normalize='true') with nan_to_num), and its differences and ratios include that 0.
    // false: such groups are left out of the TPR / FPR disparities instead.
    bool undefinedRatesAsZero = true;
    double ratioThreshold = 0.8;      // the four-fifths rule: a ratio below it is major
    double differenceThreshold = 0.1; // a difference at or above it (with ratios above 0.8) is minor
    std::int64_t smallGroup = 30;     // groups below this size are named in the sentence
};

struct FairnessReport {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::vector<GroupRates> groups; // sorted by group name
    // Fairlearn's definitions, over the groups:
    //   demographic_parity_difference = max_g selection_rate - min_g selection_rate
    //   demographic_parity_ratio      = min_g selection_rate / max_g selection_rate
    //   equalized_odds_difference     = max(max TPR - min TPR, max FPR - min FPR)
    //   equalized_odds_ratio          = min(min TPR / max TPR, min FPR / max FPR)
    // A ratio with a zero maximum is NaN (Fairlearn divides 0 by 0).
    double demographicParityDifference = kNaN, demographicParityRatio = kNaN;
    double equalizedOddsDifference = kNaN, equalizedOddsRatio = kNaN;
    double tprDifference = kNaN, fprDifference = kNaN, tprRatio = kNaN, fprRatio = kNaN;
    FairnessSeverity severity = FairnessSeverity::None;
    std::string sentence;
};

// labels and predictions are 0/1 (1 = the favourable / positive class); groups holds each row's value of the
// sensitive column; weights are optional sample weights (Fairlearn's sample_weight). Rows with a label or
// prediction other than 0/1, or a non-finite or negative weight, are left out.
FairnessReport fairnessReport(std::span<const int> labels, std::span<const int> predictions,
                              std::span<const std::string> groups, std::span<const double> weights = {},
                              const FairnessOptions& options = {});

// The fairness of a binary evaluation set across one column of its table: predictions from its prediction
// column, else score >= threshold; the first weight column (isWeightColumnName) as sample weights; a missing
// value is the group "(missing)". nullopt with a one-line error for a multiclass set or an unknown column.
std::optional<FairnessReport> fairnessOfEvaluation(const PredictionTable& table, const EvaluationSet& set,
                                                   const std::string& column, double threshold,
                                                   std::string& error, const FairnessOptions& options = {});

// "none", "minor", "major".
std::string_view fairnessSeverityName(FairnessSeverity severity);

} // namespace runlens
