// Loads a prediction log for the evaluation commands (calibration, slices, diff) with optional role
// overrides.
#pragma once

#include "app/cli.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/slices.h"
#include "core/io/regression_log.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <memory>
#include <string>

namespace runlens {
class Workspace;
}

namespace runlens::cli {

struct LoadedPredictions {
    std::string name; // cohort name: the file's stem
    std::string path;
    PredictionTable table;
    EvaluationSet eval;
};

// Options every evaluation command accepts for choosing columns: --label C, --score C, --positive CLASS.
const std::vector<OptionSpec>& predictionColumnOptions();

// Reads a CSV/TSV/JSONL prediction log, applies --label/--score overrides and validates it; throws InputError
// with one line ("runlens: preds.csv: column 'score', row 7: 1.3 is outside [0, 1]") on bad input.
std::unique_ptr<LoadedPredictions> loadPredictions(const std::string& path, const Args& args);

// A regression log (continuous label and prediction) with its table, for the commands that take both kinds.
struct LoadedRegressionLog {
    std::string name; // the file's stem
    std::string path;
    PredictionTable table;
    RegressionLog log; // labels and predictions indexed by table row
};

// Either kind of log: exactly one of the two is set. A table that isRegressionTable becomes a regression
// log; any other goes through the checks of loadPredictions. --prediction C chooses the prediction column.
struct LoadedLog {
    std::unique_ptr<LoadedPredictions> classification;
    std::unique_ptr<LoadedRegressionLog> regression;
};
LoadedLog loadAnyLog(const std::string& path, const Args& args);

// Commands that compare two logs refuse one regression and one classification log with this one line.
void requireSameKind(const LoadedLog& a, const LoadedLog& b);

// The evaluation set of a workspace run (the one named evalSet, else its first) read like a log; only
// --positive applies, since the workspace already holds the roles chosen on import. Null when the run has no
// evaluation set; throws InputError when the set cannot be evaluated.
std::unique_ptr<LoadedPredictions> loadRunPredictions(const Workspace& ws, std::int64_t runId,
                                                      const std::string& runName, const Args& args,
                                                      const std::string& evalSet);

// Two logs with the same file stem (e.g. run_a/predictions_val.csv, run_b/predictions_val.csv) are named by
// their folders instead, or by their paths when the folders share a name too.
void disambiguateNames(LoadedPredictions& a, LoadedPredictions& b);
// The same for any number of logs: each group of logs sharing a name is named by folders, else by paths.
void disambiguateNames(const std::vector<LoadedPredictions*>& logs);
// The same for any kind of log, given its name (renamed in place) and path.
struct NamedLog {
    std::string* name;
    std::string path;
};
void disambiguateNames(const std::vector<NamedLog>& logs);

// The binary view used by slices and paired tests. Multiclass sets become "correct or not" (label 1,
// prediction 1 when right), which supports accuracy and error rate only.
CohortInput cohortOf(const LoadedPredictions& loaded);

} // namespace runlens::cli
