// An Optuna study as both of its storages hold it (SQLite `optuna.db`, JournalStorage file), and how its
// trials become runs: the one mapping both Optuna readers share.
#pragma once

#include "core/model/import_sink.h"
#include "core/model/read_report.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runlens {

struct OptunaTrial {
    std::int64_t number = 0;                                    // per study, from 0
    std::string state;                                          // COMPLETE, PRUNED, FAIL, RUNNING, WAITING
    std::vector<std::pair<std::string, std::string>> params;    // external values, as the user suggested them
    std::vector<double> values;                                 // one per objective; empty when none
    std::map<std::int64_t, double> intermediate;                // trial.report(value, step)
    std::vector<std::pair<std::string, std::string>> userAttrs; // JSON text of each value
    std::string start;                                          // Unix seconds as text; empty when unknown
    std::string complete;                                       // Unix seconds as text; empty when unknown
};

struct OptunaStudy {
    std::string name;
    std::vector<std::string> directions;  // "minimize" / "maximize" / "not_set", one per objective
    std::vector<std::string> metricNames; // study:metric_names when the study set them
    std::vector<std::pair<std::string, std::string>> userAttrs;
    std::vector<OptunaTrial> trials;
};

// The text of a parameter from Optuna's internal float and its distribution JSON: a categorical index
// becomes its choice, an integer distribution an integer, a float the shortest exact decimal.
// Empty with `why` set when the distribution cannot be read.
std::string optunaParamText(double internal, std::string_view distributionJson, std::string& why);

// Naive UTC "YYYY-MM-DD HH:MM:SS[.ffffff]" or ISO text (as Optuna stores datetimes) to Unix seconds text.
std::string optunaTimeText(std::string_view text);

// Delivers each trial as run "<runPrefix>/<study>/trial_<number>": params, tags optuna.study, optuna.state,
// optuna.direction (comma-separated per objective), optuna.trial; provenance format "optuna", status, start
// and end; summary metric "value" (one objective) or the metric names / "value_<i>"; the intermediate
// values as series "intermediate_value" by step. Returns the number of points delivered.
std::int64_t deliverOptunaStudies(const std::vector<OptunaStudy>& studies, std::string_view runPrefix,
                                  const std::string& sourceLabel, ImportSink& sink);

} // namespace runlens
