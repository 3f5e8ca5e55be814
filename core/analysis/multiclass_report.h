// The multiclass report: per-class metrics, balanced accuracy, kappa, top-k, one-vs-rest curves, normalised
// confusion matrices, the examples of a cell and per-class flips between two models (scikit-learn 1.2
// semantics).
#pragma once

#include "core/analysis/multiclass_metrics.h"
#include "core/analysis/paired_comparison.h"
#include "core/analysis/threshold_analysis.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct ClassReportRow {
    int classIndex = 0;
    double precision = 0, recall = 0, f1 = 0; // zero_division = 0, as classification_report's default
    std::int64_t support = 0;                 // rows whose label is this class
    std::int64_t predicted = 0;               // rows predicted as this class
    bool present = false; // in the labels or the predictions (scikit-learn's unique_labels)
};

struct ClassCurves {
    int classIndex = 0;
    std::int64_t positives = 0;
    RocCurve roc; // roc_curve(y == c, score_c) with drop_intermediate=True (the default)
    PrCurve pr;   // precision_recall_curve(y == c, score_c)
    double auc = BinaryMetrics::kNaN;
    double averagePrecision = BinaryMetrics::kNaN;
};

enum class KappaWeights { None, Linear, Quadratic };

struct MulticlassReport {
    std::int64_t n = 0;
    std::size_t classes = 0;
    std::vector<ClassReportRow> perClass; // one row per class index 0..k-1 (absent ones have present = false)
    double accuracy = BinaryMetrics::kNaN;
    AveragedScores macro, micro, weighted; // over present classes, as classification_report
    double balancedAccuracy = BinaryMetrics::kNaN;
    double kappa = BinaryMetrics::kNaN, kappaLinear = BinaryMetrics::kNaN,
           kappaQuadratic = BinaryMetrics::kNaN;
    std::vector<std::int64_t> confusion; // k x k, row = true class, column = predicted class
    // With class scores: topK[j] = top-(j+1) accuracy for j = 0..k-1; one-vs-rest curves per class; macro and
    // prevalence-weighted OvR AUC (NaN when a class has no example, where scikit-learn raises).
    std::vector<double> topK;
    std::vector<ClassCurves> curves;
    double macroAuc = BinaryMetrics::kNaN, weightedAuc = BinaryMetrics::kNaN;
    std::string note;
};

// labels: class index per row; predictions: class index per row, or empty to use the argmax of probs; probs:
// n x k class scores row-major (may be empty without scores). Rows whose label or prediction is outside [0,
// k) are left out and counted in the note.
MulticlassReport multiclassReport(std::span<const int> labels, std::span<const int> predictions,
                                  std::span<const double> probs, std::size_t k);

// sklearn's balanced_accuracy_score: mean recall over the classes that occur in the labels.
double balancedAccuracy(std::span<const int> labels, std::span<const int> predictions, std::size_t k);
// sklearn's cohen_kappa_score(labels, predictions, weights=None/'linear'/'quadratic'); the classes are those
// in either array, in index order, so weights use the distance between their positions in that list.
double cohenKappa(std::span<const int> labels, std::span<const int> predictions, std::size_t k,
                  KappaWeights weights = KappaWeights::None);
// sklearn's top_k_accuracy_score(labels, probs, k=top) for the multiclass case: a row is a hit when fewer
// than `top` classes rank above its label, ties ranked as sklearn's stable argsort reversed does (the higher
// class index first among equal scores). top >= k gives 1.
double topKAccuracy(std::span<const int> labels, std::span<const double> probs, std::size_t k,
                    std::size_t top);

enum class ConfusionNormalization { None, True, Pred, All };
// confusion_matrix(normalize=None/'true'/'pred'/'all'): divided by row sums, column sums or the total; 0
// where a row or column is empty (scikit-learn's nan_to_num).
std::vector<double> normalizedConfusion(std::span<const std::int64_t> confusion, std::size_t k,
                                        ConfusionNormalization normalization);
// Row indices of the examples in one cell (true class, predicted class), in row order.
std::vector<std::size_t> cellExamples(std::span<const int> labels, std::span<const int> predictions,
                                      int trueClass, int predictedClass);

struct ClassFlips {
    int classIndex = 0;
    std::int64_t n = 0;                                                 // examples of this true class
    std::int64_t bothCorrect = 0, fixed = 0, broken = 0, bothWrong = 0; // fixed: A wrong, B right
    std::int64_t wrongChanged = 0; // both wrong, with different predictions
    std::vector<std::size_t> fixedRows, brokenRows;
    McNemarResult mcnemar; // on this class's examples
};

// For each true class, the examples whose correctness changes from model A to model B.
std::vector<ClassFlips> perClassFlips(std::span<const int> labels, std::span<const int> predictionsA,
                                      std::span<const int> predictionsB, std::size_t k);

} // namespace runlens
