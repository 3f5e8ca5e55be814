// Extracts and validates labels, scores, class probabilities and predictions from a prediction table.
#pragma once

#include "core/model/prediction_table.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct EvaluationOptions {
    std::string
        positiveClass; // binary: which label counts as 1 (empty: 1, true, yes, ... or the last sorted)
    std::size_t maxIssues = 20; // further problems are only counted
};

// One problem with the table; row is the 0-based data row (-1 when not about one row).
struct EvaluationIssue {
    std::string column;
    std::int64_t row = -1;
    std::string message;

    // "column 'score', row 7: ..." with a 1-based row number.
    std::string describe() const;
};

struct EvaluationSet {
    bool multiclass = false;
    std::vector<std::string> classes; // binary: {negative, positive}; multiclass: score column order
    std::vector<int> labels;          // class index per row (binary: 0/1)
    std::vector<double> scores;       // binary: P(positive class) per row
    std::vector<double> probs;        // multiclass: rows x classes, row-major
    std::vector<int> predictions;     // class index per row; empty without a prediction column

    std::size_t rows() const { return labels.size(); }
    // False for logs of hard predictions only (no score or probability columns).
    bool hasScores() const { return multiclass ? !probs.empty() : !scores.empty(); }
    std::size_t classCount() const { return classes.size(); }
};

struct EvaluationResult {
    EvaluationSet set;
    std::vector<EvaluationIssue> errors;
    std::int64_t suppressedErrors = 0;

    bool ok() const { return errors.empty(); }
};

// Reads the Label column and either one Score column (binary) or ClassScore columns (one per class; two
// of them make a binary set). Errors name the column and row: a missing column, a score that is missing,
// not a number or outside [0, 1], a label or prediction outside the class set. With errors, set is empty.
EvaluationResult extractEvaluationSet(const PredictionTable& table, const EvaluationOptions& options = {});

// The class the model predicts per row: its prediction column, else score >= threshold (binary) or the first
// argmax of the class probabilities (multiclass, as numpy).
std::vector<int> predictedClasses(const EvaluationSet& set, double threshold = 0.5);
// The class probabilities as rows of classCount() values: a multiclass set's as logged, a binary set's scores
// s as [1 - s, s]; empty when the set has no scores.
std::vector<double> classProbabilityRows(const EvaluationSet& set);
// Per row, 1 when the predicted class is the label.
std::vector<std::uint8_t> correctPerRow(const EvaluationSet& set, double threshold = 0.5);

// A multiclass row's top class with its probability, "dog (0.62)"; "" for a binary set or a row out of range.
std::string topClassText(const EvaluationSet& set, std::size_t row);

// A multiclass set seen as one class against the rest (scikit-learn's one-vs-rest): label 1 where the true
// class is `cls`, score its class probability, prediction 1 where the logged prediction is `cls` (none
// without a prediction column); classes {"not <cls>", "<cls>"}. A binary set, or a class out of range,
// comes back unchanged.
EvaluationSet oneVsRest(const EvaluationSet& set, std::size_t cls);

// The given rows of a set, in that order (labels, scores or probability rows, predictions): a slice's
// examples, or the examples another log shares.
EvaluationSet evaluationRows(const EvaluationSet& set, std::span<const std::size_t> rows);

} // namespace runlens
