// Binary classification metrics (score = P(label = 1)) with scikit-learn 1.2's definitions.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace runlens {

// Clip used by log loss, as scikit-learn 1.2's log_loss (eps = machine epsilon of float64).
inline constexpr double kLogLossEps = 2.220446049250313e-16;

struct ConfusionMatrix {
    std::int64_t tn = 0, fp = 0, fn = 0, tp = 0;
};

// Scores sorted ascending with their 0/1 labels: built once and shared by every rank-based metric,
// the curves and quantile calibration bins so a million predictions are sorted only one time.
struct RankedScores {
    std::vector<double> scores;
    std::vector<std::uint8_t> labels;
    std::int64_t positives = 0;

    std::size_t size() const { return scores.size(); }
    std::int64_t negatives() const { return static_cast<std::int64_t>(scores.size()) - positives; }
};

RankedScores rankScores(std::span<const int> labels, std::span<const double> scores);

struct BinaryMetrics {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::int64_t n = 0;
    std::int64_t positives = 0;
    double threshold = 0.5; // NaN when the confusion matrix came from a prediction column
    ConfusionMatrix confusion;
    double accuracy = kNaN;
    double precision = kNaN; // zero_division = 0
    double recall = kNaN;
    double f1 = kNaN;
    double logLoss = kNaN;
    double brier = kNaN;
    double rocAuc = kNaN;           // NaN when only one class is present
    double averagePrecision = kNaN; // NaN without positives
};

// Labels are 0/1. predictions (0/1), when not empty, replace the thresholded scores for the confusion matrix.
BinaryMetrics binaryMetrics(std::span<const int> labels, std::span<const double> scores,
                            double threshold = 0.5, std::span<const int> predictions = {});
// The same, reusing a ranking made by rankScores (labels/scores still give the row order for the rest).
BinaryMetrics binaryMetrics(const RankedScores& ranked, std::span<const int> labels,
                            std::span<const double> scores, double threshold = 0.5,
                            std::span<const int> predictions = {});

ConfusionMatrix confusionAt(std::span<const int> labels, std::span<const double> scores, double threshold);
ConfusionMatrix confusionFromPredictions(std::span<const int> labels, std::span<const int> predictions);
double accuracyOf(const ConfusionMatrix& cm);
double precisionOf(const ConfusionMatrix& cm); // 0 when nothing is predicted positive
double recallOf(const ConfusionMatrix& cm);    // 0 when there is no positive
double f1Of(const ConfusionMatrix& cm);        // 0 when precision + recall = 0

double logLoss(std::span<const int> labels, std::span<const double> scores);
double brierScore(std::span<const int> labels, std::span<const double> scores);
// Area under the ROC curve, ties counted half (trapezoids between distinct thresholds).
double rocAuc(const RankedScores& ranked);
double rocAuc(std::span<const int> labels, std::span<const double> scores);
// scikit-learn's step-wise average precision: sum over thresholds of (R_k - R_{k-1}) P_k.
double averagePrecision(const RankedScores& ranked);
double averagePrecision(std::span<const int> labels, std::span<const double> scores);

} // namespace runlens
