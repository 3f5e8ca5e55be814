// Regression prediction logs: the label, prediction, weight, interval and id columns of a prediction table
// as plain arrays, read from a file, and two logs aligned on the same examples.
#pragma once

#include "core/analysis/regression_report.h"
#include "core/io/prediction_reader.h"
#include "core/model/prediction_table.h"
#include "core/model/read_report.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace runlens {

// One logged prediction interval: a lower and an upper bound column.
struct RegressionIntervalColumns {
    std::string name; // "q05-q95", "lower-upper"
    std::string lowerColumn, upperColumn;
    double nominal = 0;          // q95 - q05 = 0.90; a level in the names (lower_95); else assumedLevel
    bool nominalAssumed = false; // no level in the column names: the option's assumed level is used
    std::vector<double> lower, upper;
};

struct RegressionLog {
    std::string labelColumn, predictionColumn, weightColumn, idColumn;
    std::vector<double> labels, predictions;
    std::vector<double> weights;  // empty without a weight column
    std::vector<std::string> ids; // one per row; empty without an id column
    std::vector<RegressionIntervalColumns> intervals;
    std::optional<double> trainingMean, trainingMedian; // from train_mean / train_median columns
    std::vector<std::string> featureColumns;            // numeric features, for residuals against them
    std::vector<std::vector<double>> featureValues;     // per feature column, one value per row
    std::vector<std::string> notes;                     // what was assumed, in sentences

    std::size_t rows() const { return labels.size(); }
};

struct RegressionLogOptions {
    std::string weightColumn;   // empty: recognised by name (weight, sample_weight)
    double assumedLevel = 0.90; // nominal level of a bare lower/upper pair
};

// The regression columns of a table: its Label and Prediction columns must be numeric (the table need not
// pass isRegressionTable: asking for a regression analysis is an explicit choice, so whole-number labels are
// accepted). Quantile columns pair up symmetrically (q05 with q95, q25 with q75); lower/upper pairs by level.
// nullopt with a one-line reason in `error` otherwise.
std::optional<RegressionLog> regressionLogFrom(const PredictionTable& table, std::string& error,
                                               const RegressionLogOptions& options = {});

// The table's columns a regression log can be sliced by: its feature columns (numeric or text) without the
// ones the log reads as weights, prediction-interval bounds or training statistics.
std::vector<std::string> regressionSliceColumns(const PredictionTable& table, const RegressionLog& log);

// The report input over a log's columns (spans into the log: it must outlive the input).
RegressionReportInput reportInputOf(const RegressionLog& log);

// Reads a CSV/TSV/JSONL file with the prediction-log reader (roles choose columns) and extracts its
// regression columns; nullopt with the reasons in report.
std::optional<RegressionLog> readRegressionLog(const std::filesystem::path& path,
                                               const PredictionRoles& roles, ReadReport& report,
                                               const RegressionLogOptions& options = {});

// Two logs of the same examples, lined up: by id when both have an id column, else by row, which is used
// only when both have as many rows and their labels agree on every row.
struct RegressionAlignment {
    bool byId = false;
    std::int64_t matched = 0, onlyA = 0, onlyB = 0;
    std::int64_t labelConflicts = 0; // the same id with different labels (left out)
    std::int64_t duplicates = 0;     // ids seen more than once in a file (only the first row is used)
    std::vector<double> labels, predictionsA, predictionsB;
    std::vector<std::string> ids; // of the matched rows, when aligned by id
    std::string refusal;          // non-empty: the logs cannot be aligned, and why
};

// Labels "agree" within labelTolerance * max(1, |label|) (a CSV round trip may change the last digit).
RegressionAlignment alignRegressionLogs(const RegressionLog& a, const RegressionLog& b,
                                        double labelTolerance = 1e-9);

} // namespace runlens
