// ROC and precision-recall curves, confusion matrix at any threshold, and the cost-minimising threshold.
#pragma once

#include "core/analysis/binary_metrics.h"

#include <span>
#include <vector>

namespace runlens {

// As scikit-learn 1.2's roc_curve(drop_intermediate=False): one point per distinct score, highest first,
// after a first point (0, 0) whose threshold is max score + 1 (scikit-learn 1.2's convention).
struct RocCurve {
    std::vector<double> fpr, tpr, thresholds;
};
// As scikit-learn 1.2.1's precision_recall_curve: one point per distinct score in increasing order (1.2
// keeps the points below full recall too; it has no drop_intermediate option), then a last point
// (precision 1, recall 0) without a threshold, so thresholds has one element fewer.
struct PrCurve {
    std::vector<double> precision, recall, thresholds;
};

RocCurve rocCurve(const RankedScores& ranked);
PrCurve precisionRecallCurve(const RankedScores& ranked);

struct ThresholdStats {
    double threshold = 0.5;
    ConfusionMatrix confusion;
    double accuracy = 0, precision = 0, recall = 0, fpr = 0, f1 = 0;
};
// score >= threshold predicts the positive class.
ThresholdStats statsAtThreshold(std::span<const int> labels, std::span<const double> scores,
                                double threshold);

// A binary set prepared for moving a threshold: its ranked scores (ascending) and, at index i, the positives
// among the i lowest scores (n + 1 entries), so the counts at any threshold are one binary search.
struct ThresholdSweep {
    RankedScores ranked;
    std::vector<std::int64_t> positivesBelow;
};
ThresholdSweep thresholdSweep(RankedScores ranked);
// The same as statsAtThreshold on the set's labels and scores, in O(log n).
ThresholdStats statsAtThreshold(const ThresholdSweep& sweep, double threshold);

// costFp * FP + costFn * FN.
double totalCostOf(const ConfusionMatrix& confusion, double costFp, double costFn);

struct CostChoice {
    double threshold = 0; // +inf means "never predict positive"
    double totalCost = 0; // costFp * FP + costFn * FN
    double costPerExample = 0;
    ConfusionMatrix confusion;
};
// Expected cost at one threshold, and the threshold among all distinct scores (plus +inf) with the lowest
// cost; on ties the highest such threshold wins (fewest positive predictions).
CostChoice costAtThreshold(std::span<const int> labels, std::span<const double> scores, double threshold,
                           double costFp, double costFn);
CostChoice minimumCostThreshold(const RankedScores& ranked, double costFp, double costFn);

} // namespace runlens
