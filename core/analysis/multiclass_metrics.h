// Multiclass classification metrics (rows of class probabilities) with scikit-learn 1.2's definitions.
#pragma once

#include "core/analysis/binary_metrics.h"

#include <cstdint>
#include <span>
#include <vector>

namespace runlens {

struct AveragedScores {
    double precision = BinaryMetrics::kNaN, recall = BinaryMetrics::kNaN, f1 = BinaryMetrics::kNaN;
};

struct MulticlassMetrics {
    std::int64_t n = 0;
    std::size_t classes = 0;
    double accuracy = BinaryMetrics::kNaN;
    // Averages over the classes present in the labels or the predictions (scikit-learn's unique_labels),
    // zero_division = 0.
    AveragedScores macro, micro, weighted;
    double logLoss = BinaryMetrics::kNaN; // probabilities clipped to [eps, 1-eps], rows renormalised
    double brier = BinaryMetrics::kNaN;   // mean over rows of sum_k (p_k - onehot_k)^2
    double rocAucOvrMacro =
        BinaryMetrics::kNaN;             // mean one-vs-rest AUC over classes; NaN if a class is absent
    std::vector<std::int64_t> confusion; // classes x classes, row = true class, column = predicted class
};

// Index of the first largest probability in a row (numpy's argmax).
int argmaxRow(std::span<const double> row);

// probs: n rows of k probabilities (row-major); labels: class index per row. predictions (class indices),
// when given, replace the argmax for accuracy, P/R/F1 and the confusion matrix.
MulticlassMetrics multiclassMetrics(std::span<const int> labels, std::span<const double> probs, std::size_t k,
                                    std::span<const int> predictions = {});

} // namespace runlens
