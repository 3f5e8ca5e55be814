// The ship decision: every candidate model's evaluation set put through the checklist (metrics with intervals
// beside the zero rule, paired tests against the leader, calibration and recalibration, slices with Simpson
// verdicts and the worst slices, fairness, comparability) and ended in a recommendation with its caveats.
#pragma once

#include "core/analysis/behaviour_tests.h"
#include "core/analysis/calibration.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/fairness.h"
#include "core/analysis/learning_curve_outlook.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"
#include "core/model/prediction_table.h"
#include "core/model/run.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct ShipCandidate {
    std::string name;
    const PredictionTable* table = nullptr;
    const EvaluationSet* set = nullptr;
    const RunInfo* run = nullptr; // optional: provenance and budgets for the comparability checks
    const BehaviourReport* behaviour = nullptr; // optional: its behavioural tests
};

struct ShipOptions {
    std::string baseline;                  // the candidate that is the model in production ("" = none)
    std::vector<std::string> sliceColumns; // empty: every feature column all candidates have (at most 6)
    std::string fairnessColumn;            // "" = no fairness section
    double threshold = 0.5;
    int resamples = 1000;
    std::uint64_t seed = 20261126;
    double eceLimit = 0.05;       // above it, calibration is a caveat
    std::int64_t smallN = 200;    // fewer examples than this is a caveat
    CandidateCurveRequest curves; // the learning-curve projection (with workspace runs)
};

struct ShipMetric {
    std::string name;
    bool higherIsBetter = true;
    SliceCell cell; // value with its interval (Wilson or bootstrap)
};

struct ShipCalibration {
    bool available = false; // binary with scores
    CalibrationReport report;
    double eceAfterPlatt = std::numeric_limits<double>::quiet_NaN(); // out-of-fold (5 folds)
    double eceAfterIsotonic = std::numeric_limits<double>::quiet_NaN();
    bool recalibrationHelps = false;
    std::string sentence;
};

struct ShipCandidateResult {
    std::string name;
    std::int64_t n = 0;
    bool multiclass = false, hasScores = false;
    std::vector<ShipMetric> metrics;
    double zeroRule = 0; // the zero rule's value of the primary metric on the same rows
    ShipCalibration calibration;
    std::vector<FoundSlice> worstSlices; // where it errs most (slice finder), up to 3
    std::optional<FairnessReport> fairness;
    std::string fairnessError;
    std::optional<BehaviourReport> behaviour;
};

// The leader against another candidate on their shared examples.
struct ShipPair {
    std::string leader, other;
    std::optional<PairedEvaluation> paired;
    std::string test; // "DeLong" or "McNemar"
    double p = 1;
    bool significant = false; // p < 0.05
    std::string sentence;
    std::string error;
};

struct ShipSlices {
    std::string feature;
    std::optional<SliceReport> report;
    std::string error;
};

struct ShipRecommendation {
    std::string candidate;
    std::string verdict; // "ship", "ship (tied)", "keep baseline", "runner-up", "tied with the leader", ...
    std::string reason;
};

// How much the primary metric moves when only the seed changes: the candidate's run and the runs that share
// every param but the seed (each scored on its own evaluation set).
struct ShipSeedNoise {
    std::string candidate;
    std::vector<std::string> runs;
    double mean = 0, std = 0, min = 0, max = 0; // std with ddof = 1
    std::string sentence;
};

struct ShipReport {
    SliceMetric primary = SliceMetric::Accuracy;
    std::vector<ShipCandidateResult> candidates; // input order
    std::size_t leader = 0;                      // index of the best on the primary metric
    std::vector<ShipPair> pairs;                 // the leader against every other candidate
    std::vector<ShipSlices> slices;
    std::vector<ShipSeedNoise> seedNoise;   // per candidate whose configuration was run with other seeds
    std::vector<std::string> comparability; // warnings: different data, budgets, evaluation sets
    std::optional<CandidateLearningCurves> learningCurves; // with workspace runs
    std::vector<ShipRecommendation> recommendations;
    std::string recommendation; // one sentence
    std::vector<std::string> caveats;
    std::string error; // why there is no report (no candidate, a regression log, ...)
};

const ShipMetric* findMetric(const ShipCandidateResult& candidate, std::string_view name);

// True when b is a's configuration with another seed: a has a seed param (curve_diagnostics' isSeedKey) and
// every other param is equal. A run is its own sibling.
bool seedSiblings(const RunInfo& a, const RunInfo& b);

// seedPool: other runs with evaluation sets (e.g. the whole workspace's), searched for the candidates' seed
// siblings; candidates without run info have none. workspaceRuns: every run, searched for the candidates'
// configurations at other training-set sizes (the learning-curve projection; none when empty).
ShipReport shipReport(std::span<const ShipCandidate> candidates, const ShipOptions& options = {},
                      std::span<const ShipCandidate> seedPool = {},
                      std::span<const RunInfo> workspaceRuns = {});

} // namespace runlens
