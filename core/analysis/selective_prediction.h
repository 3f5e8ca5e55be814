// Selective prediction: risk against coverage when only the most confident answers are given.
#pragma once

#include "core/analysis/evaluation_set.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace runlens {

// One point per group of equal confidence, most confident first: answering every example whose
// confidence >= threshold gives this coverage (share answered) and risk (error rate of the answered).
struct RiskCoveragePoint {
    double threshold = 0;
    std::int64_t answered = 0;
    std::int64_t errors = 0;
    double coverage = 0;
    double risk = 0;
};

struct RiskCoverage {
    std::vector<RiskCoveragePoint> points;
    // Area under the risk-coverage step curve: sum over groups of (coverage step) x (risk after the group).
    // Without ties this is (1/N) sum_i risk(top i), the usual AURC of Geifman & El-Yaniv.
    double aurc = 0;
};

// confidence per example and whether the answer was correct (1) or not (0).
RiskCoverage riskCoverage(std::span<const double> confidence, std::span<const int> correct);

// What an evaluation set gives riskCoverage: per example the confidence in the class it predicts (binary:
// max(s, 1 - s); multiclass: the top probability) and whether that prediction is right. The prediction is
// the logged one when the set has a prediction column, else score >= 0.5 (binary) or the top class. Empty
// when the set has no scores.
struct SelectiveInputs {
    std::vector<double> confidence;
    std::vector<int> correct;
};
SelectiveInputs selectiveInputs(const EvaluationSet& set);

struct SelectiveResult {
    double threshold = 0; // answer when confidence >= threshold
    double coverage = 0;
    double accuracy = 0;
    std::int64_t answered = 0;
};

// Answers the most confident share `coverage` (0..1]; a tie group at the cut is answered whole, so the
// reported coverage can exceed the one asked for. nullopt for empty input or coverage <= 0.
std::optional<SelectiveResult> accuracyAtCoverage(const RiskCoverage& curve, double coverage);
// Answers every example with confidence >= threshold.
SelectiveResult accuracyAtThreshold(const RiskCoverage& curve, double threshold);
// The lowest threshold (largest coverage) whose answered part reaches targetAccuracy; nullopt if none does.
std::optional<SelectiveResult> thresholdForAccuracy(const RiskCoverage& curve, double targetAccuracy);

} // namespace runlens
