// What-if analysis of averaging K classifiers (binary, or multiclass with class probabilities): how
// correlated their errors are and what the ensemble scores.
#pragma once

#include "core/analysis/binary_metrics.h"
#include "core/analysis/multiclass_metrics.h"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// K x K symmetric matrix, row-major; entry (i, j) is NaN when either variable is constant (no correlation).
struct CorrelationMatrix {
    std::size_t k = 0;
    std::vector<double> values;
    double at(std::size_t i, std::size_t j) const { return values[i * k + j]; }
};

struct EnsembleReport {
    std::size_t n = 0; // examples
    std::size_t k = 0; // members
    double threshold = 0.5;
    CorrelationMatrix errorCorrelation;    // Pearson on error indicators 1[(score >= t) != label]
    CorrelationMatrix residualCorrelation; // Pearson on residuals label - score
    std::vector<BinaryMetrics> members;    // each member on its own
    BinaryMetrics average;                 // the mean of the members' scores, thresholded at t
    // Majority vote of the members' hard decisions (a tie goes to the averaged score's decision). Its
    // confusion matrix and accuracy, precision, recall and F1 come from the vote; the score-based metrics
    // (log loss, Brier, ROC AUC, average precision) are those of the vote share, the fraction of members
    // voting 1.
    BinaryMetrics majorityVote;
    std::string error; // set (and everything else empty) when the input is unusable
};

// Pearson correlation of two equally long samples; NaN when either is constant or they are shorter than 2.
double pearson(std::span<const double> x, std::span<const double> y);

// labels 0/1 (n rows); scores[m] holds member m's P(1) for the same n rows in the same order.
EnsembleReport ensembleWhatIf(std::span<const int> labels, const std::vector<std::vector<double>>& scores,
                              double threshold = 0.5);

// The same for multiclass members: correct = argmax equals the label.
struct MulticlassEnsembleReport {
    std::size_t n = 0, k = 0, classes = 0;
    CorrelationMatrix errorCorrelation;    // Pearson on error indicators 1[argmax != label]
    CorrelationMatrix residualCorrelation; // Pearson on 1 - P(true class)
    std::vector<MulticlassMetrics> members;
    MulticlassMetrics average; // the mean of the members' probability rows, its argmax the prediction
    // Plurality vote of the members' argmax (a tie goes to the tied class the averaged probabilities rank
    // first); its probability metrics are those of the vote shares (fraction of members per class).
    MulticlassMetrics majorityVote;
    std::string error;
};

// labels: class index per row (n rows); probs[m] holds member m's n x classes probabilities, row-major, for
// the same rows in the same order.
MulticlassEnsembleReport multiclassEnsembleWhatIf(std::span<const int> labels,
                                                  const std::vector<std::vector<double>>& probs,
                                                  std::size_t classes);

} // namespace runlens
