// Cost against quality per run: the numbers a run offers as quality or cost (summaries, series, params, its
// wall-clock time, its evaluation set's metrics), gathered into Pareto points.
#pragma once

#include "core/analysis/pareto_front.h"
#include "core/analysis/slices.h"
#include "core/model/cost_names.h"
#include "core/model/run.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// The derived cost every run with timed points has: last wall time minus first, over all its series.
inline constexpr std::string_view kWallClockName = "wall_clock_seconds";
// Quality names of the form "eval:<metric>" (eval:accuracy, eval:auc, ...) come from the evaluation set.
inline constexpr std::string_view kEvalPrefix = "eval:";

// What a cost name says: costMetricOf, and kWallClockName as a run time.
std::optional<CostMetric> runCostMetric(std::string_view name);

// A run's number by name: its summary metric, else its series' last value, else a param that is a number,
// else the derived wall-clock time. nullopt when it has none (or only a non-finite one).
std::optional<double> runNumber(const RunInfo& run, std::string_view name);

struct RunNumberName {
    std::string name;
    std::size_t runs = 0;              // how many runs have it
    std::optional<CostMetric> cost;    // what its name says as a cost, if anything
    std::optional<bool> lowerIsBetter; // what its name says as a quality, if anything
};

// Every name with a finite number in at least one run (summaries, series tags, numeric params, and
// kWallClockName), sorted by name.
std::vector<RunNumberName> runNumberNames(std::span<const RunInfo> runs);
// The cost names among them: recognised costs by how many runs have them (most first), then wall-clock time.
std::vector<RunNumberName> costNames(std::span<const RunNumberName> names);
// The quality names among them: those whose name says a direction (loss, accuracy, ...) and are not costs.
std::vector<RunNumberName> qualityNames(std::span<const RunNumberName> names);

// The evaluation metrics a quality axis can use, as "eval:accuracy", ... (binary sets; multiclass sets
// support accuracy and error rate only).
std::vector<std::string> evaluationQualityNames();
// Parses "eval:auc" into the metric; false for other names.
bool parseEvaluationQuality(std::string_view name, SliceMetric& metric);

// The metric of a whole evaluation set with its interval (Wilson for rates, seeded bootstrap otherwise); n =
// 0 when the set cannot give it (a multiclass set asked for AUC, say).
SliceCell evaluationQuality(const PredictionTable& table, const EvaluationSet& set, SliceMetric metric,
                            int bootstrapResamples = 500);

// What to put against what: a quality (a run number's name or "eval:<metric>") and one or more costs.
struct CostQualityRequest {
    std::string quality;
    std::optional<bool>
        qualityLowerIsBetter;       // else from the name (eval metrics and loss/accuracy-like names)
    std::vector<std::string> costs; // empty: the first of costNames()
    double tolerance = 0.01;
    ToleranceKind toleranceKind = ToleranceKind::Relative;
};

struct CostQualityStudy {
    ParetoAxes axes;
    std::vector<ParetoPoint> points; // runs with the quality and every cost
    std::vector<std::string> left;   // "run: no latency_ms", one per run left out
    ParetoFront front;
    std::vector<std::vector<std::size_t>> dominatedBy;
    CheapestWithin cheapest;
    std::string error; // why there is nothing to show (no runs, an unknown name, direction unknown)
};

// The quality of a run from its evaluation set ("eval:" names); nullopt when it has none.
using EvaluationQualityOf = std::function<std::optional<SliceCell>(const RunInfo& run, SliceMetric metric)>;

CostQualityStudy costQualityStudy(std::span<const RunInfo> runs, const CostQualityRequest& request,
                                  const EvaluationQualityOf& evaluationQualityOf);

// The metric of a whole evaluation set without an interval (fast, for ranking runs); NaN when it cannot be
// had.
double evaluationMetricValue(const PredictionTable& table, const EvaluationSet& set, SliceMetric metric);

} // namespace runlens
