// Release gates: a YAML list of pass/fail rules (metric floors, no regression against a baseline, no weak
// slice, a bounded flip rate under a perturbation, a fairness ratio) and their evaluation on prediction logs.
#pragma once

#include "core/analysis/behaviour_tests.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/fairness.h"
#include "core/analysis/slices.h"
#include "core/analysis/statistics.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runlens {

enum class GateKind { Metric, Baseline, Slices, Perturbation, Fairness };

// "metric", "baseline", "slices", "perturbation", "fairness" (the JSON `kind` of a gate).
std::string_view gateKindName(GateKind kind);

enum class FairnessMeasure {
    DemographicParityRatio,
    EqualizedOddsRatio,
    DemographicParityDifference,
    EqualizedOddsDifference
};

struct Gate {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::size_t index = 0; // 1-based position in the file, as error messages and results name it
    GateKind kind = GateKind::Metric;
    std::string name; // optional label from `name:`

    // metric, baseline and slices gates: the metric; ece is metric and baseline gates only.
    std::string metric = "accuracy";
    bool ece = false;
    SliceMetric sliceMetric = SliceMetric::Accuracy; // when !ece
    int bins = 10;                                   // ece: uniform bins

    std::optional<double> min, max; // metric gates: exactly one
    double margin = 0;              // baseline gates: allowed loss before "worse"

    std::vector<std::vector<std::string>> slicings; // slices gates: each entry one to three columns crossed
    std::int64_t minN = 100;
    double maxDrop = 0.05;

    std::string perturbation; // perturbation gates
    bool failureRate = false; // max_failure_rate (flips of invariance rows + direction violations)
    double maxRate = 0.02;

    std::string fairnessColumn; // fairness gates
    FairnessMeasure measure = FairnessMeasure::DemographicParityRatio;
    double limit = 0.8; // min_ratio or max_difference
};

// Parses a gates file's text: a mapping with `gates:` (or a bare sequence) of gate mappings. nullopt with a
// one-line error naming the gate (1-based) and the key: "gate 2, min: 'high' is not a number".
std::optional<std::vector<Gate>> parseGates(const std::string& yaml, std::string& error);

// What the gates are evaluated on. The baseline and behaviour report may be null; the gates that need them
// are reported by gateInputProblem.
struct GateInputs {
    std::string candidateName = "candidate", baselineName = "baseline";
    const PredictionTable* candidateTable = nullptr;
    const EvaluationSet* candidate = nullptr;
    const PredictionTable* baselineTable = nullptr;
    const EvaluationSet* baseline = nullptr;
    const BehaviourReport* behaviour = nullptr; // the candidate's behavioural tests (--tests)
    double threshold = 0.5;                     // score >= threshold predicts the positive class
    int resamples = 1000;                       // bootstrap intervals
    std::uint64_t seed = 20261126;
};

// Why a gate cannot be evaluated on these inputs (a gate file or command that does not fit the logs): a
// baseline gate without a baseline, a metric that needs scores on a log of hard predictions, an unknown
// column or perturbation. Empty when the gate can run.
std::string gateInputProblem(const Gate& gate, const GateInputs& inputs);

// One slice of a slices gate: its metric against the reference (the baseline's same slice, or the
// candidate's overall value). drop > 0 means the slice is worse, in the metric's units.
struct SliceDrop {
    std::vector<std::pair<std::string, std::string>> key;
    std::int64_t n = 0, referenceN = 0;
    double value = 0, reference = 0, drop = 0;
    bool failed = false;
};

struct GateResult {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::size_t index = 0;
    GateKind kind = GateKind::Metric;
    std::string name;
    std::string description; // "auc >= 0.8"
    bool passed = false;
    double value = kNaN;               // the gated number (a delta, a drop, a rate, a ratio)
    std::optional<stats::Interval> ci; // 95% interval of value, when there is one
    double threshold = kNaN;           // the limit value is held to
    std::string direction;             // "min" (value >= threshold passes) or "max"
    std::string thresholdText; // the limit as the gate reads: "≥ 0.8", "drop ≤ 5.0 points", "≤ 2%"
    std::string valueText;     // "0.853 [0.81, 0.89]": what the result line shows after the colon
    std::string sentence;      // a plain sentence with the verdict

    // Details by kind (JSON `details`).
    std::string metric;
    std::int64_t n = 0;
    std::string intervalMethod; // metric gates
    double candidateValue = kNaN, baselineValue = kNaN, p = kNaN;
    std::string test;                        // baseline gates: delong, mcnemar or bootstrap
    std::string reference;                   // slices gates: "baseline" or "overall"
    std::vector<SliceDrop> slices;           // slices gates: every slice checked, worst first
    std::int64_t smallSlices = 0;            // slices below min_n (not checked)
    std::int64_t undefinedSlices = 0;        // slices whose metric is undefined (an AUC of one class)
    std::optional<PerturbationResult> tests; // perturbation gates
    std::vector<GroupRates> groups;          // fairness gates
};

// Evaluates one gate whose gateInputProblem is empty. A value that cannot be computed on these data (an AUC
// of one class, a ratio of zero rates) fails the gate and the sentence says why, so a gate never passes by
// accident.
GateResult evaluateGate(const Gate& gate, const GateInputs& inputs);

} // namespace runlens
